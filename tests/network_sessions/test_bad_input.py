"""Typed input the session pages must survive (found by fuzzing): a form error or a
safe redirect, never a 500."""

import pytest
import time_machine
from django.urls import reverse

from network_sessions import services
from network_sessions.models import NetworkSession

from .conftest import brussels

pytestmark = pytest.mark.django_db

ABOVE_BIGINT = str(10**23)


@pytest.mark.parametrize("field", ["audience_communities", "audience_schools", "audience_people"])
def test_an_audience_id_above_the_64_bit_range_is_an_invalid_choice(client, network, field):
    # SQLite raised OverflowError for it (a 500).
    client.force_login(network.people["network_admin"])
    response = client.post(
        reverse("network_sessions:create"),
        {
            "kind": "learning_network",
            "title": "Lerend netwerk maart",
            "starts_at": "2026-03-10T14:00",
            "ends_at": "2026-03-10T17:00",
            "audience_roles": ["coach"],
            field: [ABOVE_BIGINT],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Selecteer een geldige keuze. {ABOVE_BIGINT} is geen beschikbare keuze." in html
    assert 'value="Lerend netwerk maart"' in html
    assert not NetworkSession.objects.exists()


@time_machine.travel(brussels(2025, 11, 10, 9, 0), tick=False)
@pytest.mark.parametrize("next_", ["abc", "network_sessions:list", "", "https://evil.example/"])
def test_an_answer_with_a_next_that_is_not_a_path_returns_to_the_session(
    client, plan, network, next_
):
    # "abc" was taken for a view name (NoReverseMatch, a 500).
    session = plan(starts_at=brussels(2025, 11, 20, 14, 0))
    client.force_login(network.people["coach"])
    response = client.post(
        reverse("network_sessions:respond", args=[session.pk]),
        {"response": "going", "next": next_},
    )
    assert response.status_code == 302
    assert response.url == reverse("network_sessions:detail", args=[session.pk])
    assert session.participations.get().response == "going"


@pytest.mark.parametrize("token", ["%00.abc", "abc.%00", "é.x"])
def test_a_calendar_address_that_cannot_hold_a_token_is_not_found(client, db, token):
    # A NUL byte reached the feed key lookup, which PostgreSQL refused (a 500).
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_calendar_feed_address_still_works(client, network):
    client.force_login(network.people["coach"])
    feed = services.calendar_feed_for(user=network.people["coach"])
    client.logout()
    response = client.get(reverse("network_sessions:feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_the_admin_refuses_an_audience_id_above_the_64_bit_range(client, network):
    client.force_login(network.people["network_admin"])
    response = client.post(
        reverse("admin:network_sessions_networksession_add"),
        {"title": "Lerend netwerk april", "audience_people": [ABOVE_BIGINT]},
    )
    assert response.status_code == 200
    assert f"Selecteer een geldige keuze. {ABOVE_BIGINT} is geen beschikbare keuze." in (
        response.content.decode()
    )
    assert not NetworkSession.objects.exists()
