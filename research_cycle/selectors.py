"""Reads for the team workspace, scoped to who asks."""

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from access.shortcuts import object_for, require
from config.pagination import requested_page
from inspiration.models import KnowledgeInjection

from .models import (
    STUDY_FIELDS,
    ChecklistItem,
    CycleStage,
    LogEntry,
    ResearchCycle,
    ResearchTeam,
    StageTransition,
    StudyFieldRevision,
    TeamMembership,
)

ENTRIES_PER_PAGE = 20


def team_for(user, pk: int, *, perm: str | None = None) -> ResearchTeam:
    """The team if this person may see it, 404 otherwise (outsiders learn nothing);
    with ``perm`` (a ``research_cycle.*`` rule), 403 if they may not do that."""
    return object_for(
        user,
        ResearchTeam.objects.select_related(
            "school", "school_year", "current_cycle__current_stage"
        ),
        perm=perm,
        pk=pk,
    )


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


def workspace(team: ResearchTeam, *, cycle_number: int | None = None, page: int | str = 1) -> dict:
    """Everything the workspace page shows, in a fixed number of queries."""
    cycles = list(team.cycles.order_by("number").select_related("current_stage"))
    cycle = team.current_cycle
    if cycle_number is not None:
        cycle = next((c for c in cycles if c.number == cycle_number), cycle)
    stages = list(
        CycleStage.objects.prefetch_related(
            Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("order"))
        )
    )
    members = list(TeamMembership.objects.filter(team=team).select_related("user").order_by("role"))
    context: dict[str, Any] = {
        "team": team,
        "cycle": cycle,
        "cycles": cycles,
        "stages": stages,
        "members": members,
        "picture": cycle_picture(stages, cycle),
    }
    if cycle is None:
        return context
    current_stage = next((s for s in stages if s.pk == cycle.current_stage_id), None)
    assert current_stage is not None, "a cycle's stage is one of the stages"
    checked = set(cycle.checks.values_list("item_id", flat=True))
    checklist = [(item, item.pk in checked) for item in current_stage.checklist_items.all()]

    paginator = Paginator(
        LogEntry.objects.filter(cycle=cycle).for_timeline().order_by("-occurred_on", "-created_at"),
        ENTRIES_PER_PAGE,
    )
    entries_page = paginator.get_page(requested_page(page))
    entries = list(entries_page.object_list)
    transitions = StageTransition.objects.filter(cycle=cycle).select_related(
        "from_stage", "to_stage", "user"
    )
    # Transitions sit between the entries of the page they fall in (by date).
    if entries_page.has_next() and entries:
        transitions = transitions.filter(created_at__date__gte=entries[-1].occurred_on)
    if entries_page.has_previous() and entries:
        transitions = transitions.filter(created_at__date__lt=entries[0].occurred_on)
    injections = KnowledgeInjection.objects.filter(cycle=cycle).select_related(
        "sender", "stage", "study", "session"
    )
    if entries_page.has_next() and entries:
        injections = injections.filter(created_at__date__gte=entries[-1].occurred_on)
    if entries_page.has_previous() and entries:
        injections = injections.filter(created_at__date__lt=entries[0].occurred_on)
    timeline = (
        [TimelineItem("entry", e.occurred_on, e) for e in entries]
        + [TimelineItem("transition", t.created_at.date(), t) for t in transitions]
        + [TimelineItem("injection", i.created_at.date(), i) for i in injections]
    )
    timeline.sort(key=lambda item: (item.date, item.kind != "entry"), reverse=True)

    study = [
        (name, label, getattr(cycle, name), cycle.field_version(name))
        for name, label in STUDY_FIELDS
    ]
    context.update(
        current_stage=current_stage,
        checklist=checklist,
        unchecked_count=sum(1 for _item, done in checklist if not done),
        checked_count=sum(1 for _item, done in checklist if done),
        entries_page=entries_page,
        timeline=timeline,
        study=study,
    )
    return context


def field_history(cycle: ResearchCycle, field: str):
    return StudyFieldRevision.objects.filter(cycle=cycle, field=field).select_related("author")
