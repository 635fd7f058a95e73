"""Who may compose next year's learning communities: the process facilitators of
the current school year and the network admin; anyone else 403 (the page shows
no one's data, so there is nothing to hide with a 404)."""

import rules

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import scope_of
from schools.models import Role


@rules.predicate
def composes_communities(user: AnyUser) -> bool:
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return bool(scope_of(user).held_now([Role.PROCESS_FACILITATOR]))


rules.add_perm("partnership.compose_communities", composes_communities)
