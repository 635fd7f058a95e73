"""The network overview's body, rendered once per process for what it shows.

Issue 17: the network overview was the signed-in page furthest from its target,
and about a sixth of its CPU went into drawing its two charts and rendering its
body (the teams per stage, the activity per week, the learning communities, the
participation per school and the most read studies), anew on every visit, from
numbers that change a few times a day. ``{% network_body %}`` reads those numbers
from the page's context as plain values (``Shown``), renders
``oversight/_network_body.html`` from **those values only, without the request**,
and keeps the HTML (``config.rendered_memo``) under a digest of them, with the
language, the URL configuration and the script prefix. The numbers themselves are
read from the database on every visit, as before: a changed count, name, stage or
study is another key on the very next visit, never a stale one, and a person sees
another's HTML only where every value it shows is the same (the same schools'
numbers). The body holds no form and no token.

``tests/oversight/test_network_body.py`` holds it equal to the page as it was
rendered before and checks that each kind of change shows.
"""

import datetime
from typing import Any, NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.rendered_memo import RenderedMemo
from schools.models import Role

from .. import charts, selectors

register = template.Library()

BODY = "oversight/_network_body.html"

#: 20–60 kB each (4–30 schools); one per scope of schools, year and language whose
#: numbers are the same.
_bodies: RenderedMemo[str] = RenderedMemo(max_entries=256, max_characters=16_000_000)


class StageCount(NamedTuple):
    label: str
    teams: int


class TeamState(NamedTuple):
    theme: str
    cycle_html: SafeString  # escaped when built (``selectors.cycle_markup``)
    needs_attention: bool


class Community(NamedTuple):
    pk: int
    name: str
    facilitator: str
    learning_questions: tuple[str, ...]
    schools: tuple[tuple[str, tuple[TeamState, ...]], ...]


class Participation(NamedTuple):
    school_name: str
    member_counts: tuple[int, ...]
    cycles_completed: int
    studies_published: int
    sessions_attended: int | None


class Read(NamedTuple):
    title: str
    slug: str
    views: int
    downloads: int


class Shown(NamedTuple):
    """Everything the body shows: the memo's key, and the template's context."""

    language: str | None
    urlconf: str | None
    script_prefix: str
    query: str
    distribution: tuple[StageCount, ...]
    weeks: tuple[tuple[datetime.date, int], ...]
    communities: tuple[Community, ...]
    participation: tuple[Participation, ...]
    sessions_installed: bool
    most_read: tuple[Read, ...]


def _community(community: Any) -> Community:
    facilitator = community.process_facilitator
    return Community(
        pk=community.pk,
        name=community.name,
        facilitator=(facilitator.full_name or facilitator.email) if facilitator else "",
        learning_questions=tuple(community.learning_question_list),
        schools=tuple(
            (
                school.name,
                tuple(
                    TeamState(row.team.theme, row.cycle_html, row.attention.needed) for row in rows
                ),
            )
            for school, rows in community.school_states
        ),
    )


def shown(context: Any) -> Shown:
    """The plain values of the network page's context that its body shows."""
    return Shown(
        language=get_language(),
        urlconf=get_urlconf(),
        script_prefix=get_script_prefix(),
        query=context["query"],
        distribution=tuple(StageCount(c.label, c.count) for c in context["distribution"]),
        weeks=tuple(context["weeks"]),
        communities=tuple(_community(c) for c in context["communities"]),
        participation=tuple(
            Participation(
                row.school.name,
                tuple(row.member_counts()),
                row.cycles_completed,
                row.studies_published,
                row.sessions_attended,
            )
            for row in context["participation"]
        ),
        sessions_installed=selectors.sessions_installed(),
        most_read=tuple(
            Read(s["title"], s["slug"], s["views"], s["downloads"]) for s in context["most_read"]
        ),
    )


def render_body(values: Shown) -> str:
    """The body from ``values`` alone (what the memo keeps). The charts are drawn
    here, so a kept body does not draw them either."""
    return get_template(BODY).render(
        {
            "query": values.query,
            "distribution": values.distribution,
            "stage_chart": charts.horizontal_bars(list(values.distribution)),
            "weeks": values.weeks,
            "activity_chart": charts.weekly_columns(list(values.weeks)),
            "activity_total": sum(n for _week, n in values.weeks),
            "communities": values.communities,
            "participation": values.participation,
            "participation_roles": [Role(r).label for r in selectors.PARTICIPATION_ROLES],
            "sessions_installed": values.sessions_installed,
            "most_read": values.most_read,
        }
    )


@register.simple_tag(takes_context=True)
def network_body(context: Any) -> SafeString:
    """The network overview's body for the numbers in ``context``, remembered."""
    values = shown(context)
    return mark_safe(_bodies.get(values, lambda: render_body(values)))  # noqa: S308  # a template's output, escaped as it renders
