"""Reads for placements, scoped to who asks where it matters, in few queries."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from access.roles import is_network_admin
from access.scope import scope_of
from accounts.models import User
from config.kept_query import kept_list
from partnership.models import SchoolYear
from research_cycle.models import ResearchTeam
from schools.models import Role, RoleMembership, School

from .allocation import Applicant, Line, Outcome, Why, suggest
from .models import (
    HostingCapacity,
    HostingOffer,
    Placement,
    PlacementPeriod,
    PlacementRequest,
    Preference,
)
from .permissions import placements_seen_by
from .roles import SCHOOL_CONTACT_ROLES

State = Placement.State
#: The home page lists at most this many placements (a coordinator's year fits).
HOME_PLACEMENTS = 500
#: States in which a placement counts as hosted (the reciprocity balance).
HOSTED_STATES = (State.CONFIRMED, State.RUNNING, State.COMPLETED)


def placements_hosted(school_year: SchoolYear) -> dict[int, int]:
    """Confirmed, running and completed placements per school id in the year."""
    rows = (
        Placement.objects.filter(school_year=school_year, state__in=HOSTED_STATES)
        .values_list("school")
        .annotate(n=Count("pk"))
        .values_list("school", "n")
    )
    return dict(rows)


def lines_with_use(period: PlacementPeriod) -> QuerySet[HostingCapacity]:
    """The period's capacity lines with their school, places taken and how many
    students chose them."""
    return (
        HostingCapacity.objects.filter(period=period)
        .select_related("offer__school")
        .annotate(
            taken=Count("placements", filter=~Q(placements__state=State.CANCELLED), distinct=True),
            chosen=Count("preferences", distinct=True),
        )
        .order_by("offer__school__name", "level", "subject")
    )


@dataclass
class AllocationInput:
    """What the suggestion needs, loaded once: open requests, lines with their free
    places, and the research team per school."""

    requests: list[PlacementRequest]
    lines: list[Line]
    applicants: list[Applicant]
    capacity: dict[int, HostingCapacity]
    teams: dict[int, ResearchTeam]


def _requests(period: PlacementPeriod) -> QuerySet[PlacementRequest]:
    return (
        PlacementRequest.objects.filter(period=period)
        .select_related("student")
        .prefetch_related(Prefetch("preferences", queryset=Preference.objects.order_by("rank")))
        .order_by("submitted_at", "pk")
    )


def _teams(period: PlacementPeriod) -> dict[int, ResearchTeam]:
    """The first research team of each school that year (schools with one team
    nearly always)."""
    teams: dict[int, ResearchTeam] = {}
    for team in ResearchTeam.objects.filter(school_year=period.school_year_id).order_by("pk"):
        teams.setdefault(team.school_id, team)
    return teams


def allocation_input(period: PlacementPeriod) -> AllocationInput:
    placed = set(
        Placement.objects.counting().filter(period=period).values_list("student", flat=True)
    )
    requests = [r for r in _requests(period) if r.student_id not in placed]
    capacity = {c.pk: c for c in lines_with_use(period)}
    teams = _teams(period)
    return _build_input(requests, capacity, teams)


def _build_input(
    requests: list[PlacementRequest],
    capacity: dict[int, HostingCapacity],
    teams: dict[int, ResearchTeam],
) -> AllocationInput:
    lines = [
        Line(
            pk=c.pk,
            free=max(c.places - c.taken, 0),  # type: ignore[attr-defined]
            has_team=c.offer.school_id in teams,
        )
        for c in capacity.values()
    ]
    applicants = [
        Applicant(
            student_id=r.student_id,
            choices=[p.capacity_id for p in r.preferences.all()],
            submitted_at=r.submitted_at,
            wants_research_team=r.wants_research_team,
        )
        for r in requests
    ]
    return AllocationInput(requests, lines, applicants, capacity, teams)


def _ordinal(rank: int) -> str:
    ordinals = [_("first choice"), _("second choice"), _("third choice")]
    ordinals += [_("fourth choice"), _("fifth choice")]
    return ordinals[rank - 1] if 0 < rank <= len(ordinals) else _("choice %(n)d") % {"n": rank}


def explain(outcome: Outcome | None) -> str:
    """Why the student gets this place, in words: "second choice: first choice full"."""
    if outcome is None:
        return ""
    reasons = [
        {
            Why.FULL: _("%(choice)s full (students with priority)"),
            Why.NO_PLACE: _("%(choice)s has no free place"),
            Why.UNKNOWN: _("%(choice)s no longer offered"),
        }[why]
        % {"choice": _ordinal(rank)}
        for rank, why in outcome.passed_over
    ]
    if outcome.rank is None:
        if not reasons:
            return _("No place: no choices stated.")
        return _("No place: %(reasons)s.") % {"reasons": ", ".join(reasons)}
    chosen = _ordinal(outcome.rank)
    chosen = chosen[:1].upper() + chosen[1:]
    if not reasons:
        return f"{chosen}."
    return f"{chosen}: {', '.join(reasons)}."


def placement_explanation(placement: Placement) -> str:
    """The reason kept with a placement: the suggestion's, or placed by hand."""
    if placement.choice_rank is None:
        return _("Placed by the coordinator.")
    passed_over = [(int(rank), Why(why)) for rank, why in placement.passed_over]
    return explain(
        Outcome(line=placement.capacity_id, rank=placement.choice_rank, passed_over=passed_over)
    )


