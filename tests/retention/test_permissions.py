"""Permission matrix: every retention URL × GET/POST × persona (PERSONAS +
CONTINUUM_PERSONAS + anonymous). Institution staff and admins read the network;
the school leader reads and confirms the school; admins read a school but do
not confirm for it (403); everyone else 404."""

import pytest

from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, *CONTINUUM_PERSONAS, "anonymous"]
LOGIN = 302  # anonymous visitors go to the login page


def _expect(allowed: dict, default=404):
    return {persona: allowed.get(persona, default) for persona in ALL} | {"anonymous": LOGIN}


STAFF = {"bridge_builder": 200, "process_facilitator": 200, "placement_coordinator": 200}
OVERVIEW = _expect(STAFF | {"network_admin": 200, "school_leader": 200})
NETWORK_CSV = _expect(STAFF | {"network_admin": 200})
SCHOOL = _expect({"network_admin": 200, "school_leader": 200})
CONFIRM = _expect({"network_admin": 403, "school_leader": 200})
CONFIRM_POST = _expect({"network_admin": 403, "school_leader": 302})
# The read pages take GET only: a POST is 405 for everyone signed in.
READ_POST = _expect(dict.fromkeys(ALL, 405))

MATRIX = [
    ("GET", "/monitoring/retention/", OVERVIEW),
    ("GET", "/monitoring/retention/export.csv", NETWORK_CSV),
    ("GET", "/monitoring/retention/schools/{school}/", SCHOOL),
    ("GET", "/monitoring/retention/schools/{school}/export.csv", SCHOOL),
    ("GET", "/monitoring/retention/schools/{school}/confirm/", CONFIRM),
    ("POST", "/monitoring/retention/schools/{school}/confirm/", CONFIRM_POST),
    ("POST", "/monitoring/retention/", READ_POST),
    ("POST", "/monitoring/retention/export.csv", READ_POST),
    ("POST", "/monitoring/retention/schools/{school}/", READ_POST),
    ("POST", "/monitoring/retention/schools/{school}/export.csv", READ_POST),
    ("GET", "/monitoring/retention/schools/{other}/", _expect({"network_admin": 200})),
    ("GET", "/monitoring/retention/schools/{other}/confirm/", _expect({"network_admin": 403})),
    ("POST", "/monitoring/retention/schools/{other}/confirm/", _expect({"network_admin": 403})),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("method", "url", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _e in MATRIX]
)
def test_permission_matrix(client, network, persona, method, url, expected):
    people = network.people
    if persona != "anonymous":
        client.force_login(people[persona])
    url = url.format(school=network.school.pk, other=network.other_school.pk)
    data = {
        "staff-TOTAL_FORMS": "2",
        "staff-INITIAL_FORMS": "2",
        "staff-0-person": str(people["starting_teacher"].pk),
        "staff-0-status": "still_here",
        "staff-1-person": str(people["career_changer"].pk),
        "staff-1-status": "still_here",
    }
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == expected[persona]


def test_the_network_figures_are_per_institution(client, network):
    """Staff of another institution's partnership see theirs, not this one."""
    from schools.models import Role
    from tests import factories

    elsewhere = factories.PartnershipFactory(name="Ander netwerk")
    stranger = factories.UserFactory(email="pc-elsewhere@school.test")
    factories.RoleMembershipFactory(
        user=stranger,
        role=Role.PLACEMENT_COORDINATOR,
        institution=elsewhere.institution,
        school_year=network.school_year,
    )
    client.force_login(stranger)
    page = client.get("/monitoring/retention/").content.decode()
    assert "Ander netwerk" in page and network.partnership.name not in page
    asked = client.get(f"/monitoring/retention/?partnership={network.partnership.pk}")
    assert network.partnership.name not in asked.content.decode()
    csv = client.get(f"/monitoring/retention/export.csv?partnership={network.partnership.pk}")
    assert "ander-netwerk" in csv["Content-Disposition"]
