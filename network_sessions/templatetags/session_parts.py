"""A network session's date and time, and its "Will you come?" form, each rendered
once per process for what it shows.

The dashboard and the sessions list show, per session, when it is
(``_when.html``: weekday and month names in the person's language, in the
network's time zone) and the three answer buttons (``_rsvp_form.html``). Issue
17's profile of the coach's dashboard put about a tenth of its CPU into these two
includes, rendered anew for every session on every visit, although what they show
depends on a few values only. ``{% session_when %}`` and ``{% rsvp_form %}`` render
the same templates **without the request** from those values and keep the HTML
(``config.rendered_memo``) under a digest of them: another time, answer, page to go
back to, language or time zone is another key, never a stale one. The form's CSRF
token is the request's own, put in on the way out (``with_csrf``).

``tests/network_sessions/test_session_parts.py`` holds them equal to the templates
rendered with the request.
"""

from types import SimpleNamespace
from typing import Any, NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import CSRF_PLACEHOLDER, RenderedMemo, with_csrf

register = template.Library()

WHEN = "network_sessions/_when.html"
RSVP = "network_sessions/_rsvp_form.html"

#: A few hundred bytes each; a network plans a few hundred sessions a year.
_when: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=2_000_000)
#: Three answers (or none) a session and page: about 2 kB each.
_rsvp: RenderedMemo[str] = RenderedMemo(max_entries=4096, max_characters=8_000_000)


@register.simple_tag
def session_when(session: Any) -> SafeString:
    """When ``session`` is (``_when.html``), remembered under its times, the
    language and the time zone."""
    starts_at, ends_at = session.starts_at, session.ends_at
    shown = (starts_at, ends_at, get_language(), timezone.get_current_timezone_name())
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _when.get(
            shown,
            lambda: get_template(WHEN).render(
                {"session": SimpleNamespace(starts_at=starts_at, ends_at=ends_at)}
            ),
        )
    )


class Answer(NamedTuple):
    """Everything the answer buttons show: the memo's key, and the form's context."""

    session_pk: int
    my_response: str
    next: str
    language: str
    urlconf: str | None
    script_prefix: str


def _render_rsvp(shown: Answer) -> str:
    # only what the form reads, so nothing else can reach the remembered HTML
    return get_template(RSVP).render(
        {
            "session": SimpleNamespace(pk=shown.session_pk),
            "my_response": shown.my_response,
            "next": shown.next,
            "csrf_token": CSRF_PLACEHOLDER,
        }
    )


@register.simple_tag(takes_context=True)
def rsvp_form(
    context: template.Context, session: Any, my_response: str = "", next: str = ""
) -> SafeString:
    """The answer buttons of ``session`` (``_rsvp_form.html``) with ``my_response``
    marked, going back to ``next`` (by default the page it is on), with the
    request's own CSRF token."""
    request: Any = getattr(context, "request", None)  # a RequestContext in a view
    shown = Answer(
        session_pk=int(session.pk),
        my_response=str(my_response or ""),
        next=next or (request.get_full_path() if request is not None else ""),
        language=get_language(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
    )
    html = _rsvp.get(shown, lambda: _render_rsvp(shown))
    return mark_safe(with_csrf(html, request))  # noqa: S308  # a template's output
