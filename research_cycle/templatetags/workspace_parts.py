"""The team page's checklist and its student teachers' placements, each rendered
once per process for what it shows.

Issue 17: after the timeline, the study fields and the cycle picture were
remembered, the team page still rendered its checklist (a form per item) and its
two lists of placements anew on every visit, about a sixth of the page's
template time, from values that change a few times a month. ``{% checklist_html %}``
and ``{% team_placements_html %}`` take those values from the page's context as
plain values, render the same templates **without the request** from them only,
and keep the HTML (``config.rendered_memo``) under a digest of them, with the
language, the URL configuration and the script prefix. The values are read from
the database on every visit, as before: a ticked item, a new item text or a new
placement is another key on the next visit, never a stale one. The checklist's
forms carry the request's own CSRF token, put in on the way out (``with_csrf``);
whether it shows forms at all (the person may tick, on the team's current cycle)
is part of the key.

``tests/research_cycle/test_workspace_parts.py`` holds them equal to the page as
rendered before and checks that each change shows.
"""

import datetime
from typing import NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import CSRF_PLACEHOLDER, RenderedMemo, with_csrf

register = template.Library()

CHECKLIST = "research_cycle/_checklist.html"
#: The templates ``team_placements_html`` may render (the team page's two lists).
PLACEMENT_LISTS = frozenset({"placements/_team_placements.html", "placements/_team_timeline.html"})

#: A few kB each: one per team, state of its checklist, language and whether forms show.
_checklists: RenderedMemo[str] = RenderedMemo(max_entries=2048, max_characters=8_000_000)
#: Under a kB each: two per team and language.
_placements: RenderedMemo[str] = RenderedMemo(max_entries=2048, max_characters=2_000_000)


class Item(NamedTuple):
    pk: int
    text: str


class Checklist(NamedTuple):
    """Everything the checklist shows: the memo's key, and the template's context."""

    language: str | None
    urlconf: str | None
    script_prefix: str
    team_pk: int
    editable: bool
    checklist: tuple[tuple[Item, bool], ...]
    checked_count: int


def _render_checklist(shown: Checklist) -> str:
    return get_template(CHECKLIST).render(
        {
            "team_pk": shown.team_pk,
            "editable": shown.editable,
            "checklist": shown.checklist,
            "checked_count": shown.checked_count,
            "csrf_token": CSRF_PLACEHOLDER,
        }
    )


@register.simple_tag(takes_context=True)
def checklist_html(context: template.Context) -> SafeString:
    """The current stage's checklist of the page in ``context`` (the team page and
    its htmx swap after a tick), remembered, with the request's CSRF token."""
    team, cycle = context["team"], context["cycle"]
    shown = Checklist(
        language=get_language(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
        team_pk=int(team.pk),
        editable=bool(context["access"].can_advance and cycle.pk == team.current_cycle_id),
        checklist=tuple(
            (Item(int(item.pk), str(item.text)), bool(done)) for item, done in context["checklist"]
        ),
        checked_count=int(context["checked_count"]),
    )
    html = _checklists.get(shown, lambda: _render_checklist(shown))
    return mark_safe(with_csrf(html, getattr(context, "request", None)))  # noqa: S308  # a template's output, escaped as it renders


class Period(NamedTuple):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class Placed(NamedTuple):
    student: str
    period: Period
    team_task: str


@register.simple_tag(takes_context=True)
def team_placements_html(context: template.Context, template_name: str) -> SafeString:
    """``template_name`` (one of ``PLACEMENT_LISTS``) for the page's
    ``team_placements``, remembered."""
    if template_name not in PLACEMENT_LISTS:
        raise template.TemplateSyntaxError(f"not a list of placements: {template_name}")
    placed = tuple(
        Placed(
            str(p.student),
            Period(str(p.period.name), p.period.starts_on, p.period.ends_on),
            str(p.team_task),
        )
        for p in context.get("team_placements") or ()
    )
    shown = (template_name, get_language(), placed)
    return mark_safe(  # noqa: S308  # a template's output, escaped as it renders
        _placements.get(
            shown, lambda: get_template(template_name).render({"team_placements": placed})
        )
    )
