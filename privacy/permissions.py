"""Who may read a team's access log: the network admin and the team's coach.
Everyone else who may see the team gets 403; the rest 404 (through the team's
``visible_to``). Exports and erasure requests are only ever the person's own."""

from typing import TYPE_CHECKING

import rules

from access.roles import AnyUser, is_network_admin, is_signed_in, team_memberships
from research_cycle.models import TeamRole

if TYPE_CHECKING:
    from research_cycle.models import ResearchTeam


@rules.predicate
def can_read_access_log(user: AnyUser, team: "ResearchTeam") -> bool:
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return team_memberships(user.pk, team=team.pk).filter(role=TeamRole.COACH).exists()


rules.add_perm("privacy.read_access_log", can_read_access_log)
