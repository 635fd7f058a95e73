"""Writes for placements: capacity, preferences, allocation, states.

Every function is keyword-only, validates before it writes and is atomic, so bad
input leaves nothing half-written. Services trust their caller (the view checks
the permission); they enforce the domain's rules with a ``ValidationError`` whose
keys are the form fields the message belongs to.

Capacity holds under concurrency because of the database, not of these checks: a
counting placement holds one ``PlacementSlot`` through a unique key, and a line
has exactly ``places`` slots. The services lock the capacity line (``SELECT …
FOR UPDATE``) so concurrent allocations queue rather than fail, and turn the
unique-key refusal that remains possible into the same field message.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from partnership.models import Institution, SchoolYear
from research_cycle.models import ResearchTeam, TeamMembership, TeamRole
from schools.models import Role, RoleMembership, School

from .allocation import suggest
from .mail import owe_confirmation, queue_scan_after_commit
from .models import (
    MAX_PLACES_PER_LINE,
    MAX_PREFERENCES,
    HostingCapacity,
    HostingOffer,
    Placement,
    PlacementPeriod,
    PlacementRequest,
    PlacementSlot,
    Preference,
)
from .notifications import placement_confirmed_notify
from .roles import bridge_builders_of, teachers_of
from .selectors import allocation_input

State = Placement.State


# --- Capacity -----------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One capacity line as the school states it."""

    period: PlacementPeriod
    level: str
    subject: str
    places: int


def _free_slots(capacity: HostingCapacity) -> QuerySet[PlacementSlot]:
    return PlacementSlot.objects.filter(capacity=capacity).exclude(
        Exists(Placement.objects.filter(slot=OuterRef("pk")))
    )


def _set_places(capacity: HostingCapacity, places: int) -> None:
    """Make the line have exactly ``places`` slots: add numbers not in use, or
    delete free slots only. The line row is locked by the caller."""
    slots = list(PlacementSlot.objects.filter(capacity=capacity).values_list("number", flat=True))
    if places > len(slots):
        unused = [n for n in range(1, MAX_PLACES_PER_LINE + 1) if n not in set(slots)]
        PlacementSlot.objects.bulk_create(
            [PlacementSlot(capacity=capacity, number=n) for n in unused[: places - len(slots)]]
        )
    elif places < len(slots):
        free = list(_free_slots(capacity).order_by("-number").values_list("pk", flat=True))
        surplus = len(slots) - places
        if len(free) < surplus:
            taken = len(slots) - len(free)
            raise ValidationError(
                {
                    "lines": ngettext(
                        "%(line)s: %(taken)d place is taken, so it cannot go below %(taken)d.",
                        "%(line)s: %(taken)d places are taken, so it cannot go below %(taken)d.",
                        taken,
                    )
                    % {"line": capacity, "taken": taken}
                }
            )
        PlacementSlot.objects.filter(pk__in=free[:surplus]).delete()
    capacity.places = places
    capacity.save(update_fields=["places"])


