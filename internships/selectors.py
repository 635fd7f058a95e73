"""Reads about internships and mentors, each scoped to who asks, each a fixed
number of queries whatever the number of rows."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from access.roles import is_signed_in
from accounts.models import User
from config.kept_query import kept_list
from partnership.models import SchoolYear
from placements.models import HostingOffer, Placement
from schools.models import School

from .models import Evaluation, EvaluationResponse, EvaluatorRole, LogEntry, MentorTraining, Moment
from .permissions import (
    INTERNSHIP_STATES,
    InternshipAccess,
    RegisterScope,
    evaluation_shown,
    internship_viewer,
    visible_internships,
    visible_internships_by,
)

ZERO = Decimal("0")


def _hours(**condition: object) -> Coalesce:
    """The hours logged on the outer internship (those matching ``condition``)."""
    total = (
        LogEntry.objects.filter(placement=OuterRef("pk"), **condition)
        .order_by()
        .values("placement")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(total), Value(ZERO), output_field=DecimalField(max_digits=8, decimal_places=1)
    )


def internships_for(user: User) -> QuerySet[Placement]:
    """The internships this person may see, with the hours logged and confirmed and
    the number of evaluations submitted, for the list page and the dashboard. One
    query.

    The sums are correlated subqueries, not joins with ``GROUP BY``: PostgreSQL
    took 15-50 ms to *plan* the grouped join of seven tables (0.3 ms to run it),
    against about 1 ms for this one, and with ``LIMIT`` it sums only the rows shown.
    """
    return _with_hours(visible_internships(Placement.objects.all(), user))


def _with_hours(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    submitted = (
        Evaluation.objects.filter(placement=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("placement")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        placements.select_related("student", "school", "period", "mentor", "bridge_builder")
        .annotate(
            hours_logged=_hours(),
            hours_confirmed=_hours(confirmed_at__isnull=False),
            evaluations_submitted=Coalesce(Subquery(submitted), Value(0)),
        )
        .order_by("-period__starts_on", "school__name", "student__full_name", "pk")
    )


def _internships_by(*, limit: int | None = None, **viewer: Any) -> QuerySet[Placement]:
    internships = _with_hours(visible_internships_by(Placement.objects.all(), **viewer))
    return internships if limit is None else internships[:limit]


def internship_list(user: User, *, limit: int | None = None) -> list[Placement]:
    """``internships_for(user)`` (the first ``limit``), compiled once per process
    (``config.kept_query``)."""
    if not is_signed_in(user):
        return []
    return kept_list(
        "internships.list", _internships_by, shape={"limit": limit}, **internship_viewer(user)
    )


@dataclass
class LogSummary:
    entries: list[LogEntry]
    logged: Decimal
    confirmed: Decimal

    @property
    def unconfirmed(self) -> Decimal:
        return self.logged - self.confirmed


def log_for(placement: Placement) -> LogSummary:
    """The internship log, oldest first, with its totals. One query."""
    entries = list(placement.log_entries.select_related("confirmed_by").order_by("date", "span"))
    logged = sum((e.hours for e in entries), ZERO)
    confirmed = sum((e.hours for e in entries if e.is_confirmed), ZERO)
    return LogSummary(entries=entries, logged=logged, confirmed=confirmed)


@dataclass
class EvaluationView:
    role: str
    label: str
    evaluation: Evaluation | None
    shown: bool
    mine: bool

    @property
    def submitted(self) -> bool:
        return bool(self.evaluation and self.evaluation.is_submitted)


@dataclass
class MomentView:
    moment: str
    label: str
    complete: bool
    evaluations: list[EvaluationView] = field(default_factory=list)
    response: EvaluationResponse | None = None


def moments_for(user: User, placement: Placement, access: InternshipAccess) -> list[MomentView]:
    """Each evaluation moment with each evaluator's evaluation as this person may
    see it: their own always, the others' once the moment is complete. Two
    queries."""
    evaluations = {
        (e.moment, e.evaluator_role): e
        for e in placement.evaluations.select_related("author").prefetch_related(
            "scores__criterion", "scores__level"
        )
    }
    responses = {r.moment: r for r in placement.evaluation_responses.all()}
    result = []
    for moment, label in Moment.choices:
        complete = all(
            (e := evaluations.get((moment, role))) is not None and e.is_submitted
            for role in EvaluatorRole.values
        )
        view = MomentView(moment=moment, label=str(label), complete=complete)
        for role, role_label in EvaluatorRole.choices:
            evaluation = evaluations.get((moment, role))
            if evaluation is not None:
                evaluation.placement = placement  # the access read needs no query
            view.evaluations.append(
                EvaluationView(
                    role=role,
                    label=str(role_label),
                    evaluation=evaluation,
                    shown=bool(
                        evaluation and evaluation_shown(user, evaluation, moment_complete=complete)
                    ),
                    mine=role in access.evaluator_roles,
                )
            )
        view.response = responses.get(moment) if complete else None
        result.append(view)
    return result


# --- What the schools hosted ---------------------------------------------------------


@dataclass
class Hosting:
    """What one school hosted in a school year."""

    placements: int = 0
    mentor_hours: Decimal = ZERO
    mentors: int = 0


def hosting_by_school(
    school_year: SchoolYear, school_ids: Iterable[int] | None = None
) -> dict[int, Hosting]:
    """Per school, in the school year: placements hosted (confirmed, running or
    completed), mentor hours (the hours of those internships the mentor teacher
    confirmed in the log) and the number of mentor teachers. One query: the join
    on the log repeats a placement per entry, so placements and mentors are
    counted distinct and the hours once per entry."""
    placements = Placement.objects.filter(school_year=school_year, state__in=INTERNSHIP_STATES)
    if school_ids is not None:
        placements = placements.filter(school_id__in=list(school_ids))
    rows = (
        placements.order_by()
        .values("school_id")
        .annotate(
            n=Count("pk", distinct=True),
            mentors=Count("mentor", distinct=True),
            hours=Sum("log_entries__hours", filter=Q(log_entries__confirmed_at__isnull=False)),
        )
        .values_list("school_id", "n", "mentors", "hours")
    )
    result = {
        school_id: Hosting(placements=n, mentors=mentors, mentor_hours=hours or ZERO)
        for school_id, n, mentors, hours in rows
    }
    return result


# --- The mentor register ----------------------------------------------------------------


@dataclass
class MentorRow:
    mentor: User
    school: School
    #: (school year name, student teachers guided), newest year first.
    guided: list[tuple[str, int]]
    training_hours: Decimal
    trainings: int

    @property
    def guided_total(self) -> int:
        return sum(n for _year, n in self.guided)


def _register_filter(
    *,
    school_field: str,
    mentor_field: str,
    everyone: bool,
    own: bool,
    user: int | None = None,
    schools: list[int] | None = None,
) -> Q:
    """The person's part of the register (``mentor_register``'s flags and values):
    every row, their own row (``mentor_field``) and the rows of their schools."""
    if everyone:
        return Q()
    condition = Q(**{f"{mentor_field}": user}) if own else Q(pk__in=[])
    if schools:
        condition |= Q(**{f"{school_field}__in": schools})
    return condition


def _guided(*, mentor: int | None = None, **rule: Any):
    """Per mentor, school and school year: the student teachers guided."""
    placements = Placement.objects.filter(
        _register_filter(school_field="school_id", mentor_field="mentor_id", **rule),
        state__in=INTERNSHIP_STATES,
        mentor__isnull=False,
    )
    if mentor is not None:
        placements = placements.filter(mentor=mentor)
    return (
        placements.order_by()
        .values("mentor_id", "school_id", "school_year__name")
        .annotate(n=Count("pk"))
    )


def _offered(*, mentor: int | None = None, **rule: Any):
    """The mentors named in the schools' hosting offers: (mentor, school)."""
    offered = HostingOffer.mentors.through.objects.filter(
        _register_filter(school_field="hostingoffer__school_id", mentor_field="user_id", **rule)
    )
    if mentor is not None:
        offered = offered.filter(user=mentor)
    return offered.values_list("user_id", "hostingoffer__school_id")


