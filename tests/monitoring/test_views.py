"""Who sees what (persona × URL), opening a round with bad input, and the query
budget of the network page with 60 schools × 30 respondents × 4 rounds."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Invitation, Moment, Response, Round, Score
from schools.models import Role
from tests import factories
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .conftest import answer, make_round

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, *CONTINUUM_PERSONAS, None]
SCHOOL_READERS = {"coach", "bridge_builder", "school_leader", "network_admin"}
ROUND_OPENERS = {"bridge_builder", "school_leader", "network_admin"}
COMMUNITY_READERS = {"process_facilitator", "school_leader", "network_admin"}
NETWORK_READERS = {
    "bridge_builder",
    "process_facilitator",
    "placement_coordinator",
    "network_admin",
}


def expected(persona, readers):
    if persona is None:
        return 302
    return 200 if persona in readers else 404


def pages(network):
    school, community, partnership = network.school, network.community, network.partnership
    return {
        reverse("monitoring:school", args=[school.pk]): SCHOOL_READERS,
        reverse("monitoring:school_csv", args=[school.pk]): SCHOOL_READERS,
        reverse("monitoring:school_json", args=[school.pk]): SCHOOL_READERS,
        reverse("monitoring:community", args=[community.pk]): COMMUNITY_READERS,
        reverse("monitoring:community_csv", args=[community.pk]): COMMUNITY_READERS,
        reverse("monitoring:community_json", args=[community.pk]): COMMUNITY_READERS,
        reverse("monitoring:network", args=[partnership.pk]): NETWORK_READERS,
        reverse("monitoring:network_csv", args=[partnership.pk]): NETWORK_READERS,
        reverse("monitoring:network_json", args=[partnership.pk]): NETWORK_READERS,
    }


@pytest.mark.parametrize("persona", EVERYONE)
def test_permission_matrix_of_the_results(client, network, instrument, login, persona):
    answer(make_round(network.school, network.school_year, instrument), instrument, 5)
    login(network.people[persona] if persona else None)
    landing = client.get(reverse("monitoring:landing"))
    assert landing.status_code == (302 if persona is None else 200)
    for url, readers in pages(network).items():
        assert client.get(url).status_code == expected(persona, readers), url
        # Results are read-only: no POST anywhere.
        assert client.post(url).status_code == 405, url
    # Nothing of another school, except to its own coach (the outsider) and admins.
    other = client.get(reverse("monitoring:school", args=[network.other_school.pk]))
    assert other.status_code == expected(persona, {"outsider", "network_admin"})


@pytest.mark.parametrize("persona", EVERYONE)
def test_permission_matrix_of_opening_a_round(client, network, instrument, login, persona):
    login(network.people[persona] if persona else None)
    url = reverse("monitoring:round_create", args=[network.school.pk])
    allowed = ROUND_OPENERS
    get_expected = expected(persona, allowed)
    if persona == "coach":
        get_expected = 403  # sees the results, cannot open a round
    assert client.get(url).status_code == get_expected
    closes = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    posted = client.post(
        url, {"moment": Moment.START, "instrument": instrument.pk, "closes_on": closes}
    )
    assert posted.status_code == (302 if persona in allowed else get_expected)
    assert Round.objects.exists() == (persona in allowed)


@pytest.mark.parametrize("persona", [p for p in EVERYONE if p is not None])
def test_the_landing_page_links_exactly_the_results_each_person_may_open(
    client, network, login, persona
):
    login(network.people[persona])
    html = client.get(reverse("monitoring:landing")).content.decode()
    links = {
        reverse("monitoring:school", args=[network.school.pk]): SCHOOL_READERS,
        reverse("monitoring:community", args=[network.community.pk]): COMMUNITY_READERS,
        reverse("monitoring:network", args=[network.partnership.pk]): NETWORK_READERS,
        # the other school's results: its own coach (the outsider) and admins
        reverse("monitoring:school", args=[network.other_school.pk]): {
            "outsider",
            "network_admin",
        },
    }
    for url, readers in links.items():
        assert (f'href="{url}"' in html) == (persona in readers), url


def test_the_landing_page_lists_what_each_person_may_see(client, network, login):
    login(network.people["school_leader"])
    html = client.get(reverse("monitoring:landing")).content.decode()
    assert reverse("monitoring:school", args=[network.school.pk]) in html
    assert reverse("monitoring:community", args=[network.community.pk]) in html
    assert reverse("monitoring:network", args=[network.partnership.pk]) not in html
    login(network.people["mentor"])
    html = client.get(reverse("monitoring:landing")).content.decode()
    assert 'data-testid="monitoring-nothing"' in html


@pytest.fixture
def leader(client, network, login, instrument):
    login(network.people["school_leader"])
    return client


def open_round(client, network, instrument, **data):
    return client.post(
        reverse("monitoring:round_create", args=[network.school.pk]),
        {"moment": Moment.START, "instrument": instrument.pk, **data},
    )


def test_a_closing_date_in_the_past_is_refused_with_a_field_message(leader, network, instrument):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = open_round(leader, network, instrument, closes_on=yesterday, moment=Moment.END)
    assert page.status_code == 200
    form = page.context["form"]
    assert "closes_on" in form.errors
    assert form.data["moment"] == Moment.END  # what was typed stays
    assert not Round.objects.exists() and not Invitation.objects.exists()


@pytest.mark.parametrize("closes_on", ["", "31-02-2026", "9999-99-99", "0"])
def test_a_missing_or_garbled_date_is_refused(leader, network, instrument, closes_on):
    page = open_round(leader, network, instrument, closes_on=closes_on)
    assert page.status_code == 200
    assert "closes_on" in page.context["form"].errors
    assert not Round.objects.exists()


def test_a_second_round_at_the_same_moment_is_refused(leader, network, instrument):
    closes = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert open_round(leader, network, instrument, closes_on=closes).status_code == 302
    again = open_round(leader, network, instrument, closes_on=closes)
    assert "moment" in again.context["form"].errors
    assert Round.objects.count() == 1


def test_the_teaching_roles_are_invited_and_nobody_else(leader, network, instrument):
    closes = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    open_round(leader, network, instrument, closes_on=closes)
    invited = set(Invitation.objects.values_list("person__email", flat=True))
    assert invited == {
        network.people[p].email
        for p in [
            "coach",
            "research_teacher",
            "school_leader",
            "mentor",
            "starting_teacher",
            "career_changer",
        ]
    }


def bulk_network(network, instrument, *, schools=60, people=30, moments=4):
    """60 schools × 30 respondents × 4 rounds, written in bulk (the page is measured,
    not the answering)."""
    school_list = [network.school, network.other_school] + [
        factories.SchoolFactory(partnership=network.partnership) for _ in range(schools - 2)
    ]
    years = [network.school_year, factories.SchoolYearFactory(name="2024-2025")]
    person = network.people["mentor"]
    subscales = list(instrument.subscales.all())
    rounds = Round.objects.bulk_create(
        [
            Round(
                school=school,
                school_year=year,
                instrument=instrument,
                moment=moment,
                closes_on=timezone.localdate(),
                response_count=people,
            )
            for school in school_list
            for year in years
            for moment in [Moment.START, Moment.END][: moments // len(years)]
        ]
    )
    Invitation.objects.bulk_create(
        [Invitation(round=r, person=person, used=True) for r in rounds], batch_size=500
    )
    responses = [
        Response(id=uuid.uuid4(), round=r, answers={}, batch=n // 5)
        for r in rounds
        for n in range(people)
    ]
    Response.objects.bulk_create(responses, batch_size=1000)
    Score.objects.bulk_create(
        [
            Score(response=response, subscale=subscale, value=(index % 6) + 1)
            for index, response in enumerate(responses)
            for subscale in subscales
        ],
        batch_size=2000,
    )
    return rounds


def test_the_network_page_runs_a_fixed_number_of_queries(
    client, network, instrument, login, django_assert_max_num_queries
):
    rounds = bulk_network(network, instrument)
    assert len(rounds) == 240 and Response.objects.count() == 7200
    login(network.people["network_admin"])
    url = reverse("monitoring:network", args=[network.partnership.pk])
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="result-row"') == 4 * 2
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("monitoring:network_json", args=[network.partnership.pk])).json()[
                "rounds"
            ][0]["counted"]
            == 60 * 30
        )


def test_the_landing_page_runs_a_fixed_number_of_queries(
    client, network, login, django_assert_max_num_queries
):
    for _ in range(15):
        school = factories.SchoolFactory(partnership=network.partnership)
        factories.RoleMembershipFactory(
            user=network.people["bridge_builder"],
            role=Role.BRIDGE_BUILDER,
            school=school,
            institution=network.institution,
            school_year=network.school_year,
        )
    login(network.people["bridge_builder"])
    with django_assert_max_num_queries(10):
        html = client.get(reverse("monitoring:landing")).content.decode()
    assert html.count("/monitoring/schools/") == 16