@transaction.atomic
def capacity_state(
    *,
    school: School,
    institution: Institution,
    school_year: SchoolYear,
    lines: Sequence[LineInput],
    mentors: Iterable[User],
    note: str = "",
    by: User | None,
) -> HostingOffer:
    """The school's answer for the year: its capacity lines and mentor teachers.

    Lines not stated again go to 0 places (or are removed when nobody chose them);
    places already taken cannot be given away. Answering (even with no places)
    ends the reminders."""
    mentors = list(mentors)
    teachers = set(teachers_of(school, school_year).values_list("pk", flat=True))
    not_teachers = [m for m in mentors if m.pk not in teachers]
    if not_teachers:
        raise ValidationError(
            {
                "mentors": _("%(names)s is not a teacher of %(school)s this school year.")
                % {"names": ", ".join(str(m) for m in not_teachers), "school": school}
            }
        )
    seen: set[tuple[int, str, str]] = set()
    for line in lines:
        if (
            line.period.institution_id != institution.pk
            or line.period.school_year_id != school_year.pk
        ):
            raise ValidationError({"lines": _("Choose a period of this institution and year.")})
        if not 0 <= line.places <= MAX_PLACES_PER_LINE:
            raise ValidationError({"lines": _("A line has between 0 and 30 places.")})
        key = (line.period.pk, line.level, line.subject.strip())
        if key in seen:
            raise ValidationError(
                {
                    "lines": _("Each period, level and subject once, please: %(period)s is twice.")
                    % {"period": line.period.name}
                }
            )
        seen.add(key)
    offer, _created = HostingOffer.objects.select_for_update().get_or_create(
        school=school, institution=institution, school_year=school_year
    )
    existing = {
        (c.period_id, c.level, c.subject): c
        for c in HostingCapacity.objects.select_for_update().filter(offer=offer)
    }
    wanted = {(line.period.pk, line.level, line.subject.strip()): line for line in lines}
    for key, capacity in existing.items():
        if key not in wanted:
            if capacity.placements.exists() or capacity.preferences.exists():
                _set_places(capacity, 0)
            else:
                capacity.delete()
    for key, line in wanted.items():
        capacity = existing.get(key) or HostingCapacity.objects.create(
            offer=offer, period=line.period, level=line.level, subject=key[2], places=0
        )
        _set_places(capacity, line.places)
    offer.mentors.set(mentors)
    offer.note = note
    offer.answered_at = timezone.now()
    offer.answered_by = by
    offer.save()
    return offer


# --- Preferences --------------------------------------------------------------


def is_student_teacher(student: User, period: PlacementPeriod) -> bool:
    return RoleMembership.objects.filter(
        user=student,
        role=Role.STUDENT_TEACHER,
        institution_id=period.institution_id,
        school_year_id=period.school_year_id,
    ).exists()


@transaction.atomic
def request_state(
    *,
    student: User,
    period: PlacementPeriod,
    choices: Sequence[HostingCapacity],
    wants_research_team: bool = False,
    note: str = "",
) -> PlacementRequest:
    """The student's ranked choices for a period (``choices[0]`` first). Changing
    them keeps the first submission time, so editing costs no priority; once the
    student is placed in the period, they are fixed."""
    if not is_student_teacher(student, period):
        raise ValidationError(_("Only student teachers of the institution state preferences."))
    if not choices:
        raise ValidationError({"choice_1": _("Choose at least one place.")})
    if len(choices) > MAX_PREFERENCES:
        raise ValidationError(_("Choose at most %(max)d places.") % {"max": MAX_PREFERENCES})
    seen: set[int] = set()
    for rank, capacity in enumerate(choices, start=1):
        if capacity.period_id != period.pk:
            raise ValidationError({f"choice_{rank}": _("Choose a place in this period.")})
        if capacity.pk in seen:
            raise ValidationError({f"choice_{rank}": _("You chose this place twice.")})
        seen.add(capacity.pk)
    if Placement.objects.counting().filter(student=student, period=period).exists():
        raise ValidationError(_("You have a placement in this period: ask the coordinator."))
    request, _created = PlacementRequest.objects.select_for_update().get_or_create(
        student=student, period=period
    )
    request.wants_research_team = wants_research_team
    request.note = note
    request.save()
    request.preferences.all().delete()
    Preference.objects.bulk_create(
        [
            Preference(request=request, rank=rank, capacity=capacity)
            for rank, capacity in enumerate(choices, start=1)
        ]
    )
    return request


# --- Placements ---------------------------------------------------------------


def _check_people(
    *,
    school: School,
    school_year: SchoolYear,
    mentor: User | None,
    bridge_builder: User | None,
    research_team: ResearchTeam | None,
    team_task: str,
) -> None:
    errors: dict[str, str] = {}
    if mentor is not None and not teachers_of(school, school_year).filter(pk=mentor.pk).exists():
        errors["mentor"] = _("%(person)s is not a teacher of %(school)s this school year.") % {
            "person": mentor,
            "school": school,
        }
    if (
        bridge_builder is not None
        and not bridge_builders_of(school, school_year).filter(pk=bridge_builder.pk).exists()
    ):
        errors["bridge_builder"] = _(
            "%(person)s is not a bridge-builder of %(school)s this school year."
        ) % {"person": bridge_builder, "school": school}
    if research_team is not None and (
        research_team.school_id != school.pk or research_team.school_year_id != school_year.pk
    ):
        errors["research_team"] = _("Choose a research team of %(school)s this school year.") % {
            "school": school
        }
    if team_task.strip() and research_team is None:
        errors["team_task"] = _("A task in the team's data collection needs a research team.")
    if errors:
        raise ValidationError(errors)


