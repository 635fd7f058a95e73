"""Who may do what with network sessions. One place, enforced on the server.

| persona                                        | see | answer | plan | edit/cancel/attendance |
|------------------------------------------------|-----|--------|------|------------------------|
| invitee (resolved from the audience)           | yes | yes    | –    | –                      |
| organiser                                      | yes | if invited | –  | yes                    |
| process facilitator, bridge-builder (this year)| if invited | if invited | yes | own sessions  |
| network admin                                  | yes | if invited | yes | yes                   |
| anyone else                                    | 404                                   |
"""

import rules

from access.roles import PLANNER_ROLES, AnyUser, is_network_admin, is_signed_in
from access.scope import scope_of

from .models import NetworkSession


@rules.predicate
def can_plan_sessions(user: AnyUser) -> bool:
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    # this school year's roles, from the person's scope (no query of its own)
    return bool(scope_of(user).held_now(PLANNER_ROLES))


@rules.predicate
def can_manage_session(user: AnyUser, session: NetworkSession) -> bool:
    if not is_signed_in(user):
        return False
    return is_network_admin(user) or session.organiser_id == user.pk


@rules.predicate
def is_invited(user: AnyUser, session: NetworkSession) -> bool:
    """The same rule as the list: ``NetworkSession.objects.invited``, for one session."""
    return NetworkSession.objects.invited(user).filter(pk=session.pk).exists()


rules.add_perm("network_sessions.plan_session", can_plan_sessions)
rules.add_perm("network_sessions.manage_session", can_manage_session)
rules.add_perm("network_sessions.respond", is_invited)
