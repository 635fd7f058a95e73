"""The school leader's staff confirmation: one row per starter and career changer
of the school (this year or last), saved all together or not at all."""

import pytest

from retention.models import StaffConfirmation, StaffConfirmationEntry
from schools.models import Role
from tests import factories

from .cohort import year

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(network):
    """The fixture's starting teacher and career changer (this year) and a starter
    of last year who is no longer at the school."""
    last_year = year(2024)
    former = factories.UserFactory(email="former@school.test", full_name="Zoë Vandamme")
    factories.RoleMembershipFactory(
        user=former,
        role=Role.STARTING_TEACHER,
        school=network.school,
        school_year=last_year,
        started_teaching_in=last_year,
    )
    people = network.people
    return [people["starting_teacher"], people["career_changer"], former]


def url(network):
    return f"/monitoring/retention/schools/{network.school.pk}/confirm/"


def post_data(rows):
    data = {
        "staff-TOTAL_FORMS": str(len(rows)),
        "staff-INITIAL_FORMS": str(len(rows)),
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
    }
    for index, (person, status) in enumerate(rows):
        data[f"staff-{index}-person"] = str(person.pk)
        if status:
            data[f"staff-{index}-status"] = status
    return data


def test_the_form_lists_this_year_and_last_years_starters_once(login, network, roster):
    page = login(network.people["school_leader"]).get(url(network)).content.decode()
    assert page.count('data-testid="person-row"') == 3
    for person in roster:
        assert person.full_name in page
    assert network.people["mentor"].full_name not in page  # a teacher, not a starter


def test_the_school_leader_confirms_everyone_at_once(login, network, roster):
    client = login(network.people["school_leader"])
    client.cookies["django_language"] = "en"
    response = client.post(
        url(network),
        post_data([(roster[0], "still_here"), (roster[1], "still_here"), (roster[2], "moved")]),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/monitoring/retention/schools/{network.school.pk}/"
    assert "the staff of Basisschool De Regenboog is confirmed" in response.content.decode()
    confirmation = StaffConfirmation.objects.get()
    assert confirmation.confirmed_by == network.people["school_leader"]
    assert dict(confirmation.entries.values_list("person__email", "status")) == {
        roster[0].email: "still_here",
        roster[1].email: "still_here",
        "former@school.test": "moved",
    }
    # Confirming again replaces the answers (one confirmation per school and year).
    client.post(
        url(network),
        post_data([(roster[0], "left"), (roster[1], "still_here"), (roster[2], "unknown")]),
    )
    assert StaffConfirmation.objects.count() == 1
    assert StaffConfirmationEntry.objects.get(person=roster[0]).status == "left"


def test_a_missing_choice_is_named_and_nothing_is_saved(login, network, roster):
    client = login(network.people["school_leader"])
    client.cookies["django_language"] = "en"
    response = client.post(
        url(network),
        post_data([(roster[0], "still_here"), (roster[1], ""), (roster[2], "left")]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "Pieter Goossens: Choose a status for this person." in page
    # What was typed is kept: the first and third rows still have their choice.
    assert page.count("checked") == 2
    assert not StaffConfirmation.objects.exists()
    assert not StaffConfirmationEntry.objects.exists()


def test_a_person_not_at_the_school_is_refused_and_nothing_is_saved(login, network, roster):
    client = login(network.people["school_leader"])
    stranger = network.people["outsider"]  # a coach of the other school
    response = client.post(
        url(network),
        post_data(
            [
                (roster[0], "still_here"),
                (roster[1], "still_here"),
                (roster[2], "left"),
                (stranger, "left"),
            ]
        ),
    )
    assert response.status_code == 400
    assert (
        "Alleen de beginnende leraren en zij-instromers van de school" in response.content.decode()
    )
    assert not StaffConfirmation.objects.exists()


def test_leaving_someone_out_is_refused(login, network, roster):
    client = login(network.people["school_leader"])
    response = client.post(url(network), post_data([(roster[0], "still_here")]))
    assert response.status_code == 400
    assert not StaffConfirmation.objects.exists()


def test_an_unknown_status_is_a_field_message_not_a_500(login, network, roster):
    client = login(network.people["school_leader"])
    response = client.post(
        url(network),
        post_data([(roster[0], "retired"), (roster[1], "still_here"), (roster[2], "left")]),
    )
    assert response.status_code == 400
    assert not StaffConfirmation.objects.exists()


def test_a_school_without_starters_has_nobody_to_confirm(login, network):
    for role in (Role.STARTING_TEACHER, Role.CAREER_CHANGER):
        network.school.role_memberships.filter(role=role).delete()
    page = login(network.people["school_leader"]).get(url(network)).content.decode()
    assert 'data-testid="nobody"' in page
