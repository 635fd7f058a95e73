"""Reads for the team workspace, scoped to who asks."""

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery, Window
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from access.shortcuts import require
from config.kept_query import attach_prefetched, kept_list
from config.pagination import requested_page
from config.versioned_cache import VersionedCache
from inspiration.models import KnowledgeInjection
from inspiration.selectors import suggestions_version
from questionnaires.models import ResultsSnapshot

from .models import (
    STUDY_FIELDS,
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    Comment,
    CycleStage,
    CycleVersion,
    LogEntry,
    ResearchCycle,
    ResearchTeam,
    StageTransition,
    StudyFieldRevision,
    TeamMembership,
)
from .permissions import team_access

ENTRIES_PER_PAGE = 20


def team_for(user, pk: int, *, perm: str | None = None) -> ResearchTeam:
    """The team if this person may see it, 404 otherwise (outsiders learn nothing);
    with ``perm`` (a ``research_cycle.*`` rule), 403 if they may not do that.

    The team is read by its id (SQL compiled once per process: ``config.kept_query``)
    and judged by ``team_access``, the same rule as ``ResearchTeam.objects.visible_to``
    over the person's scope (``tests/access/test_scope.py`` holds them together)."""
    found = kept_list("team.by_pk", _team, pk=pk)
    if not found or not team_access(user, found[0]).can_view:
        raise Http404
    if perm is not None:
        require(user, perm, found[0])
    return found[0]


def _team(*, pk: int):
    return ResearchTeam.objects.select_related(
        "school", "school_year", "current_cycle__current_stage"
    ).filter(pk=pk)


def entry_for(user, pk: int, *, perm: str | None = None) -> LogEntry:
    """The log entry if this person may see its team (else 404); with ``perm``, a
    rule on the entry (else 403)."""
    entry = get_object_or_404(
        LogEntry.objects.select_related("cycle__current_stage", "stage", "author"), pk=pk
    )
    # The entry is only found through a team the person may see.
    entry.cycle.team = team_for(user, entry.cycle.team_id)
    if perm is not None:
        require(user, perm, entry)
    return entry


@dataclass
class StageView:
    stage: CycleStage
    state: str  # "done", "current", "todo"
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


def cycle_picture(stages: list[CycleStage], cycle: ResearchCycle | None) -> list[StageView]:
    """Positions of the stages on a ring (SVG viewBox 0 0 400 400), with their state."""
    views = []
    count = len(stages)
    for index, stage in enumerate(stages):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = 200 + 120 * math.cos(angle), 200 + 120 * math.sin(angle)
        lx, ly = 200 + 165 * math.cos(angle), 200 + 165 * math.sin(angle) + 4
        anchor = (
            "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        )
        if cycle is None:
            state = "todo"
        elif cycle.is_completed or stage.order < cycle.current_stage.order:
            state = "done"
        elif stage.pk == cycle.current_stage_id:
            state = "current"
        else:
            state = "todo"
        views.append(
            StageView(stage, state, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), anchor)
        )
    return views


