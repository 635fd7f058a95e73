"""Who may do what with a research team. One place, enforced on the server.

| persona                                   | view | log | study fields | advance | comment |
|-------------------------------------------|------|-----|--------------|---------|---------|
| coach of the team                         | yes  | yes | yes          | yes     | yes     |
| research / student teacher in the team    | yes  | yes | yes          | no      | yes     |
| bridge-builder of the school              | yes  | yes | no           | no      | yes     |
| school leader of the school               | yes  | no  | no           | no      | yes     |
| process facilitator (own communities), network admin | yes | no | no   | no      | yes     |
| anyone else                               | 404                                        |
"""

from dataclasses import dataclass

import rules

from accounts.models import AnyUser
from partnership.models import LearningCommunityMembership
from schools.models import Role, RoleMembership

from .models import LogEntry, ResearchTeam, TeamMembership, TeamRole


@dataclass(frozen=True)
class TeamAccess:
    team_role: str | None = None
    is_school_bridge_builder: bool = False
    is_school_leader: bool = False
    is_process_facilitator: bool = False
    is_network_admin: bool = False

    @property
    def can_view(self) -> bool:
        return bool(
            self.team_role
            or self.is_school_bridge_builder
            or self.is_school_leader
            or self.is_process_facilitator
            or self.is_network_admin
        )

    @property
    def can_log(self) -> bool:
        return self.team_role is not None or self.is_school_bridge_builder

    @property
    def can_edit_study(self) -> bool:
        return self.team_role in {
            TeamRole.COACH,
            TeamRole.RESEARCH_TEACHER,
            TeamRole.STUDENT_TEACHER,
        }

    @property
    def can_advance(self) -> bool:
        return self.team_role == TeamRole.COACH

    @property
    def can_comment(self) -> bool:
        return self.can_view


NO_ACCESS = TeamAccess()


def team_access(user: AnyUser, team: ResearchTeam) -> TeamAccess:
    """What this person may do in this team. Cached on the team object, so a page
    asks the database at most three times whatever it renders."""
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cache: dict[int, TeamAccess] = team.__dict__.setdefault("_access_cache", {})
    if user.pk in cache:
        return cache[user.pk]
    membership = (
        TeamMembership.objects.filter(team=team, user=user).values_list("role", flat=True).first()
    )
    school_roles = set(
        RoleMembership.objects.filter(
            user=user,
            school_id=team.school_id,
            school_year_id=team.school_year_id,
            role__in=[Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER],
        ).values_list("role", flat=True)
    )
    is_facilitator = (
        not membership
        and not school_roles
        and LearningCommunityMembership.objects.filter(
            school_id=team.school_id,
            community__school_year_id=team.school_year_id,
            community__process_facilitator=user,
        ).exists()
    )
    access = TeamAccess(
        team_role=membership,
        is_school_bridge_builder=Role.BRIDGE_BUILDER in school_roles
        or membership == TeamRole.BRIDGE_BUILDER,
        is_school_leader=Role.SCHOOL_LEADER in school_roles,
        is_process_facilitator=is_facilitator,
        is_network_admin=user.is_superuser,
    )
    cache[user.pk] = access
    return access


@rules.predicate
def can_view_team(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_view


@rules.predicate
def can_log_in_team(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_log


@rules.predicate
def can_edit_study(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_edit_study


@rules.predicate
def can_advance_stage(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_advance


@rules.predicate
def can_comment_in_team(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_comment


@rules.predicate
def is_entry_author(user: AnyUser, entry: LogEntry) -> bool:
    return entry.author_id == user.pk


@rules.predicate
def can_log_in_entry_team(user: AnyUser, entry: LogEntry) -> bool:
    return team_access(user, entry.cycle.team).can_log


rules.add_perm("research_cycle.view_team", can_view_team)
rules.add_perm("research_cycle.log_progress", can_log_in_team)
rules.add_perm("research_cycle.edit_study", can_edit_study)
rules.add_perm("research_cycle.advance_stage", can_advance_stage)
rules.add_perm("research_cycle.comment", can_comment_in_team)
rules.add_perm("research_cycle.change_entry", is_entry_author & can_log_in_entry_team)