@dataclass
class RequestRow:
    """One student's request on the allocation page."""

    request: PlacementRequest
    choices: list[HostingCapacity]
    placement: Placement | None
    suggestion: Outcome | None
    suggested_line: HostingCapacity | None = None

    @property
    def explanation(self) -> str:
        """Why the placement (or else the suggestion) is what it is."""
        if self.placement is not None:
            return placement_explanation(self.placement)
        return explain(self.suggestion)


@dataclass
class AllocationBoard:
    period: PlacementPeriod
    lines: list[HostingCapacity]
    rows: list[RequestRow]
    placements_without_request: list[Placement]
    places: int
    taken: int
    proposed: int
    first_choices: Counter[int]


def allocation_board(period: PlacementPeriod) -> AllocationBoard:
    """The coordinator's page: requests against capacity, the suggestion with its
    reasons for students not placed yet, and the placements made. A fixed number of
    queries, whatever the number of requests and schools."""
    capacity = {c.pk: c for c in lines_with_use(period)}
    placements = list(
        Placement.objects.counting()
        .filter(period=period)
        .select_related("student", "school", "mentor", "bridge_builder", "capacity")
    )
    by_student = {p.student_id: p for p in placements}
    requests = list(_requests(period))
    open_requests = [r for r in requests if r.student_id not in by_student]
    suggestion_input = _build_input(open_requests, capacity, _teams(period))
    outcomes = suggest(suggestion_input.applicants, suggestion_input.lines, period_id=period.pk)
    rows = []
    for request in requests:
        outcome = outcomes.get(request.student_id)
        rows.append(
            RequestRow(
                request=request,
                choices=[capacity[p.capacity_id] for p in request.preferences.all()],
                placement=by_student.get(request.student_id),
                suggestion=outcome,
                suggested_line=capacity.get(outcome.line) if outcome and outcome.line else None,
            )
        )
    requested = {r.student_id for r in requests}
    first_choices = Counter(
        r.preferences.all()[0].capacity_id for r in requests if r.preferences.all()
    )
    return AllocationBoard(
        period=period,
        lines=list(capacity.values()),
        rows=rows,
        placements_without_request=[p for p in placements if p.student_id not in requested],
        places=sum(c.places for c in capacity.values()),
        taken=len(placements),
        proposed=sum(1 for p in placements if p.state == State.PROPOSED),
        first_choices=first_choices,
    )


@dataclass
class PlacementHome:
    """What /placements/ shows a person, by the roles they hold this year."""

    school_year: SchoolYear | None
    schools: list[Any] = field(default_factory=list)
    coordinated: list[PlacementPeriod] = field(default_factory=list)
    student_periods: list[PlacementPeriod] = field(default_factory=list)
    my_requests: dict[int, PlacementRequest] = field(default_factory=dict)
    placements: list[Placement] = field(default_factory=list)


