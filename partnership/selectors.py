"""Reads for the home page and the personal dashboard."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from access.roles import memberships
from access.scope import scope_of
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


def dashboard_for(user) -> Dashboard:
    """What a person sees after logging in: their roles, schools, teams and learning
    communities in the current school year. A fixed number of queries."""
    school_year = SchoolYear.objects.current()
    if school_year is None:
        return Dashboard(school_year=None)
    roles = list(
        memberships(user, school_year=school_year)
        .select_related("school", "institution")
        .order_by("role")
    )
    schools = sorted({r.school for r in roles if r.school}, key=lambda s: s.name)
    scope = scope_of(user)
    # The person's role in each team comes from the scope (read once per request):
    # no query of the teams' members and no user rows turned into models for it.
    teams = list(
        ResearchTeam.objects.filter(
            school_year=school_year, pk__in=scope.team_ids()
        ).select_related("school", "current_cycle__current_stage")
    )
    role_labels = dict(TeamRole.choices)
    for team in teams:
        role = scope.team_roles.get(team.pk, "")
        team.my_role = role_labels.get(role, role)  # type: ignore[attr-defined]  # shown by the template
    communities = list(
        LearningCommunity.objects.filter(school_year=school_year)
        .filter(Q(process_facilitator=user) | Q(memberships__school__in=[s.pk for s in schools]))
        .distinct()
        .select_related("process_facilitator")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=LearningCommunityMembership.objects.select_related("school"),
            )
        )
    )
    return Dashboard(
        school_year=school_year,
        roles=roles,
        schools=schools,
        teams=teams,
        communities=communities,
    )