def _lock_student(student: User) -> None:
    """Serialise placements of one student, so the overlap check holds."""
    User.objects.select_for_update().filter(pk=student.pk).first()


def _check_overlap(student: User, period: PlacementPeriod, exclude: Placement | None) -> None:
    others = (
        Placement.objects.counting()
        .filter(
            student=student,
            period__starts_on__lte=period.ends_on,
            period__ends_on__gte=period.starts_on,
        )
        .select_related("period", "school")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.first()
    if clash is None:
        return
    if clash.period_id == period.pk:
        message = _("%(student)s already has a placement in %(period)s (at %(school)s).")
    else:
        message = _("%(period)s overlaps with another placement of %(student)s (at %(school)s).")
    raise ValidationError(
        {
            "capacity": message
            % {"student": student, "period": clash.period.name, "school": clash.school}
        }
    )


def _take_slot(capacity: HostingCapacity) -> PlacementSlot:
    """A free slot of the line, the line locked until the transaction ends."""
    HostingCapacity.objects.select_for_update().filter(pk=capacity.pk).first()
    slot = _free_slots(capacity).order_by("number").first()
    if slot is None:
        raise ValidationError(
            {"capacity": _("%(line)s has no free place left.") % {"line": capacity}}
        )
    return slot


def _save_holding(placement: Placement) -> None:
    """Save in a savepoint: a unique key the database refuses (the slot taken by a
    concurrent transaction, a second placement in the period) becomes a message."""
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        raise ValidationError(
            {"capacity": _("This place or this student was just taken. Try again.")}
        ) from None


@transaction.atomic
def placement_propose(
    *,
    student: User,
    capacity: HostingCapacity,
    by: User | None,
    request: PlacementRequest | None = None,
    choice_rank: int | None = None,
    passed_over: Sequence[tuple[int, str]] = (),
    mentor: User | None = None,
    bridge_builder: User | None = None,
    research_team: ResearchTeam | None = None,
    team_task: str = "",
) -> Placement:
    """Place the student on a free place of the line (state: proposed)."""
    capacity = HostingCapacity.objects.select_related("offer__school", "period").get(pk=capacity.pk)
    period, school = capacity.period, capacity.offer.school
    if not is_student_teacher(student, period):
        raise ValidationError(
            {
                "student": _("%(person)s is not a student teacher of the institution this year.")
                % {"person": student}
            }
        )
    _check_people(
        school=school,
        school_year=period.school_year,
        mentor=mentor,
        bridge_builder=bridge_builder,
        research_team=research_team,
        team_task=team_task,
    )
    _lock_student(student)
    _check_overlap(student, period, exclude=None)
    placement = Placement(
        student=student,
        school_year=period.school_year,
        institution=period.institution,
        period=period,
        school=school,
        capacity=capacity,
        slot=_take_slot(capacity),
        level=capacity.level,
        subject=capacity.subject,
        mentor=mentor,
        bridge_builder=bridge_builder,
        request=request,
        choice_rank=choice_rank,
        passed_over=[[rank, str(why)] for rank, why in passed_over],
        research_team=research_team,
        team_task=team_task.strip(),
        created_by=by,
    )
    _save_holding(placement)
    return placement


def _lock(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update()
        .select_related("period", "school")
        .get(pk=placement.pk)
    )


def _require_state(placement: Placement, *states: str) -> None:
    if placement.state not in states:
        raise ValidationError(
            _("This placement is %(state)s: that cannot be done now.")
            % {"state": placement.get_state_display().lower()}
        )


@transaction.atomic
def placement_move(
    *, placement: Placement, capacity: HostingCapacity, by: User | None
) -> Placement:
    """Move a proposed placement to another line of the same period."""
    placement = _lock(placement)
    _require_state(placement, State.PROPOSED)
    capacity = HostingCapacity.objects.select_related("offer__school").get(pk=capacity.pk)
    if capacity.period_id != placement.period_id:
        raise ValidationError({"capacity": _("Choose a place in the same period.")})
    if capacity.pk == placement.capacity_id:
        return placement
    slot = _take_slot(capacity)
    school = capacity.offer.school
    if school.pk != placement.school_id:
        # Another school: its own mentor, bridge-builder and team are chosen again.
        placement.mentor = placement.bridge_builder = placement.research_team = None
        placement.team_task = ""
    placement.capacity, placement.slot, placement.school = capacity, slot, school
    placement.level, placement.subject = capacity.level, capacity.subject
    placement.choice_rank = rank_of(placement.request, capacity)
    placement.passed_over = []
    _save_holding(placement)
    return placement


def rank_of(request: PlacementRequest | None, capacity: HostingCapacity) -> int | None:
    """Which of the student's choices this line is (None: not among them)."""
    if request is None:
        return None
    return request.preferences.filter(capacity=capacity).values_list("rank", flat=True).first()


@transaction.atomic
def placement_unassign(*, placement: Placement) -> None:
    """Take back a proposal (nothing was confirmed, so nothing is kept)."""
    placement = _lock(placement)
    _require_state(placement, State.PROPOSED)
    placement.delete()


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    mentor: User | None,
    bridge_builder: User | None,
    research_team: ResearchTeam | None,
    team_task: str,
) -> Placement:
    """Who guides the placement, and its task in the research team's data collection."""
    placement = _lock(placement)
    _require_state(placement, State.PROPOSED, State.CONFIRMED, State.RUNNING)
    _check_people(
        school=placement.school,
        school_year=placement.period.school_year,
        mentor=mentor,
        bridge_builder=bridge_builder,
        research_team=research_team,
        team_task=team_task,
    )
    if placement.state != State.PROPOSED and (mentor is None or bridge_builder is None):
        raise ValidationError(
            {"mentor": _("A confirmed placement keeps a mentor teacher and a bridge-builder.")}
        )
    placement.mentor, placement.bridge_builder = mentor, bridge_builder
    placement.research_team, placement.team_task = research_team, team_task.strip()
    placement.save()
    if placement.state != State.PROPOSED:
        _join_team(placement)
    return placement