def home_for(user: User) -> PlacementHome:
    """The person's schools to answer for (with whether they did), the periods they
    allocate or state preferences for, and the placements they may see. Each query
    compiled once per process (``config.kept_query``)."""
    year = SchoolYear.objects.current()
    home = PlacementHome(school_year=year)
    if year is None:
        return home
    # a network admin answers for everything: their own id is no condition
    admin: dict[str, Any] = {"admin": is_network_admin(user)}
    me: dict[str, Any] = {"year": year.pk} if admin["admin"] else {"user": user.pk, "year": year.pk}
    # Which roles they hold this year the scope knows (read once per request): no
    # query for a list their roles leave empty.
    scope = scope_of(user)
    if admin["admin"] or scope.held_now(SCHOOL_CONTACT_ROLES):
        home.schools = kept_list("placements.home_schools", _home_schools, shape=admin, **me)
    if admin["admin"] or scope.held_now([Role.PLACEMENT_COORDINATOR]):
        home.coordinated = kept_list("placements.home_coordinated", _coordinated, shape=admin, **me)
    mine: dict[str, Any] = {"user": user.pk, "year": year.pk}
    if scope.held_now([Role.STUDENT_TEACHER]):
        home.student_periods = kept_list(
            "placements.home_student_periods", _student_periods, **mine
        )
    if home.student_periods:  # the requests are shown per period only
        home.my_requests = {
            r.period_id: r for r in kept_list("placements.home_requests", _my_requests, **mine)
        }
    home.placements = kept_list("placements.home_placements", _home_placements, shape=admin, **me)
    return home


def _home_schools(*, year: int, admin: bool, user: int | None = None) -> QuerySet[School]:
    contact_of = RoleMembership.objects.filter(
        user=user, role__in=SCHOOL_CONTACT_ROLES, school_year=year
    ).values("school")
    schools = School.objects.active() if admin else School.objects.filter(pk__in=contact_of)
    answered = HostingOffer.objects.filter(
        school=OuterRef("pk"),
        institution=OuterRef("partnership__institution"),
        school_year=year,
        answered_at__isnull=False,
    )
    return (
        schools.select_related("partnership__institution")
        .annotate(answered_at=Subquery(answered.values("answered_at")[:1]))
        .order_by("name")
    )


def _coordinated(*, year: int, admin: bool, user: int | None = None) -> QuerySet[PlacementPeriod]:
    periods = PlacementPeriod.objects.filter(school_year=year).select_related("institution")
    if admin:
        return periods
    coordinated = RoleMembership.objects.filter(
        user=user, role=Role.PLACEMENT_COORDINATOR, school_year=year
    ).values("institution")
    return periods.filter(institution__in=coordinated)


def _student_periods(*, year: int, user: int) -> QuerySet[PlacementPeriod]:
    studies_at = RoleMembership.objects.filter(
        user=user, role=Role.STUDENT_TEACHER, school_year=year
    ).values("institution")
    return (
        PlacementPeriod.objects.filter(school_year=year)
        .select_related("institution")
        .filter(institution__in=studies_at)
    )


def _my_requests(*, year: int, user: int) -> QuerySet[PlacementRequest]:
    return PlacementRequest.objects.filter(student=user, period__school_year=year)


def _home_placements(*, year: int, admin: bool, user: int | None = None) -> QuerySet[Placement]:
    placements: QuerySet[Placement] = Placement.objects.all()
    if not admin and user is not None:
        placements = placements_seen_by(placements, user)
    return (
        placements.filter(school_year=year)
        .select_related("student", "school", "period", "mentor", "bridge_builder")
        .order_by("period__starts_on", "school__name", "student__full_name")[:HOME_PLACEMENTS]
    )


def my_placements(user: User) -> list[Placement]:
    """The student teacher's own placements this year (the dashboard panel)."""
    return list(
        Placement.objects.counting()
        .filter(student=user, school_year__is_current=True)
        .select_related("school", "period", "mentor", "bridge_builder", "research_team")
        .order_by("period__starts_on")
    )


def team_placements(team: ResearchTeam) -> list[Placement]:
    """Student teachers placed with a task in the team (the team workspace)."""
    return kept_list("placements.of_team", _team_placements, team=team.pk)


def _team_placements(*, team: int) -> QuerySet[Placement]:
    return (
        Placement.objects.counting()
        .filter(research_team=team)
        .select_related("student", "period")
        .order_by("period__starts_on", "student__full_name")
    )
