"""Permission matrix: persona × URL × method → status, over the personas of every
app and those of the continuum. The starter and their current mentor see the plan
(the mentor acts on it); school leader, bridge-builder and admin assign mentors and
see counts; anyone else gets 404, anonymous visitors the login page."""

import pytest
from django.urls import reverse

from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]
LOGIN = 302


def _expect(allowed: dict, default=404):
    return {persona: allowed.get(persona, default) for persona in ALL} | {"anonymous": LOGIN}


EVERYONE = _expect({}, default=200)
OVERSEERS = {"school_leader": 200, "bridge_builder": 200, "network_admin": 200}
SCHOOL = _expect(OVERSEERS)
ASSIGN_READ = _expect(OVERSEERS | {"starting_teacher": 403, "mentor": 403})
# A valid new mentor: the overseers are sent back to the school page.
ASSIGN_WRITE = ASSIGN_READ | dict.fromkeys(OVERSEERS, 302)
PLAN = _expect({"starting_teacher": 200, "mentor": 200})
PLAN_CHANGE_READ = _expect({"starting_teacher": 403, "mentor": 200})
PLAN_CHANGE_WRITE = PLAN_CHANGE_READ | {"mentor": 302}

MATRIX = [
    ("GET", "induction:overview", None, None, EVERYONE),
    ("GET", "induction:school", "school", None, SCHOOL),
    ("GET", "induction:school", "other_school", None, _expect({"network_admin": 200})),
    ("GET", "induction:assign_mentor", "starter", None, ASSIGN_READ),
    ("POST", "induction:assign_mentor", "starter", {"mentor": "coach"}, ASSIGN_WRITE),
    ("GET", "induction:plan", "plan", None, PLAN),
    ("GET", "induction:cadence", "plan", None, PLAN_CHANGE_READ),
    ("POST", "induction:cadence", "plan", {"cadence_weeks": "4"}, PLAN_CHANGE_WRITE),
    ("GET", "induction:check_in", "check_in", None, PLAN_CHANGE_READ),
    (
        "POST",
        "induction:check_in",
        "check_in",
        {"held": "on", "held_on": "2025-11-12", "notes": "Goed gesprek."},
        PLAN_CHANGE_WRITE,
    ),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("method", "name", "target", "data", "expected"),
    MATRIX,
    ids=[f"{m} {n} {t or ''}" for m, n, t, _d, _e in MATRIX],
)
def test_permission_matrix(client, network, plan, persona, method, name, target, data, expected):
    targets = {
        "school": network.school,
        "other_school": network.other_school,
        "starter": plan.membership,
        "plan": plan,
        "check_in": plan.check_ins.order_by("due_on")[2],
    }
    url = reverse(name, args=[targets[target].pk] if target else [])
    if data and "mentor" in data:
        data = {"mentor": network.people[data["mentor"]].pk}
    if persona != "anonymous":
        client.force_login(network.people[persona])
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected[persona], response.content.decode()[:300]


def test_a_former_mentor_no_longer_sees_the_plan(client, network, plan):
    from induction.services import mentor_assign

    mentor_assign(starter=plan.membership, mentor=network.people["coach"], assigned_by=None)
    client.force_login(network.people["mentor"])
    assert client.get(reverse("induction:plan", args=[plan.pk])).status_code == 404
    client.force_login(network.people["coach"])
    assert client.get(reverse("induction:plan", args=[plan.pk])).status_code == 200
