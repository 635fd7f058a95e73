"""The month view beside the list, and the calendar feed's subscribe page."""

import pytest
import time_machine
from django.urls import reverse

from network_sessions.services import session_respond
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .conftest import brussels

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 11, 10, 9, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coaches_session(plan):
    """For the coaches (the outsider is a coach too); the bridge-builder organises it."""
    return plan(title="Lerend netwerk coaches", audience_roles=["coach"])


@pytest.mark.parametrize("persona", [*PERSONAS, *CONTINUUM_PERSONAS, None])
def test_month_view_shows_only_the_sessions_a_person_may_see(
    login, network, coaches_session, persona
):
    client = login(network.people[persona] if persona else None)
    response = client.get(reverse("network_sessions:month"), {"m": "2025-11"})
    if persona is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        return
    assert response.status_code == 200
    sees = persona in {"coach", "outsider", "bridge_builder", "network_admin"}
    assert ("Lerend netwerk coaches" in response.content.decode()) is sees


@pytest.mark.parametrize("persona", ["coach", None])
def test_the_month_view_changes_nothing_on_post(login, network, persona):
    client = login(network.people[persona] if persona else None)
    response = client.post(reverse("network_sessions:month"))
    assert response.status_code in {200, 302}  # a GET page: a POST reads it, writes nothing


def test_the_session_is_on_its_day_with_a_link(login, network, coaches_session):
    page = (
        login(network.people["coach"])
        .get(reverse("network_sessions:month"), {"m": "2025-11"})
        .content.decode()
    )
    day = page.index('<time datetime="2025-11-20">')
    link = page.index(reverse("network_sessions:detail", args=[coaches_session.pk]))
    next_day = page.index('<time datetime="2025-11-21">')
    assert day < link < next_day
    assert "november 2025" in page
    assert "?m=2025-10" in page and "?m=2025-12" in page


def test_the_month_grid_is_an_accessible_table(login, network):
    page = (
        login(network.people["coach"])
        .get(reverse("network_sessions:month"), {"m": "2027-02"})
        .content.decode()
    )
    assert "<caption" in page and "februari 2027" in page
    assert page.count('<th scope="col">') == 7
    assert '<abbr title="maandag">' in page  # Monday first
    assert page.count("<tr>") == 1 + 4  # February 2027 starts on a Monday: four weeks


def test_today_is_marked(login, network):
    page = login(network.people["coach"]).get(reverse("network_sessions:month")).content.decode()
    assert 'aria-current="date"' in page
    assert "november 2025" in page


@pytest.mark.parametrize("value", ["2025-13", "abc", "0000-01", "99999-01", "2025-1x", ""])
def test_a_bad_month_shows_this_month(login, network, value):
    response = login(network.people["coach"]).get(reverse("network_sessions:month"), {"m": value})
    assert response.status_code == 200
    assert "november 2025" in response.content.decode()


def test_the_month_view_query_budget(login, network, plan, django_assert_max_num_queries):
    coach = network.people["coach"]
    for day in range(20):
        session = plan(title=f"Sessie {day}", starts_at=brussels(2025, 11, 11 + day, 14, 0))
        if day % 2:
            session_respond(session=session, user=coach, response="going")
    client = login(coach)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("network_sessions:month"), {"m": "2025-11"})
    page = response.content.decode()
    assert all(f"Sessie {day}<" in page for day in range(20))


def test_list_and_month_link_to_each_other(login, network):
    client = login(network.people["coach"])
    assert (
        reverse("network_sessions:month")
        in client.get(reverse("network_sessions:list")).content.decode()
    )
    assert (
        reverse("network_sessions:list")
        in client.get(reverse("network_sessions:month")).content.decode()
    )


def test_the_calendar_page_offers_a_webcal_link_a_copy_button_and_instructions(login, network):
    page = login(network.people["coach"]).get(reverse("network_sessions:calendar")).content.decode()
    assert 'href="webcal://' in page
    assert 'data-copy-target="feed-url"' in page
    assert "copy.js" in page
    for program in ("Outlook", "Google Agenda", "Apple Agenda"):
        assert program in page
