"""Every page's header and footer are rendered once per process for what they show
(``partnership.templatetags.page_chrome``): the same HTML as the templates give with
the request, each person their own name, links and CSRF token, and a change to what
they show is shown at once."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from config.rendered_memo import CSRF_PLACEHOLDER
from notifications.models import Notification
from partnership.templatetags import page_chrome

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _part(html: str, tag: str) -> str:
    start = html.index(f'<{tag} class="site-{tag}')
    return html[start : html.index(f"</{tag}>", start) + len(tag) + 3]


def _without_tokens(html: str) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value="…"', html)


def _mention(network, person) -> None:
    """An unread notification for ``person``: the header's badge counts it."""
    Notification.objects.create(
        recipient=person,
        kind="mention",
        event_key="chrome",
        actor=network.people["coach"],
        target_id=1,
        params={"actor": "Sara", "team": "Lezen"},
        url="/",
    )


def _get(client, url: str) -> tuple[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), response.wsgi_request


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        (None, "/"),
        (None, "/studies/?q=<lezen>&sort=oldest"),
        ("coach", "/teams/{team}/"),
        ("coach", "/dashboard/"),
        ("network_admin", "/oversight/"),  # staff: the administration link
        ("process_facilitator", "/oversight/network/"),
        ("placement_coordinator", "/placements/"),
        ("research_teacher", "/notifications/"),
    ],
)
def test_the_remembered_header_and_footer_are_what_the_templates_give(
    client, network, persona, url
):
    if persona:
        client.force_login(network.people[persona])
    _mention(network, network.people["research_teacher"])
    url = url.format(team=network.team.pk)
    for _ in range(2):  # rendered, then remembered
        html, request = _get(client, url)
        with translation.override(request.LANGUAGE_CODE):
            header = render_to_string("includes/header.html", request=request)
            footer = render_to_string("includes/footer.html", request=request)
        assert _without_tokens(_part(html, "header")) == _without_tokens(header.strip())
        assert _without_tokens(_part(html, "footer")) == _without_tokens(footer.strip())
    assert CSRF_PLACEHOLDER not in html


def test_two_people_each_see_their_own_name_and_links(client, network):
    coach, admin = network.people["coach"], network.people["network_admin"]
    client.force_login(coach)
    html, _ = _get(client, "/dashboard/")
    assert coach.get_short_name() in _part(html, "header")
    assert "/admin/" not in html  # the administration link is staff's
    client.force_login(admin)
    html, _ = _get(client, "/dashboard/")
    header = _part(html, "header")
    assert admin.get_short_name() in header and coach.get_short_name() not in header
    assert 'href="/admin/"' in header
    client.logout()
    html, _ = _get(client, "/")
    assert "Inloggen" in _part(html, "header") and admin.get_short_name() not in html


def test_a_new_name_an_unread_notification_and_another_language_show_at_once(client, network):
    teacher = network.people["research_teacher"]
    client.force_login(teacher)
    html, _ = _get(client, "/dashboard/")
    assert 'data-testid="unread-badge"' not in html and "Lotte" in _part(html, "header")
    teacher.full_name = "Charlotte Janssens"
    teacher.save()
    _mention(network, teacher)
    html, _ = _get(client, "/dashboard/")
    header = _part(html, "header")
    assert "Charlotte" in header and 'data-testid="unread-badge">1<' in header
    assert "Mijn account" in header
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    html, _ = _get(client, "/dashboard/")
    assert "My account" in _part(html, "header") and "Mijn account" not in html


def test_each_request_gets_a_working_token_of_its_own(network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.people["coach"])
    first, _ = _get(client, "/dashboard/")
    second, _ = _get(client, "/dashboard/")
    tokens = CSRF.findall(_part(second, "header"))
    assert len(tokens) == 2 and len(set(tokens)) == 1  # log out and language: one token
    assert tokens[0] not in first  # masked anew for every page, as Django does
    response = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    forged = client.post("/i18n/setlang/", {"language": "nl", "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_a_page_rendered_without_a_request_still_has_its_header(network):
    with translation.override("nl"):
        html = render_to_string("base.html")
    assert "Inloggen" in _part(html, "header") and "site-footer" in html
    assert len(page_chrome._memo) == 0  # nothing remembered without a request


def test_the_memo_stays_within_its_bound(client, network, monkeypatch):
    monkeypatch.setattr(page_chrome._memo, "max_entries", 2)
    client.force_login(network.people["coach"])
    for path in ["/dashboard/", "/sessions/", "/vacancies/", "/monitoring/", "/notifications/"]:
        html, _ = _get(client, path)
        assert f'name="next" value="{path}"' in _part(html, "header")  # the switcher's return
    assert len(page_chrome._memo) == 2


def test_every_search_shares_one_header_that_returns_to_its_own_search(client, network):
    page_chrome._memo.clear()
    headers = []
    for url in ["/studies/?q=lezen", '/studies/?q=<b>"rekenen"</b>&page=2', "/studies/"]:
        html, request = _get(client, url)
        headers.append(_part(html, "header"))
        returns_to = escape(request.get_full_path())  # as the template escapes it
        assert f'name="next" value="{returns_to}"' in headers[-1]
    assert "q=lezen" in headers[0] and "lezen" not in headers[1] + headers[2]
    assert "&amp;page=2" in headers[1] and "&page=2" not in headers[1]
    assert len(page_chrome._memo) == 2  # one header and one footer for all three
    assert page_chrome.FULL_PATH_PLACEHOLDER not in "".join(headers)
