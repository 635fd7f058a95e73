"""Permission matrix: persona × URL × method → status. Bridge-builders see only
their schools, process facilitators their communities' schools, school leaders
their own school's agreement and teams, admins everything; others 404."""

import pytest

from oversight.services import agreement_create, agreement_item_save
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, "anonymous"]
LOGIN = 302  # anonymous visitors go to the login page


def _expect(allowed: dict, default=404):
    return {persona: allowed.get(persona, default) for persona in ALL} | {"anonymous": LOGIN}


OVERSIGHT = _expect(
    {"bridge_builder": 200, "process_facilitator": 200, "school_leader": 200, "network_admin": 200}
)
NETWORK = _expect({"process_facilitator": 200, "network_admin": 200})
# Everyone with a role at the home school reads its agreement; the outsider is a
# coach of the other school.
AGREEMENT_READ = _expect(
    {
        "coach": 200,
        "research_teacher": 200,
        "student_teacher": 200,
        "bridge_builder": 200,
        "school_leader": 200,
        "process_facilitator": 200,
        "network_admin": 200,
    }
)
# Changing: the school leader and admins; other readers are refused (403).
AGREEMENT_CHANGE = (
    AGREEMENT_READ
    | {p: 403 for p, s in AGREEMENT_READ.items() if s == 200}
    | {"school_leader": 302, "network_admin": 302}
)
AGREE_SCHOOL = AGREEMENT_CHANGE | {"network_admin": 403}
AGREE_INSTITUTION = AGREEMENT_CHANGE | {"school_leader": 403}

MATRIX = [
    ("GET", "/oversight/", None, OVERSIGHT),
    ("GET", "/oversight/export/teams.csv", None, OVERSIGHT),
    ("GET", "/oversight/network/", None, NETWORK),
    ("GET", "/oversight/export/stages.csv", None, NETWORK),
    ("GET", "/oversight/export/activity.csv", None, NETWORK),
    ("GET", "/oversight/export/communities.csv", None, NETWORK),
    ("GET", "/oversight/export/participation.csv", None, NETWORK),
    # The outsider reads the list too: it holds their own school's agreement.
    ("GET", "/oversight/agreements/", None, AGREEMENT_READ | {"outsider": 200}),
    ("GET", "/oversight/export/agreements.csv", None, AGREEMENT_READ | {"outsider": 200}),
    ("GET", "/oversight/agreements/{pk}/", None, AGREEMENT_READ),
    ("GET", "/oversight/agreements/{pk}/export.csv", None, AGREEMENT_READ),
    ("POST", "/oversight/agreements/{pk}/goals/", {"goals": "Nieuw"}, AGREEMENT_CHANGE),
    (
        "POST",
        "/oversight/agreements/{pk}/items/",
        {"item-party": "school", "item-kind": "return", "item-description": "Tijd"},
        AGREEMENT_CHANGE,
    ),
    ("POST", "/oversight/agreements/{pk}/items/{item}/delete/", {}, AGREEMENT_CHANGE),
    ("POST", "/oversight/agreements/{pk}/agree/", {"side": "school"}, AGREE_SCHOOL),
    ("POST", "/oversight/agreements/{pk}/agree/", {"side": "institution"}, AGREE_INSTITUTION),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    MATRIX,
    ids=[f"{m} {u} {d or ''}" for m, u, d, _e in MATRIX],
)
def test_permission_matrix(client, network, persona, method, url, data, expected):
    agreement = agreement_create(
        school=network.school, school_year=network.school_year, goals="Doel"
    )
    item = agreement_item_save(
        agreement=agreement, party="school", kind="contribution", description="Stages"
    )
    # A second school's agreement that none of the home-school personas may see.
    agreement_create(school=network.other_school, school_year=network.school_year)
    if persona != "anonymous":
        client.force_login(network.people[persona])
    url = url.format(pk=agreement.pk, item=item.pk)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == expected[persona], (persona, method, url)


def test_the_outsider_cannot_read_another_schools_agreement_even_by_number(client, network):
    agreement = agreement_create(school=network.school, school_year=network.school_year)
    client.force_login(network.people["outsider"])
    assert client.get(f"/oversight/agreements/{agreement.pk}/").status_code == 404


def test_the_outsider_sees_their_own_schools_agreement_only(client, network):
    agreement_create(school=network.school, school_year=network.school_year, goals="Thuis")
    own = agreement_create(school=network.other_school, school_year=network.school_year)
    client.force_login(network.people["outsider"])
    response = client.get("/oversight/agreements/")
    assert response.status_code == 200
    assert [a.pk for a in response.context["agreements"]] == [own.pk]


def test_a_bridge_builder_sees_only_their_schools_teams(client, network):
    client.force_login(network.people["bridge_builder"])
    response = client.get("/oversight/")
    teams = [row.team for row in response.context["rows"]]
    assert teams == [network.team]


def test_the_nav_links_to_oversight_for_overseers_only(client, network):
    for persona, shown in [
        ("bridge_builder", True),
        ("process_facilitator", True),
        ("network_admin", True),
        ("coach", False),
        ("outsider", False),
    ]:
        client.force_login(network.people[persona])
        html = client.get("/dashboard/").content.decode()
        assert ('href="/oversight/"' in html) is shown, persona


def test_the_nav_link_is_decided_at_login_and_kept_in_the_session(client, network):
    client.force_login(network.people["coach"])
    assert client.session["oversight_link"] is False
    client.force_login(network.people["bridge_builder"])
    assert client.session["oversight_link"] is True
    # An older session without the flag gets it filled in once.
    session = client.session
    del session["oversight_link"]
    session.save()
    client.get("/dashboard/")
    assert client.session["oversight_link"] is True
