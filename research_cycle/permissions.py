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
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value

from access.roles import (
    AnyUser,
    facilitates,
    is_bridge_builder_of_team,
    is_network_admin,
    is_school_leader_at,
    is_signed_in,
    team_memberships,
)

from .models import TeamRole

if TYPE_CHECKING:
    from .models import LogEntry, ResearchTeam

#: The person's place in the team (a ``TeamRole`` value, or None).
TEAM_ROLE = "access_team_role"
#: For whom the annotations were made (a team fetched for one person may be shown
#: to another in the same request only after a fresh check).
ACCESS_USER = "access_user_pk"
#: The roles held around the team, each true or false.
FLAGS = ("is_school_bridge_builder", "is_school_leader", "is_process_facilitator")


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


def _conditions(user: AnyUser) -> "dict[str, Subquery | ExpressionWrapper[Any]]":
    """Each role the person may hold around a team, as an expression over the team
    row (in the team's school and school year)."""
    team, school, year = OuterRef("pk"), OuterRef("school"), OuterRef("school_year")
    return {
        TEAM_ROLE: Subquery(team_memberships(user, team=team).values("role")[:1]),
        f"access_{FLAGS[0]}": ExpressionWrapper(
            is_bridge_builder_of_team(user, team=team, school=school, school_year=year),
            output_field=BooleanField(),
        ),
        f"access_{FLAGS[1]}": ExpressionWrapper(
            Q(is_school_leader_at(user, school=school, school_year=year)),
            output_field=BooleanField(),
        ),
        f"access_{FLAGS[2]}": ExpressionWrapper(
            Q(facilitates(user, school=school, school_year=year)), output_field=BooleanField()
        ),
    }


def visible_teams[Teams: QuerySet[Any]](teams: Teams, user: AnyUser) -> Teams:
    """The teams a person may see (``TeamAccess.can_view``), each annotated with the
    roles the person holds around it, so ``team_access`` needs no further query."""
    if not is_signed_in(user):
        return teams.none()
    annotated = teams.annotate(**_conditions(user), **{ACCESS_USER: Value(user.pk)})
    if is_network_admin(user):
        return annotated
    any_role = Q(**{f"{TEAM_ROLE}__isnull": False})
    for flag in FLAGS:
        any_role |= Q(**{f"access_{flag}": True})
    return annotated.filter(any_role)


def team_access(user: AnyUser, team: "ResearchTeam") -> TeamAccess:
    """What this person may do in this team. Read from the annotations when the
    team was fetched through ``visible_to`` for this person, else one query."""
    if not is_signed_in(user):
        return NO_ACCESS
    cache: dict[object, TeamAccess] = team.__dict__.setdefault("_access_cache", {})
    if user.pk in cache:
        return cache[user.pk]
    names = [TEAM_ROLE, *(f"access_{flag}" for flag in FLAGS)]
    if team.__dict__.get(ACCESS_USER) == user.pk and all(n in team.__dict__ for n in names):
        values = [team.__dict__[name] for name in names]
    else:
        from .models import ResearchTeam

        row = (
            ResearchTeam.objects.filter(pk=team.pk)
            .annotate(**_conditions(user))
            .values_list(*names)
            .first()
        )
        values = list(row) if row else [None, False, False, False]
    team_role, bridge_builder, leader, facilitator = values
    access = TeamAccess(
        team_role=team_role,
        is_school_bridge_builder=bool(bridge_builder),
        is_school_leader=bool(leader),
        is_process_facilitator=bool(facilitator),
        is_network_admin=is_network_admin(user),
    )
    cache[user.pk] = access
    return access


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
