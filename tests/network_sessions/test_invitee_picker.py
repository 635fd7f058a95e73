"""The named-invitee picker: only people the planner may invite, a plain multiple
select without JavaScript, a filter box with it (tests/browser/test_daily_use_story.py)."""

import pytest
import time_machine
from django.urls import reverse

from config.forms import BoundedModelMultipleChoiceField
from network_sessions.forms import SessionForm
from network_sessions.models import NetworkSession
from tests import factories

from .conftest import brussels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(brussels(2025, 11, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def former_teacher(network):
    """Had a role last year, none this year."""
    person = factories.UserFactory(full_name="Oud Collega")
    last_year = factories.SchoolYearFactory(name="2024-2025", is_current=False)
    factories.RoleMembershipFactory(
        user=person, role="coach", school=network.school, school_year=last_year
    )
    return person


def _post(client, people):
    return client.post(
        reverse("network_sessions:create"),
        {
            "kind": "learning_network",
            "title": "Met naam uitgenodigd",
            "starts_at": "2025-12-02T14:00",
            "ends_at": "2025-12-02T16:00",
            "reminder_days": "7",
            "audience_people": [person.pk for person in people],
        },
    )


def test_a_bridge_builder_picks_from_the_people_of_the_network_this_year(
    client, network, former_teacher
):
    client.force_login(network.people["bridge_builder"])
    page = client.get(reverse("network_sessions:create")).content.decode()
    assert "Sara Peeters" in page and "Tom Vermeulen" in page
    assert "Oud Collega" not in page
    assert 'data-filter-label="Zoek personen op naam"' in page
    assert "picker.js" in page
    response = _post(client, [former_teacher])
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not NetworkSession.objects.exists()
    response = _post(client, [network.people["coach"], network.people["mentor"]])
    assert response.status_code == 302
    session = NetworkSession.objects.get()
    assert set(session.audience_people.all()) == {network.people["coach"], network.people["mentor"]}


def test_a_network_admin_may_name_anyone_active(client, network, former_teacher):
    client.force_login(network.people["network_admin"])
    assert _post(client, [former_teacher]).status_code == 302


def test_editing_keeps_a_named_invitee_who_has_since_left(client, network, former_teacher, plan):
    session = plan(audience_people=[former_teacher])
    client.force_login(network.people["bridge_builder"])
    page = client.get(reverse("network_sessions:edit", args=[session.pk])).content.decode()
    assert "Oud Collega" in page


def test_the_picker_stays_the_bounded_field():
    assert isinstance(SessionForm.base_fields["audience_people"], BoundedModelMultipleChoiceField)


def test_the_plan_page_query_budget(client, network, django_assert_max_num_queries):
    for _number in range(40):
        factories.RoleMembershipFactory(
            user=factories.UserFactory(), role="teacher", school=network.school,
            school_year=network.school_year,
        )  # fmt: skip
    client.force_login(network.people["bridge_builder"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network_sessions:create"))
    assert response.content.decode().count("<option") > 40