def _join_team(placement: Placement) -> None:
    """A student who takes a task in a research team is a member of it."""
    if placement.research_team_id is not None:
        TeamMembership.objects.get_or_create(
            team_id=placement.research_team_id,
            user_id=placement.student_id,
            defaults={"role": TeamRole.STUDENT_TEACHER},
        )


def _confirm(placement: Placement, by: User | None) -> None:
    _require_state(placement, State.PROPOSED)
    if placement.mentor_id is None or placement.bridge_builder_id is None:
        raise ValidationError(
            _("%(student)s: choose a mentor teacher and a bridge-builder first.")
            % {"student": placement.student}
        )
    placement.state = State.CONFIRMED
    placement.confirmed_at = timezone.now()
    placement.confirmed_by = by
    placement.save(update_fields=["state", "confirmed_at", "confirmed_by"])
    _join_team(placement)
    owe_confirmation(placement)
    placement_confirmed_notify(placement=placement, by=by)


@transaction.atomic
def placement_confirm(*, placement: Placement, by: User | None) -> Placement:
    """Confirm a proposal: the student, the mentor teacher, the school's coaches and
    the bridge-builder get one mail each."""
    placement = _lock(placement)
    _confirm(placement, by)
    queue_scan_after_commit()
    return placement


@transaction.atomic
def placements_confirm_all(*, period: PlacementPeriod, by: User | None) -> int:
    """Confirm every proposal of the period, or none when one is incomplete."""
    proposals = list(
        Placement.objects.select_for_update()
        .filter(period=period, state=State.PROPOSED)
        .select_related("student")
        .order_by("pk")
    )
    incomplete = [p for p in proposals if p.mentor_id is None or p.bridge_builder_id is None]
    if incomplete:
        raise ValidationError(
            _("Choose a mentor teacher and a bridge-builder for: %(names)s.")
            % {"names": ", ".join(str(p.student) for p in incomplete)}
        )
    for placement in proposals:
        _confirm(placement, by)
    queue_scan_after_commit()
    return len(proposals)


