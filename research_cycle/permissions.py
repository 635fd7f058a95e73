"""Who may do what with a research team. One rule, used for the list (the
``visible_to`` queryset) and for one team (``team_access``): both read the same
conditions, built from the role blocks in ``access.roles``.

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
from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Q, QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import in_years, scope_of
from schools.models import Role

from .models import TeamRole

if TYPE_CHECKING:
    from .models import LogEntry, ResearchTeam


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


def visible_team_values(user: AnyUser) -> dict[str, Any]:
    """What ``visible_teams`` asks of a signed-in person who is no network admin, as
    plain values from their scope (``access.scope``), for ``visible_team_filter``
    and for queries compiled once per process (``config.kept_query``)."""
    scope = scope_of(user)
    return {
        "team_ids": scope.team_ids(),
        "overseen": scope.schools_by_year([Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER]),
        "facilitated": scope.facilitated_by_year(),
    }


def visible_team_filter(*, team_ids: Any, overseen: Any, facilitated: Any, prefix: str = "") -> Q:
    """The rule of ``TeamAccess.can_view`` over ``visible_team_values``: a member of
    the team, or bridge-builder, school leader or process facilitator at its school
    in its school year. ``prefix`` reaches the team from another model
    (``"team__"`` for a study)."""
    school, year = f"{prefix}school_id", f"{prefix}school_year_id"
    return (
        Q(**{f"{prefix}pk__in": team_ids})
        | in_years(overseen, ids=school, year=year)
        | in_years(facilitated, ids=school, year=year)
    )


def visible_teams[Teams: QuerySet[Any]](teams: Teams, user: AnyUser) -> Teams:
    """The teams a person may see (``TeamAccess.can_view``): plain id lists from the
    person's scope (``access.scope``), so the queryset compiles cheaply."""
    if not is_signed_in(user):
        return teams.none()
    if is_network_admin(user):
        return teams.all()
    return teams.filter(visible_team_filter(**visible_team_values(user)))


def team_access(user: AnyUser, team: "ResearchTeam") -> TeamAccess:
    """What this person may do in this team: from their scope, no query (the
    conditions of ``access.roles.is_bridge_builder_of_team``, ``is_school_leader_at``
    and ``facilitates`` over the memberships read once)."""
    if not is_signed_in(user):
        return NO_ACCESS
    scope = scope_of(user)
    school, year = team.school_id, team.school_year_id
    team_role = scope.team_roles.get(team.pk)
    return TeamAccess(
        team_role=team_role,
        is_school_bridge_builder=team_role == TeamRole.BRIDGE_BUILDER
        or scope.holds_at([Role.BRIDGE_BUILDER], school=school, school_year=year),
        is_school_leader=scope.holds_at([Role.SCHOOL_LEADER], school=school, school_year=year),
        is_process_facilitator=scope.facilitates(school=school, school_year=year),
        is_network_admin=is_network_admin(user),
    )


def shows_study_edit(access: TeamAccess, cycle: Any, team: "ResearchTeam") -> bool:
    """Whether a study field offers its Edit link: the person may edit the study, and
    this is the team's current cycle, still going on (the edit view itself only
    opens the current cycle, ``_open_cycle``)."""
    return bool(
        access.can_edit_study and cycle.pk == team.current_cycle_id and not cycle.is_completed
    )


@rules.predicate
def can_view_team(user: AnyUser, team: "ResearchTeam") -> bool:
    return team_access(user, team).can_view


@rules.predicate
def can_log_in_team(user: AnyUser, team: "ResearchTeam") -> bool:
    return team_access(user, team).can_log


@rules.predicate
def can_edit_study(user: AnyUser, team: "ResearchTeam") -> bool:
    return team_access(user, team).can_edit_study


@rules.predicate
def can_advance_stage(user: AnyUser, team: "ResearchTeam") -> bool:
    return team_access(user, team).can_advance


@rules.predicate
def can_comment_in_team(user: AnyUser, team: "ResearchTeam") -> bool:
    return team_access(user, team).can_comment


@rules.predicate
def is_entry_author(user: AnyUser, entry: "LogEntry") -> bool:
    return bool(entry.author_id == user.pk)


@rules.predicate
def can_log_in_entry_team(user: AnyUser, entry: "LogEntry") -> bool:
    return team_access(user, entry.cycle.team).can_log


rules.add_perm("research_cycle.view_team", can_view_team)
rules.add_perm("research_cycle.log_progress", can_log_in_team)
rules.add_perm("research_cycle.edit_study", can_edit_study)
rules.add_perm("research_cycle.advance_stage", can_advance_stage)
rules.add_perm("research_cycle.comment", can_comment_in_team)
rules.add_perm("research_cycle.change_entry", is_entry_author & can_log_in_entry_team)