def _people(*, ids: list[int]):
    return User.objects.filter(pk__in=ids)


def _schools(*, ids: list[int]):
    return School.objects.filter(pk__in=ids)


def _trainings(*, ids: list[int]):
    return (
        MentorTraining.objects.filter(mentor_id__in=ids)
        .order_by()
        .values("mentor_id")
        .annotate(hours=Sum("hours"), n=Count("pk"))
        .values_list("mentor_id", "hours", "n")
    )


def mentor_register(
    user: User, scope: RegisterScope, *, mentor: User | None = None
) -> list[MentorRow]:
    """The mentor register as this person may read it: a row per mentor teacher
    and school (a mentor of a placement there, or named in the school's hosting
    offer), with the student teachers guided per school year and the mentor
    training on record. Five queries, each compiled once per process
    (``config.kept_query``)."""
    # Only the values the SQL carries (``kept_list`` checks): the person for their own
    # row, the schools they read; nothing when they read every mentor.
    shape = {"everyone": scope.everyone, "own": scope.own}
    values: dict[str, Any] = {}
    if not scope.everyone and scope.own:
        values["user"] = user.pk
    if not scope.everyone and scope.school_ids:
        values["schools"] = sorted(scope.school_ids)
    if mentor is not None:
        values["mentor"] = mentor.pk
    guided: defaultdict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for row in kept_list("register.guided", _guided, shape=shape, **values):
        guided[(row["mentor_id"], row["school_id"])][row["school_year__name"]] = row["n"]
    for user_id, school_id in kept_list("register.offered", _offered, shape=shape, **values):
        guided.setdefault((user_id, school_id), {})
    if not guided:
        return []
    mentor_ids = sorted({m for m, _s in guided})
    people = {p.pk: p for p in kept_list("register.people", _people, ids=mentor_ids)}
    school_ids = sorted({s for _m, s in guided})
    schools = {s.pk: s for s in kept_list("register.schools", _schools, ids=school_ids)}
    trainings: dict[int, tuple[Decimal, int]] = {
        mentor_id: (hours, n)
        for mentor_id, hours, n in kept_list("register.trainings", _trainings, ids=mentor_ids)
    }
    rows = [
        MentorRow(
            mentor=people[m],
            school=schools[s],
            guided=sorted(years.items(), reverse=True),
            training_hours=trainings.get(m, (ZERO, 0))[0],
            trainings=trainings.get(m, (ZERO, 0))[1],
        )
        for (m, s), years in guided.items()
    ]
    return sorted(rows, key=lambda r: (r.school.name, r.mentor.full_name, r.mentor.pk))


def mentored_placements(mentor: User, rows: list[MentorRow]) -> QuerySet[Placement]:
    """The placements the mentor guided at the schools of these register rows."""
    return (
        Placement.objects.filter(
            mentor=mentor,
            state__in=INTERNSHIP_STATES,
            school_id__in={row.school.pk for row in rows},
        )
        .select_related("student", "school", "period", "school_year")
        .order_by("-period__starts_on", "pk")
    )


def trainings_of(mentor: User) -> QuerySet[MentorTraining]:
    return mentor.mentor_trainings.order_by("-completed_on", "-pk")


def training_hours_in(
    start: datetime.date, end: datetime.date, mentor_ids: Iterable[int]
) -> dict[int, Decimal]:
    """Mentor training hours completed between the dates, per mentor. One query."""
    return {
        row["mentor_id"]: row["hours"]
        for row in MentorTraining.objects.filter(
            mentor_id__in=list(mentor_ids), completed_on__range=(start, end)
        )
        .order_by()
        .values("mentor_id")
        .annotate(hours=Sum("hours"))
    }


def dashboard_internships(user: User) -> list[Placement]:
    """The dashboard's internships panel: the person's latest internships. One
    query (the mentor register is linked from the internships page)."""
    return internship_list(user, limit=4)
