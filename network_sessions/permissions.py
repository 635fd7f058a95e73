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

from accounts.models import AnyUser
from partnership.models import SchoolYear
from schools.models import Role, RoleMembership

from .models import NetworkSession

PLANNER_ROLES = (Role.PROCESS_FACILITATOR, Role.BRIDGE_BUILDER)


@rules.predicate
def can_plan_sessions(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache: dict[str, bool] = user.__dict__.setdefault("_session_planner", {})
    if "value" not in cache:
        year = SchoolYear.objects.filter(is_current=True).values("pk")
        cache["value"] = RoleMembership.objects.filter(
            user=user, role__in=PLANNER_ROLES, school_year__in=year
        ).exists()
    return cache["value"]


@rules.predicate
def can_manage_session(user: AnyUser, session: NetworkSession) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or session.organiser_id == user.pk


@rules.predicate
def is_invited(user: AnyUser, session: NetworkSession) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return NetworkSession.objects.invited(user).filter(pk=session.pk).exists()


rules.add_perm("network_sessions.plan_session", can_plan_sessions)
rules.add_perm("network_sessions.manage_session", can_manage_session)
rules.add_perm("network_sessions.respond", is_invited)
