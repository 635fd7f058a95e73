"""Who may send a research team knowledge: those who oversee it, the bridge-builder
of its school (or named in the team), the process facilitator of its school's
learning community and the network admin. Everyone who may see the team sees what
was sent (the workspace's timeline).

| persona                                        | see | send |
|------------------------------------------------|-----|------|
| team members, the school leader                | yes | no   |
| bridge-builder, process facilitator, admin     | yes | yes  |
| anyone else                                    | 404       |
"""

from typing import TYPE_CHECKING

import rules

from access.roles import AnyUser
from research_cycle.permissions import team_access

if TYPE_CHECKING:
    from research_cycle.models import ResearchTeam


@rules.predicate
def oversees_team(user: AnyUser, team: "ResearchTeam") -> bool:
    access = team_access(user, team)
    return bool(
        access.is_school_bridge_builder or access.is_process_facilitator or access.is_network_admin
    )


rules.add_perm("inspiration.send_injection", oversees_team)