@transaction.atomic
def placement_start(*, placement: Placement) -> Placement:
    placement = _lock(placement)
    _require_state(placement, State.CONFIRMED)
    placement.state, placement.started_at = State.RUNNING, timezone.now()
    placement.save(update_fields=["state", "started_at"])
    return placement


@transaction.atomic
def placement_complete(*, placement: Placement) -> Placement:
    placement = _lock(placement)
    _require_state(placement, State.RUNNING)
    placement.state, placement.completed_at = State.COMPLETED, timezone.now()
    placement.save(update_fields=["state", "completed_at"])
    return placement


def placements_follow_calendar(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Start confirmed placements whose period has begun and complete running ones
    whose period has ended, so nobody has to remember to click. Each placement goes
    through the same locked service as the coordinator's button, so a second run
    (or a coordinator clicking at the same moment) changes nothing twice.
    Returns (started, completed)."""
    today = today or timezone.localdate()
    started = completed = 0
    to_start = Placement.objects.filter(state=State.CONFIRMED, period__starts_on__lte=today)
    for placement in to_start.only("pk"):
        with transaction.atomic():
            locked = _lock(placement)
            if locked.state == State.CONFIRMED:
                placement_start(placement=locked)
                started += 1
    to_complete = Placement.objects.filter(state=State.RUNNING, period__ends_on__lt=today)
    for placement in to_complete.only("pk"):
        with transaction.atomic():
            locked = _lock(placement)
            if locked.state == State.RUNNING:
                placement_complete(placement=locked)
                completed += 1
    return started, completed


@transaction.atomic
def placement_cancel(*, placement: Placement, reason: str, by: User | None) -> Placement:
    """Cancel with a reason; the place is free again. A completed placement stays."""
    placement = _lock(placement)
    _require_state(placement, State.PROPOSED, State.CONFIRMED, State.RUNNING)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the placement is cancelled.")})
    placement.state = State.CANCELLED
    placement.cancel_reason = reason.strip()
    placement.cancelled_at, placement.cancelled_by = timezone.now(), by
    placement.slot = None
    placement.save(update_fields=["state", "cancel_reason", "cancelled_at", "cancelled_by", "slot"])
    return placement


# --- Allocation ---------------------------------------------------------------


def _least_busy_mentor(capacity: HostingCapacity, load: dict[int, int]) -> User | None:
    """The offer's mentor teacher with the fewest placements so far (then by name)."""
    mentors = sorted(
        capacity.offer.mentors.all(), key=lambda m: (load.get(m.pk, 0), m.full_name, m.pk)
    )
    if not mentors:
        return None
    load[mentors[0].pk] = load.get(mentors[0].pk, 0) + 1
    return mentors[0]


@transaction.atomic
def allocation_apply(*, period: PlacementPeriod, by: User | None) -> list[Placement]:
    """Propose the suggestion for every student not yet placed in the period, with
    a mentor teacher (the least busy of the school's), the school's bridge-builder
    and, for students who asked, the school's research team. All or nothing."""
    board = allocation_input(period)
    outcomes = suggest(board.applicants, board.lines, period_id=period.pk)
    load = dict(
        Placement.objects.counting()
        .filter(period=period, mentor__isnull=False)
        .values_list("mentor")
        .annotate(n=Count("pk"))
        .values_list("mentor", "n")
    )
    created = []
    for request in board.requests:
        outcome = outcomes.get(request.student_id)
        if outcome is None or outcome.line is None:
            continue
        capacity = board.capacity[outcome.line]
        school = capacity.offer.school
        team = board.teams.get(school.pk) if request.wants_research_team else None
        created.append(
            placement_propose(
                student=request.student,
                capacity=capacity,
                by=by,
                request=request,
                choice_rank=outcome.rank,
                passed_over=outcome.passed_over,
                mentor=_least_busy_mentor(capacity, load),
                bridge_builder=bridge_builders_of(school, period.school_year).first(),
                research_team=team,
            )
        )
    return created