def picture_key(picture: list[StageView]) -> str:
    """Everything the cycle picture shows (each stage's order, names and state), as the
    key of its cached SVG: any change to a stage or to the team's progress is a new
    key, so a cached picture is never stale and never another team's."""
    shown = [
        (s.stage.pk, s.stage.order, s.stage.name_nl, s.stage.name_en, s.state) for s in picture
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


@dataclass
class TimelineItem:
    kind: str  # "entry", "transition" or "injection" (knowledge sent to the team)
    date: object
    obj: object


def _cycles(*, team: int):
    # Each cycle with its version, read before what it guards (``cycle_page``), and
    # on PostgreSQL the version of its suggested studies (``inspiration_for``).
    cycles = (
        ResearchCycle.objects.filter(team=team)
        .order_by("number")
        .select_related("current_stage")
        .annotate(
            page_version=Subquery(
                CycleVersion.objects.filter(cycle=OuterRef("pk")).values("version")[:1]
            )
        )
    )
    suggestions = suggestions_version()
    if suggestions is None:
        return cycles
    return cycles.annotate(suggestions_version=suggestions)


def _stages():
    return CycleStage.objects.all()


def _checklist(*, stage: int, cycle: int):
    """The stage's checklist items, each with ``done``: checked in this cycle (one
    query, where the items and the cycle's checks were two)."""
    checks = ChecklistCheck.objects.filter(cycle=cycle, item=OuterRef("pk"))
    return ChecklistItem.objects.filter(stage=stage).annotate(done=Exists(checks)).order_by("order")


#: What the team page never reads of the people it names (so a kept page holds
#: their ids and names, not their email addresses or password hashes).
_PERSON_SECRETS = ("password", "email", "last_login")
#: The relations of the page's rows that are people.
_PEOPLE = ("author", "user", "sender")


def _without_secrets(*related: str) -> list[str]:
    """What to defer of the people among ``related``."""
    return [f"{name}__{field}" for name in related if name in _PEOPLE for field in _PERSON_SECRETS]


def _members(*, team: int):
    return (
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .defer(*_without_secrets("user"))
        .order_by("role", "user__full_name", "pk")
    )


def _entry_count(*, cycle: int):
    return (
        LogEntry.objects.filter(cycle=cycle)
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def _entries(*, cycle: int, start: int, stop: int):
    # what ``for_timeline`` prefetches, ``_prefetch_timeline`` reads with kept SQL,
    # only for the relations some entry of the page has (``has_<relation>``)
    return (
        LogEntry.objects.filter(cycle=cycle)
        .select_related("author", "stage")
        .defer(*_without_secrets("author"))
        .annotate(
            cycle_total=Window(Count("pk")),
            **{
                f"has_{name}": Exists(model.objects.filter(log_entry=OuterRef("pk")))
                for name, model, _related in _TIMELINE
            },
        )
        .order_by("-occurred_on", "-created_at")[start:stop]
    )


def _entries_from(cycle: int, start: int) -> list[LogEntry]:
    return kept_list(
        "workspace.entries",
        _entries,
        cycle=cycle,
        shape={"start": start, "stop": start + ENTRIES_PER_PAGE},
    )


def _of_entries(model: type[Any], related: tuple[str, ...] = ()):
    def build(*, entries: list[int]):
        rows = model.objects.filter(log_entry__in=entries)
        if not related:
            return rows
        return rows.select_related(*related).defer(*_without_secrets(*related))

    build.__qualname__ = f"_of_entries({model.__name__})"
    return build


#: What ``LogEntry.objects.for_timeline()`` prefetches: (name, model, select_related).
_TIMELINE: tuple[tuple[str, type[Any], tuple[str, ...]], ...] = (
    ("attachments", Attachment, ()),
    ("questionnaire_results", ResultsSnapshot, ()),
    ("comments", Comment, ("author",)),
)
_TIMELINE_READS = {name: _of_entries(model, related) for name, model, related in _TIMELINE}


def _prefetch_timeline(entries: list[LogEntry]) -> None:
    """``prefetch_related`` of ``for_timeline`` for a page of entries, as Django
    leaves it (``entry.comments.all`` answers from memory), but with one kept query
    per relation and no filtered queryset built per entry and relation."""
    if not entries:
        return
    for name, model, _related in _TIMELINE:
        # only the entries that have such rows (``_entries`` tells): none, no query
        ids = [entry.pk for entry in entries if getattr(entry, f"has_{name}", True)]
        rows = kept_list(f"workspace.{name}", _TIMELINE_READS[name], entries=ids) if ids else []
        attach_prefetched(entries, name, model, rows, by="log_entry_id", back="log_entry")


def _between(model: type[Any], related: tuple[str, ...]):
    """The cycle's transitions or injections from ``since`` and before ``before``
    (when given): those between the entries of a timeline page."""

    def build(*, cycle: int, since: Any = None, before: Any = None):
        rows = (
            model.objects.filter(cycle=cycle)
            .select_related(*related)
            .defer(*_without_secrets(*related))
        )
        if since is not None:
            rows = rows.filter(created_at__date__gte=since)
        if before is not None:
            rows = rows.filter(created_at__date__lt=before)
        return rows

    build.__qualname__ = f"_between({model.__name__})"
    return build


_transitions = _between(StageTransition, ("from_stage", "to_stage", "user"))
_injections = _between(KnowledgeInjection, ("sender", "stage", "study", "session"))


@dataclass
class TimelinePage:
    """A page of a cycle's timeline as read from the database: the entries (with
    their attachments, comments and results) and the transitions and injections
    between them."""

    number: int
    total: int
    entries: list[LogEntry]
    transitions: list[StageTransition]
    injections: list[KnowledgeInjection]

    @property
    def paginator(self) -> "Paginator[Any]":
        return Paginator(range(self.total), ENTRIES_PER_PAGE)


@dataclass
class CyclePage:
    """What the team page shows of a cycle, as read from the database: the stages,
    the team's members, the current stage's checklist (each item with ``done``) and
    a page of the timeline."""

    stages: list[CycleStage]
    members: list[TeamMembership]
    checklist: list[ChecklistItem]
    timeline: TimelinePage


#: Kept an hour (a new version makes a page unreachable before); each process also
#: holds the last 128 it showed.
_cycle_pages: VersionedCache[CyclePage] = VersionedCache(
    "cycle-page", seconds=60 * 60, per_process=128
)


def cycle_page(cycle: ResearchCycle, asked: int) -> CyclePage:
    """What the team page shows of ``cycle``, with the timeline's page ``asked`` (the
    nearest page when there is none such).

    Kept (``config.versioned_cache``) under the cycle's version (``CycleVersion``,
    replaced by the database itself on every write to anything the page shows of
    the cycle), which ``_cycles`` read with the cycle, *before* this; the current
    stage (its checklist), the page and the language (the rows were read in it) are
    in the key. Without a version (SQLite, where no trigger writes it) it is read
    every time. What is kept is the same for everyone who may see the team: access
    is decided before (``team_for``), and the person's own parts (edit links,
    comment form, mentions) are added when the page is rendered."""
    version = getattr(cycle, "page_version", None)  # annotated by ``_cycles``
    if version is None or connection.vendor != "postgresql":
        return _read_cycle_page(cycle, asked)
    return _cycle_pages.get(
        f"{cycle.pk}:{version}:{cycle.current_stage_id}:{asked}:{get_language()}",
        lambda: _read_cycle_page(cycle, asked),
        CyclePage,
        # only pages that exist: ``?page=`` is typed by anyone (up to ``MAX_PAGE``),
        # and a page past the last one is read as the last, every time
        keep=lambda page: page.timeline.number == asked,
    )


def _read_cycle_page(cycle: ResearchCycle, asked: int) -> CyclePage:
    return CyclePage(
        stages=kept_list("workspace.stages", _stages),
        members=kept_list("workspace.members", _members, team=cycle.team_id),
        checklist=kept_list(
            "workspace.checklist", _checklist, stage=cycle.current_stage_id, cycle=cycle.pk
        ),
        timeline=_read_timeline_page(cycle.pk, asked),
    )


def _read_timeline_page(cycle: int, asked: int) -> TimelinePage:
    # The page is read with compiled SQL, its rows carrying the cycle's number of
    # entries (``COUNT(*) OVER ()``); only a page past the last one (a typed URL) or
    # a cycle without entries counts apart. The paginator does the arithmetic (same
    # numbers, same "page 0 or 99 shows the nearest page").
    entries = _entries_from(cycle, (asked - 1) * ENTRIES_PER_PAGE)
    if entries:
        total = entries[0].cycle_total  # type: ignore[attr-defined]  # annotated by the query
    else:
        counted = kept_list("workspace.entry_count", _entry_count, cycle=cycle)
        total = counted[0] if counted else 0
    paginator: Paginator[Any] = Paginator(range(total), ENTRIES_PER_PAGE)
    entries_page = paginator.get_page(asked)
    if entries_page.number != asked:
        entries = _entries_from(cycle, (entries_page.number - 1) * ENTRIES_PER_PAGE)
    _prefetch_timeline(entries)
    # Transitions and injections sit between the entries of the page they fall in
    # (by date).
    between: dict[str, Any] = {}
    if entries_page.has_next() and entries:
        between["since"] = entries[-1].occurred_on
    if entries_page.has_previous() and entries:
        between["before"] = entries[0].occurred_on
    return TimelinePage(
        number=entries_page.number,
        total=total,
        entries=entries,
        transitions=kept_list("workspace.transitions", _transitions, cycle=cycle, **between),
        injections=kept_list("workspace.injections", _injections, cycle=cycle, **between),
    )


def workspace(team: ResearchTeam, *, cycle_number: int | None = None, page: int | str = 1) -> dict:
    """Everything the workspace page shows, in a fixed number of queries, each
    compiled once per process (``config.kept_query``); what it shows of the cycle
    kept under the cycle's version (``cycle_page``)."""
    cycles = kept_list("workspace.cycles", _cycles, team=team.pk)
    for each in cycles:
        each.team = team  # as ``team.cycles`` would (a template asking costs no query)
    # the current cycle as read here, with its versions (``_cycles``)
    current = next((c for c in cycles if c.pk == team.current_cycle_id), None)
    if current is not None:
        team.current_cycle = current
    cycle = team.current_cycle
    if cycle_number is not None:
        cycle = next((c for c in cycles if c.number == cycle_number), cycle)
    if cycle is None:
        stages = kept_list("workspace.stages", _stages)
        return {
            "team": team,
            "cycle": None,
            "cycles": cycles,
            "stages": stages,
            "members": kept_list("workspace.members", _members, team=team.pk),
            "picture": cycle_picture(stages, None),
        }
    read = cycle_page(cycle, requested_page(page))
    stages = read.stages
    current_stage = next((s for s in stages if s.pk == cycle.current_stage_id), None)
    assert current_stage is not None, "a cycle's stage is one of the stages"
    # ``done``: annotated by the query
    checklist = [(item, item.done) for item in read.checklist]  # type: ignore[attr-defined]
    entries_page = read.timeline.paginator.get_page(read.timeline.number)
    entries_page.object_list = read.timeline.entries
    timeline = (
        [TimelineItem("entry", e.occurred_on, e) for e in read.timeline.entries]
        + [TimelineItem("transition", t.created_at.date(), t) for t in read.timeline.transitions]
        + [TimelineItem("injection", i.created_at.date(), i) for i in read.timeline.injections]
    )
    timeline.sort(key=lambda item: (item.date, item.kind != "entry"), reverse=True)

    study = [
        (name, label, getattr(cycle, name), cycle.field_version(name))
        for name, label in STUDY_FIELDS
    ]
    return {
        "team": team,
        "cycle": cycle,
        "cycles": cycles,
        "stages": stages,
        "members": read.members,
        "picture": cycle_picture(stages, cycle),
        "current_stage": current_stage,
        "checklist": checklist,
        "unchecked_count": sum(1 for _item, done in checklist if not done),
        "checked_count": sum(1 for _item, done in checklist if done),
        "entries_page": entries_page,
        "timeline": timeline,
        "study": study,
    }


def field_history(cycle: ResearchCycle, field: str):
    return StudyFieldRevision.objects.filter(cycle=cycle, field=field).select_related("author")
