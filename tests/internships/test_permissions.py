"""Permission matrix: persona × URL × method → status, over every URL of the app.
An internship is private to the student teacher, the mentor teacher, the
supervising bridge-builder, the institution's placement coordinator and admins:
everyone else gets 404; of those who see it, only the one whose task it is may
write (others 403). The mentor register is read by the coordinator, the school's
bridge-builder and school leader, admins and the mentor; training is recorded by
the coordinator and admins."""

import datetime
from decimal import Decimal

import pytest

from internships import services
from internships.models import EvaluatorRole, Moment
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]
LOGIN = 302

#: Who sees the internship.
VIEWERS = ["student_teacher", "mentor", "bridge_builder", "placement_coordinator", "network_admin"]


def expect(allowed: dict, *, viewers_refused: bool = True, default=404) -> dict:
    """Everyone 404, the anonymous visitor the login page; viewers 403 unless
    ``allowed`` says otherwise."""
    result = dict.fromkeys(ALL, default)
    if viewers_refused:
        result |= dict.fromkeys(VIEWERS, 403)
    return result | allowed | {"anonymous": LOGIN}


LIST = dict.fromkeys(ALL, 200) | {"anonymous": LOGIN}
SEE = expect(dict.fromkeys(VIEWERS, 200))
STUDENT_PAGE = expect({"student_teacher": 200})
STUDENT_WRITE = expect({"student_teacher": 302})
MENTOR_PAGE = expect({"mentor": 200})
MENTOR_WRITE = expect({"mentor": 302})
SUPERVISOR_PAGE = expect({"bridge_builder": 200})
SUPERVISOR_WRITE = expect({"bridge_builder": 302})
REGISTER_READERS = ["placement_coordinator", "bridge_builder", "school_leader", "network_admin"]
REGISTER = expect(dict.fromkeys([*REGISTER_READERS, "mentor"], 200), viewers_refused=False)
RECORD = expect(
    {"placement_coordinator": 302, "network_admin": 302, "bridge_builder": 403}
    | {"school_leader": 403, "mentor": 403},
    viewers_refused=False,
)
# require_POST answers before anything is fetched: nothing to learn from a 405.
POST_ONLY = dict.fromkeys(ALL, 405) | {"anonymous": LOGIN}

ENTRY = {"span": "day", "date": "2026-03-03", "hours": "6", "reflection": "Leesles"}

MATRIX = [
    ("GET", "/internships/", None, LIST),
    ("GET", "/internships/{pk}/", None, SEE),
    ("GET", "/internships/{pk}/log/new/", None, STUDENT_PAGE),
    ("POST", "/internships/{pk}/log/new/", ENTRY, STUDENT_WRITE),
    ("GET", "/internships/{pk}/log/{entry}/edit/", None, STUDENT_PAGE),
    ("POST", "/internships/{pk}/log/{entry}/edit/", ENTRY, STUDENT_WRITE),
    ("GET", "/internships/{pk}/log/{entry}/delete/", None, STUDENT_PAGE),
    ("POST", "/internships/{pk}/log/{entry}/delete/", {}, STUDENT_WRITE),
    ("GET", "/internships/{pk}/log/confirm/", None, POST_ONLY),
    ("POST", "/internships/{pk}/log/confirm/", {"entries": ["{entry}"]}, MENTOR_WRITE),
    ("GET", "/internships/{pk}/evaluations/final/mentor/", None, MENTOR_PAGE),
    ("POST", "/internships/{pk}/evaluations/final/mentor/", {"action": "draft"}, MENTOR_WRITE),
    ("GET", "/internships/{pk}/evaluations/final/bridge_builder/", None, SUPERVISOR_PAGE),
    (
        "POST",
        "/internships/{pk}/evaluations/final/bridge_builder/",
        {"action": "draft"},
        SUPERVISOR_WRITE,
    ),
    ("GET", "/internships/{pk}/evaluations/mid_term/response/", None, POST_ONLY),
    ("POST", "/internships/{pk}/evaluations/mid_term/response/", {"body": "Dank"}, STUDENT_WRITE),
    ("GET", "/internships/mentors/", None, REGISTER),
    ("GET", "/internships/mentors/{mentor}/", None, REGISTER),
    (
        "POST",
        "/internships/mentors/{mentor}/training/",
        {"title": "Basis", "completed_on": "2026-02-01", "hours": "6"},
        RECORD,
    ),
    ("GET", "/internships/mentors/{mentor}/training/", None, POST_ONLY),
]


@pytest.fixture
def setting(network, internship, rubric):
    """The internship with an entry to change and a complete mid-term evaluation."""
    entry = services.log_entry_save(
        placement=internship,
        span="day",
        date=datetime.date(2026, 3, 2),
        hours=Decimal("6"),
        reflection="Eerste dag",
    )
    levels = {c.pk: c.levels.get(rank=2) for c in rubric.criteria.all()}
    for role, person in [
        (EvaluatorRole.MENTOR, "mentor"),
        (EvaluatorRole.BRIDGE_BUILDER, "bridge_builder"),
    ]:
        services.evaluation_save(
            placement=internship,
            moment=Moment.MID_TERM,
            evaluator_role=role,
            author=network.people[person],
            levels=levels,
            summary="",
            submit=True,
        )
    return {"pk": internship.pk, "entry": entry.pk, "mentor": network.people["mentor"].pk}


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    MATRIX,
    ids=[f"{m} {u}" for m, u, _d, _e in MATRIX],
)
def test_permission_matrix(client, network, setting, persona, method, url, data, expected):
    if persona != "anonymous":
        client.force_login(network.people[persona])
    url = url.format(**setting)
    if data:
        data = {
            key: [v.format(**setting) for v in value] if isinstance(value, list) else value
            for key, value in data.items()
        }
    response = client.get(url) if method == "GET" else client.post(url, data or {})
    assert response.status_code == expected[persona], (persona, method, url)


def test_the_schools_coach_and_leader_do_not_see_the_internship(client, network, internship):
    for persona in ["coach", "school_leader", "research_teacher"]:
        client.force_login(network.people[persona])
        assert client.get(f"/internships/{internship.pk}/").status_code == 404
        assert "internship-row" not in client.get("/internships/").content.decode()


def test_a_coordinator_of_another_institution_does_not_see_it(client, network, internship):
    from schools.models import Role
    from tests import factories

    other = factories.InstitutionFactory()
    coordinator = factories.UserFactory()
    factories.RoleMembershipFactory(
        user=coordinator,
        role=Role.PLACEMENT_COORDINATOR,
        school=None,
        institution=other,
        school_year=network.school_year,
    )
    client.force_login(coordinator)
    assert client.get(f"/internships/{internship.pk}/").status_code == 404


def test_a_proposed_or_cancelled_placement_has_no_internship_page(client, network, internship):
    from placements.models import Placement

    client.force_login(network.people["network_admin"])
    Placement.objects.filter(pk=internship.pk).update(state=Placement.State.PROPOSED)
    assert client.get(f"/internships/{internship.pk}/").status_code == 404
