"""Cancelling a session mails every invitee, so it takes two steps: a confirm page
(a plain form, no JavaScript) that asks for a reason, and the reason goes into the
cancellation mail. A cancel without that step changes nothing."""

import re

import pytest
import time_machine
from django.urls import reverse

from network_sessions.models import Delivery
from tests.conftest import PERSONAS

from .conftest import brussels

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 11, 10, 9, 0)
REASON = "De spreker is ziek; we plannen een nieuwe datum."


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(plan):
    return plan(audience_roles=["coach"])  # the coach and the outsider are invited


def cancel_url(session) -> str:
    return reverse("network_sessions:cancel", args=[session.pk])


def confirm_url(session) -> str:
    return reverse("network_sessions:cancel_confirm", args=[session.pk])


def test_a_cancel_without_the_confirm_step_changes_nothing(client, network, session, mailoutbox):
    client.force_login(network.people["bridge_builder"])
    response = client.post(cancel_url(session))
    assert response.status_code == 302
    assert response.url == confirm_url(session)
    session.refresh_from_db()
    assert not session.is_cancelled
    assert not Delivery.objects.exists()
    assert mailoutbox == []


def test_the_detail_page_leads_to_the_confirm_page(client, network, session):
    client.force_login(network.people["bridge_builder"])
    page = client.get(reverse("network_sessions:detail", args=[session.pk])).content.decode()
    assert f'href="{confirm_url(session)}"' in page
    assert f'action="{cancel_url(session)}"' not in page  # no one-click button any more


def test_the_confirm_page_is_a_plain_form_that_says_who_is_told(client, network, session):
    client.force_login(network.people["bridge_builder"])
    response = client.get(confirm_url(session))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<form method="post" action="{cancel_url(session)}"' in page
    assert re.search(r'<label\s[^>]*for="id_reason"', page)
    assert re.search(r'<textarea name="reason"[^>]* required', page)
    assert "2 genodigden krijgen meteen een annuleringsmail" in page


def test_cancelling_needs_a_reason(client, network, session, mailoutbox):
    client.force_login(network.people["bridge_builder"])
    response = client.post(cancel_url(session), {"reason": "   "})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled
    assert not Delivery.objects.exists()


def test_the_reason_is_in_the_cancellation_mail(
    client, network, session, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(network.people["bridge_builder"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(session), {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("network_sessions:detail", args=[session.pk])
    page = response.content.decode()
    assert "De sessie is geannuleerd; de genodigden krijgen bericht." in page
    assert REASON in page
    session.refresh_from_db()
    assert session.is_cancelled
    assert session.cancellation_reason == REASON
    assert sorted(m.to[0] for m in mailoutbox) == ["coach@school.test", "other@school.test"]
    for message in mailoutbox:
        assert message.subject.startswith("Geannuleerd")
        assert f"Reden: {REASON}" in message.body
        html = message.alternatives[0][0]
        assert REASON in html


CONFIRM_MATRIX = {
    "coach": 403,  # invited, not the organiser
    "research_teacher": 404,
    "student_teacher": 404,
    "bridge_builder": 200,  # the organiser
    "school_leader": 404,
    "process_facilitator": 404,
    "network_admin": 200,
    "outsider": 403,
}


@pytest.mark.parametrize("persona", [*PERSONAS, None])
def test_who_sees_the_confirm_page(client, network, session, persona):
    if persona is not None:
        client.force_login(network.people[persona])
    response = client.get(confirm_url(session))
    assert response.status_code == CONFIRM_MATRIX.get(persona, 302)


def test_a_session_that_has_started_has_no_confirm_page(client, network, session):
    client.force_login(network.people["bridge_builder"])
    with time_machine.travel(session.starts_at, tick=False):
        response = client.get(confirm_url(session), follow=True)
    assert response.redirect_chain[-1][0] == reverse("network_sessions:detail", args=[session.pk])
    assert "Een sessie die begonnen is, kan niet meer geannuleerd worden." in (
        response.content.decode()
    )
