"""The header and footer of every page, rendered once per process for what they show.

Issue 17's profiles put 4–5 ms of every page into its header (the navigation, the
user menu, the language switcher) and footer: a third of a light page. What they
show depends on a few values only: whether someone is signed in, their short name,
e-mail address and staff flag, the number of unread notifications, the two
navigation flags of the context processors, the path (the current link), the
language, the URL conf and the script prefix. ``{% page_chrome "header" %}``
renders ``includes/header.html`` **without the request**, from those values alone,
and remembers the HTML under them (``config.rendered_memo``): the same values give
the same HTML for anyone, and a renamed person, a new notification or another page
is another key.

The two forms (log out, language) need the person's CSRF token: rendered with a
placeholder, the request's own token is put in on the way out
(``config.rendered_memo.with_csrf``). The full path (query string included: where
the language switcher returns to) is put in the same way, escaped as the template
escapes it, so every search of the library shares one header instead of rendering
its own.

Without a request (a template rendered outside a view) the part is rendered as a
plain include would.
"""

import secrets
from types import SimpleNamespace
from typing import Any, NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import CSRF_PLACEHOLDER, RenderedMemo, with_csrf

register = template.Library()

PARTS = {"header": "includes/header.html", "footer": "includes/footer.html"}

#: Stands in for the request's full path (hex: escaping leaves it as it is; random
#: per process: no path or text a person writes can contain it).
FULL_PATH_PLACEHOLDER = "fullpath" + secrets.token_hex(16)

#: A page is a few kB of header: a few MB at most, the least recently shown first out.
_memo: RenderedMemo[str] = RenderedMemo(max_entries=2048, max_characters=8_000_000)


class Shown(NamedTuple):
    """Everything the header and footer show: the remembered HTML's key."""

    signed_in: bool
    short_name: str
    email: str
    is_staff: bool
    unread: int
    shows_placements_link: bool
    shows_oversight_link: bool
    path: str
    language: str | None
    urlconf: Any
    script_prefix: str


def _shown(context: template.Context, request: Any) -> Shown:
    user: Any = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    unread = context.get("unread_notifications") if signed_in else 0
    return Shown(
        signed_in=signed_in,
        short_name=user.get_short_name() if signed_in else "",
        email=user.email if signed_in else "",
        is_staff=bool(user.is_staff) if signed_in else False,
        unread=int(str(unread or 0)),  # a lazy count (notifications.context_processors)
        shows_placements_link=bool(context.get("shows_placements_link")),
        shows_oversight_link=bool(context.get("shows_oversight_link")),
        path=request.path,
        language=get_language(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
    )


def _render(name: str, shown: Shown) -> str:
    values = {
        # only what the templates read, so nothing else can reach the remembered HTML
        "user": SimpleNamespace(
            is_authenticated=shown.signed_in,
            get_short_name=shown.short_name,
            email=shown.email,
            is_staff=shown.is_staff,
        ),
        "request": SimpleNamespace(path=shown.path, get_full_path=FULL_PATH_PLACEHOLDER),
        "unread_notifications": shown.unread,
        "shows_placements_link": shown.shows_placements_link,
        "shows_oversight_link": shown.shows_oversight_link,
        "csrf_token": CSRF_PLACEHOLDER,
    }
    return get_template(name).render(values)


@register.simple_tag(takes_context=True)
def page_chrome(context: template.Context, part: str) -> SafeString:
    name = PARTS[part]
    request = getattr(context, "request", None)
    if request is None:
        engine: Any = context.template.engine  # type: ignore[union-attr]  # rendering
        return mark_safe(engine.get_template(name).render(context))  # noqa: S308  # escaped
    shown = _shown(context, request)
    html = with_csrf(_memo.get((name, *shown), lambda: _render(name, shown)), request)
    if FULL_PATH_PLACEHOLDER in html:
        html = html.replace(FULL_PATH_PLACEHOLDER, escape(request.get_full_path()))
    return mark_safe(html)  # noqa: S308  # a template's output, escaped as it renders
