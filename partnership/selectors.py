"""Reads for the home page and the personal dashboard."""

from dataclasses import dataclass, field

from django.db.models import Q

from access.roles import memberships
from access.scope import scope_of
from config.kept_query import attach_prefetched, kept_list
from research_cycle.models import ResearchTeam, TeamRole
from schools.models import School

from .models import LearningCommunity, LearningCommunityMembership, SchoolYear


def public_schools():
    """Active partner schools, as the public home page lists them."""
    return School.objects.active().only("name", "slug", "city", "level", "website").order_by("name")


@dataclass
class Dashboard:
    school_year: SchoolYear | None
    roles: list = field(default_factory=list)
    schools: list = field(default_factory=list)
    teams: list = field(default_factory=list)
    communities: list = field(default_factory=list)


def _current_year():
    return SchoolYear.objects.filter(is_current=True).order_by("pk")[:1]


def _roles(*, user: int, year: int):
    return (
        memberships(user, school_year=year)
        .select_related("school", "institution", "school_year")
        .order_by("role")
    )


def _teams(*, year: int, ids: list[int]):
    return ResearchTeam.objects.filter(school_year=year, pk__in=ids).select_related(
        "school", "current_cycle__current_stage"
    )


def _communities(*, user: int, year: int, schools: list[int]):
    return (
        LearningCommunity.objects.filter(school_year=year)
        .filter(Q(process_facilitator=user) | Q(memberships__school__in=schools))
        .distinct()
        .select_related("process_facilitator")
    )


def _community_memberships(*, communities: list[int]):
    return LearningCommunityMembership.objects.filter(community__in=communities).select_related(
        "school"
    )


def _communities_of_schools(*, year: int, schools: list[int]):
    return (
        LearningCommunityMembership.objects.filter(
            community__school_year=year,
            community__in=LearningCommunityMembership.objects.filter(school_id__in=schools).values(
                "community_id"
            ),
        )
        .select_related("community__process_facilitator", "school")
        .order_by("community__name", "community_id", "slot")
    )


def communities_of_schools(year: int, schools) -> list[LearningCommunity]:
    """The learning communities of the school year that one of these schools is in,
    by name, with their facilitator and ``memberships.all`` (each school, by slot)
    answered from memory: one kept query, of the memberships. Each such community
    has a school, so reading it through its schools misses none."""
    if not schools:
        return []
    rows = kept_list(
        "partnership.communities_of_schools",
        _communities_of_schools,
        year=year,
        schools=sorted(schools),
    )
    found: dict[int, LearningCommunity] = {}
    for row in rows:
        found.setdefault(row.community_id, row.community)
    communities = list(found.values())
    attach_prefetched(
        communities, "memberships", LearningCommunityMembership, rows, by="community_id"
    )
    return communities


def _with_memberships(communities: list[LearningCommunity]) -> None:
    """``prefetch_related("memberships")`` as Django leaves it (``community.memberships
    .all`` answers from memory), with one kept query."""
    if not communities:
        return
    rows = kept_list(
        "dashboard.community_memberships",
        _community_memberships,
        communities=[c.pk for c in communities],
    )
    attach_prefetched(
        communities, "memberships", LearningCommunityMembership, rows, by="community_id"
    )


def dashboard_for(user) -> Dashboard:
    """What a person sees after logging in: their roles, schools, teams and learning
    communities in the current school year. A fixed number of queries, each compiled
    once per process (``config.kept_query``). Which year is current, and whether the
    person holds a role in it, the scope knows (read once per request): the year's
    row comes with their roles, and is read on its own only for someone without."""
    scope = scope_of(user)
    if not scope.current_years:
        return Dashboard(school_year=None)
    year = scope.current_years[0]
    roles = []
    if scope.held_now():
        roles = kept_list("dashboard.roles", _roles, user=user.pk, year=year)
    if roles:
        school_year = roles[0].school_year
    else:
        school_year = next(iter(kept_list("dashboard.year", _current_year)), None)
    if school_year is None:
        return Dashboard(school_year=None)
    schools = sorted({r.school for r in roles if r.school}, key=lambda s: s.name)
    # The person's role in each team comes from the scope (read once per request):
    # no query of the teams' members and no user rows turned into models for it.
    team_ids = scope.team_ids()
    teams = kept_list("dashboard.teams", _teams, year=year, ids=team_ids) if team_ids else []
    role_labels = dict(TeamRole.choices)
    for team in teams:
        role = scope.team_roles.get(team.pk, "")
        team.my_role = role_labels.get(role, role)  # shown by the template
    if any(y == year for _c, y in scope.facilitated_communities):
        # A community they facilitate may have no schools yet: read the communities
        # themselves (and then their schools).
        communities = kept_list(
            "dashboard.communities",
            _communities,
            user=user.pk,
            year=year,
            schools=[s.pk for s in schools],
        )
        _with_memberships(communities)
    else:
        communities = communities_of_schools(year, [s.pk for s in schools])
    return Dashboard(
        school_year=school_year,
        roles=roles,
        schools=schools,
        teams=teams,
        communities=communities,
    )
