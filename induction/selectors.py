"""Reads of the induction, each scoped to who asks and each a fixed number of
queries, whatever the number of starters."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from access.roles import AnyUser, is_network_admin, is_signed_in, memberships
from accounts.models import User
from config.kept_query import kept_list
from network_sessions.models import NetworkSession
from partnership.models import SchoolYear
from research_cycle.models import ResearchTeam
from schools.models import INDUCTION_ROLES, RoleMembership, School

from .models import CheckIn, InductionPlan, MentorAssignment, overdue_condition
from .permissions import INDUCTION_OVERSEER_ROLES

INDUCTION_ROLE_VALUES = [r.value for r in INDUCTION_ROLES]


def with_progress(
    plans: QuerySet[InductionPlan], today: datetime.date, *, mentors: bool = True
) -> QuerySet[InductionPlan]:
    """Annotate plans with their next check-in, how many are overdue, held and
    planned; and the current mentor (``current_mentor``: a list of at most one;
    ``mentors=False`` leaves it to ``with_current_mentors``)."""
    plans = plans.annotate(
        next_due=Min(
            "check_ins__due_on",
            filter=Q(check_ins__held_on__isnull=True, check_ins__due_on__gte=today),
        ),
        overdue_count=Count("check_ins", filter=overdue_condition(today, "check_ins__")),
        held_count=Count("check_ins", filter=Q(check_ins__held_on__isnull=False)),
        planned_count=Count("check_ins"),
    )
    if not mentors:
        return plans
    return plans.prefetch_related(
        Prefetch("mentor_assignments", queryset=_current_assignments(), to_attr="current_mentor")
    )


def _current_assignments() -> QuerySet[MentorAssignment]:
    return MentorAssignment.objects.filter(assigned_until__isnull=True).select_related("mentor")


def _current_mentors(*, plans: list[int]) -> QuerySet[MentorAssignment]:
    return _current_assignments().filter(plan__in=plans)


def with_current_mentors(plans: list[InductionPlan]) -> list[InductionPlan]:
    """``current_mentor`` of ``with_progress`` for plans read with ``mentors=False``:
    the same prefetch as one kept query (none for no plans)."""
    if not plans:
        return plans
    found: dict[int, list[MentorAssignment]] = {}
    for assignment in kept_list(
        "induction.current_mentors", _current_mentors, plans=[p.pk for p in plans]
    ):
        found.setdefault(assignment.plan_id, []).append(assignment)
    for plan in plans:
        plan.current_mentor = found.get(plan.pk, [])  # type: ignore[attr-defined]  # as to_attr sets it
    return plans


@dataclass
class StarterPanel:
    """What a starter sees on the dashboard for one of their induction roles."""

    starter: RoleMembership
    plan: InductionPlan | None
    mentor_name: str


@dataclass
class InductionDashboard:
    panels: list[StarterPanel] = field(default_factory=list)
    teams: list[ResearchTeam] = field(default_factory=list)
    sessions: list[NetworkSession] = field(default_factory=list)


def _starter_plans(*, memberships: list[int], today: datetime.date) -> QuerySet[InductionPlan]:
    """The starter's plans with their progress and their current mentor's name
    (``mentor_name``, the panel shows nothing else of the mentor): one query."""
    mentor = _current_assignments().filter(plan=OuterRef("pk")).values("mentor__full_name")[:1]
    plans = InductionPlan.objects.filter(membership__in=memberships)
    return with_progress(plans, today, mentors=False).annotate(mentor_name=Subquery(mentor))


def induction_dashboard_for(
    *,
    roles: list[RoleMembership],
    teams: list[ResearchTeam],
    sessions: list[NetworkSession],
) -> InductionDashboard | None:
    """The starter's panel on the dashboard, from what the dashboard already loaded
    (``roles`` and ``teams``: this person's in the current school year; ``sessions``:
    the next ones for starters, ``dashboard_sessions(user, audience=...)`` with
    ``INDUCTION_ROLE_VALUES``). No query for anyone who is not a starter; one for a
    starter."""
    starters = [r for r in roles if r.role in INDUCTION_ROLE_VALUES]
    if not starters:
        return None
    today = timezone.localdate()
    plans = {
        plan.membership_id: plan
        for plan in kept_list(
            "induction.dashboard_plans",
            _starter_plans,
            memberships=[s.pk for s in starters],
            today=today,
        )
    }
    panels = []
    for starter in starters:
        plan = plans.get(starter.pk)
        name = getattr(plan, "mentor_name", None) or ""  # annotated by the query
        panels.append(StarterPanel(starter=starter, plan=plan, mentor_name=name))
    return InductionDashboard(panels=panels, teams=teams, sessions=sessions)


def my_plans(user: User, school_year: SchoolYear) -> list[InductionPlan]:
    """The starter's own plans this school year (compiled once per process:
    ``config.kept_query``)."""
    return with_current_mentors(
        kept_list(
            "induction.my_plans",
            _my_plans,
            user=user.pk,
            year=school_year.pk,
            today=timezone.localdate(),
        )
    )


def _my_plans(*, user: int, year: int, today: datetime.date) -> QuerySet[InductionPlan]:
    plans = InductionPlan.objects.filter(membership__user=user, membership__school_year=year)
    return with_progress(plans, today, mentors=False).select_related("membership__school")


def mentees_of(user: User, school_year: SchoolYear) -> list[InductionPlan]:
    """The mentor's view: the starters they guide this school year, with the next
    check-in and how many are overdue. A fixed number of queries, compiled once per
    process (``config.kept_query``)."""
    return with_current_mentors(
        kept_list(
            "induction.mentees",
            _mentees,
            user=user.pk,
            year=school_year.pk,
            today=timezone.localdate(),
        )
    )


def _mentees(*, user: int, year: int, today: datetime.date) -> QuerySet[InductionPlan]:
    plans = InductionPlan.objects.filter(
        pk__in=MentorAssignment.objects.filter(mentor=user, assigned_until__isnull=True).values(
            "plan"
        ),
        membership__school_year=year,
    ).select_related("membership__user", "membership__school")
    return with_progress(plans, today, mentors=False).order_by(
        "membership__user__full_name", "membership__pk"
    )


def _count(queryset: QuerySet[RoleMembership], group_by: str) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (filtered on an ``OuterRef``), 0 when none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def school_counts(schools: QuerySet[School], school_year: SchoolYear) -> list[School]:
    """Per school: its starters this year (``starter_count``), how many have a
    current mentor (``with_mentor``) and how many have an overdue check-in
    (``with_overdue``). Counts only, never a note. One query; schools without starters
    are left out."""
    return list(_school_counts(schools, school_year, timezone.localdate()))


def _school_counts(
    schools: QuerySet[School], school_year: SchoolYear | int, today: datetime.date
) -> QuerySet[School]:
    starters = RoleMembership.objects.filter(
        role__in=INDUCTION_ROLE_VALUES, school=OuterRef("pk"), school_year=school_year
    )
    mentored = starters.filter(
        Exists(
            MentorAssignment.objects.filter(
                plan__membership=OuterRef("pk"), assigned_until__isnull=True
            )
        )
    )
    overdue = starters.filter(
        Exists(CheckIn.objects.overdue(today).filter(plan__membership=OuterRef("pk")))
    )
    return (
        schools.annotate(
            starter_count=_count(starters, "school"),
            with_mentor=_count(mentored, "school"),
            with_overdue=_count(overdue, "school"),
        )
        .filter(starter_count__gt=0)
        .order_by("name")
    )


def overseen_school_counts(user: AnyUser, school_year: SchoolYear) -> list[School]:
    """``school_counts`` of ``OverseenSchools().visible_to(user)``, compiled once per
    process (``config.kept_query``)."""
    if not is_signed_in(user):
        return []
    values: dict[str, Any] = {"year": school_year.pk, "today": timezone.localdate()}
    if not is_network_admin(user):
        values["user"] = user.pk
    return kept_list("induction.overseen_counts", _overseen_counts, **values)


def _overseen_counts(
    *, year: int, today: datetime.date, user: int | None = None
) -> QuerySet[School]:
    schools = School.objects.all()
    if user is not None:  # as ``OverseenSchools.visible_to``; every school for admins
        mine = memberships(user, INDUCTION_OVERSEER_ROLES, school=OuterRef("pk"))
        schools = schools.filter(Exists(mine.filter(school_year__is_current=True)))
    return _school_counts(schools, year, today)


def school_starters(school: School, school_year: SchoolYear) -> list[RoleMembership]:
    """The starters of one school this year with their current mentor
    (``current_mentor``, from the plan when there is one). Two queries."""
    current = MentorAssignment.objects.filter(assigned_until__isnull=True).select_related("mentor")
    starters = list(
        RoleMembership.objects.filter(
            role__in=INDUCTION_ROLE_VALUES, school=school, school_year=school_year
        )
        .select_related("user", "started_teaching_in")
        .order_by("user__full_name", "pk")
    )
    assignments = {
        a.plan.membership_id: a
        for a in current.filter(plan__membership__in=[s.pk for s in starters]).select_related(
            "plan"
        )
    }
    for starter in starters:
        assignment = assignments.get(starter.pk)
        starter.current_mentor = assignment.mentor if assignment else None  # type: ignore[attr-defined]  # for the template
    return starters


def mentor_history(starter: RoleMembership) -> list[MentorAssignment]:
    return list(
        MentorAssignment.objects.filter(plan__membership=starter)
        .select_related("mentor", "assigned_by")
        .order_by("-assigned_from", "-pk")
    )
