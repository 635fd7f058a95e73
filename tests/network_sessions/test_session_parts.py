"""A session's date and time and its answer buttons are rendered once per process for
what they show (``network_sessions.templatetags.session_parts``): the same HTML as
the templates give with the request, each person their own answer and CSRF token,
and a change to what they show is shown at once."""

import re
import zoneinfo

import pytest
import time_machine
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from config.rendered_memo import CSRF_PLACEHOLDER
from network_sessions.models import Participation
from network_sessions.services import session_respond, session_update
from network_sessions.templatetags import session_parts

from .conftest import brussels

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 11, 10, 9, 0)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _masked(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


def _form_of(html: str, session) -> str:
    action = reverse("network_sessions:respond", args=[session.pk])
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


@pytest.mark.parametrize("answer", ["", "going", "maybe", "not_going"])
def test_the_kept_parts_equal_the_templates_rendered_with_the_request(plan, network, answer):
    session = plan()
    request = RequestFactory().get("/dashboard/?page=2")
    request.user = network.people["coach"]
    with translation.override("nl"):
        kept = Template(
            "{% load session_parts %}{% session_when session %}|{% rsvp_form session answer %}"
        ).render(RequestContext(request, {"session": session, "answer": answer}))
        when = render_to_string("network_sessions/_when.html", {"session": session})
        form = render_to_string(
            "network_sessions/_rsvp_form.html",
            {"session": session, "my_response": answer, "next": request.get_full_path()},
            request=request,
        )
    assert _masked(kept) == _masked(f"{when}|{form}")
    assert 'name="next" value="/dashboard/?page=2"' in kept  # back to the page it is on
    assert CSRF_PLACEHOLDER not in kept
    assert "donderdag 20 november 2025, 14:00" in kept


def test_each_person_answers_with_their_own_form_and_sees_their_own_answer(plan, network):
    session = plan(audience_roles=["coach", "bridge_builder"])
    session_respond(session=session, user=network.people["bridge_builder"], response="maybe")
    answers = {}
    for persona in ("coach", "bridge_builder"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(network.people[persona])
        form = _form_of(client.get(reverse("dashboard")).content.decode(), session)
        answers[persona] = form
        token = TOKEN.search(form)[1]
        response = client.post(
            reverse("network_sessions:respond", args=[session.pk]),
            {"csrfmiddlewaretoken": token, "response": "going", "next": "/dashboard/"},
        )
        assert response.status_code == 302  # its own token is accepted
    # before answering: the coach had none marked, the bridge-builder "maybe"
    assert 'aria-pressed="true"' not in answers["coach"]
    assert (
        'value="maybe" class="btn btn-sm btn-warning" aria-pressed="true"'
        in answers["bridge_builder"]
    )
    assert set(
        Participation.objects.filter(session=session).values_list("response", flat=True)
    ) == {"going"}
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(network.people["coach"])
    refused = forged.post(
        reverse("network_sessions:respond", args=[session.pk]),
        {"csrfmiddlewaretoken": CSRF_PLACEHOLDER, "response": "maybe"},
    )
    assert refused.status_code == 403  # the placeholder is no token


def test_a_new_answer_a_new_time_and_another_language_show_at_once(client, plan, network):
    session = plan()
    coach = network.people["coach"]
    client.force_login(coach)
    page = client.get(reverse("dashboard")).content.decode()
    assert "donderdag 20 november 2025, 14:00" in page
    assert 'aria-pressed="true"' not in _form_of(page, session)

    session_respond(session=session, user=coach, response="not_going")
    page = client.get(reverse("dashboard")).content.decode()
    assert 'value="not_going" class="btn btn-sm btn-danger" aria-pressed="true"' in page

    session_update(
        session=session,
        starts_at=brussels(2025, 11, 21, 15, 30),
        ends_at=brussels(2025, 11, 22, 12, 0),
    )
    page = client.get(reverse("dashboard")).content.decode()
    assert "vrijdag 21 november 2025, 15:30" in page and "22 november 12:00" in page
    assert "donderdag 20 november" not in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    page = client.get(reverse("dashboard")).content.decode()
    assert "Friday 21 November 2025, 15:30" in page and "Will you come?" in page
    listed = client.get(reverse("network_sessions:list")).content.decode()
    assert "Friday 21 November 2025, 15:30" in listed
    # the list's own page to go back to, though the dashboard's form was kept before
    assert 'name="next" value="/sessions/"' in _form_of(listed, session)


def test_another_time_zone_is_another_rendering(plan):
    session = plan()
    template = Template("{% load session_parts %}{% session_when session %}")
    with translation.override("en"):
        here = template.render(Context({"session": session}))
        with timezone.override(zoneinfo.ZoneInfo("UTC")):
            there = template.render(Context({"session": session}))
    assert "Thursday 20 November 2025, 14:00" in here
    assert "Thursday 20 November 2025, 13:00" in there


def test_a_form_rendered_outside_a_view_has_no_token_and_the_memo_is_bounded(plan, monkeypatch):
    session = plan()
    html = Template("{% load session_parts %}{% rsvp_form session 'going' next='/x/' %}").render(
        Context({"session": session})
    )
    assert CSRF_PLACEHOLDER not in html and 'name="next" value="/x/"' in html
    monkeypatch.setattr(session_parts._rsvp, "max_entries", 2)
    for answer in ("going", "maybe", "not_going"):
        Template("{% load session_parts %}{% rsvp_form session answer %}").render(
            Context({"session": session, "answer": answer})
        )
    assert len(session_parts._rsvp) == 2
