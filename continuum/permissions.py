"""Who sees a person's path through the continuum and the cohort figures.

| persona                                     | a person's path | cohort figures          |
|---------------------------------------------|-----------------|-------------------------|
| the person                                  | own             | –                       |
| bridge-builder or school leader (this year) | yes             | bridge-builders: their  |
| of a school where the person holds or held  |                 | institution's cohorts   |
| any role, in any school year                |                 |                         |
| network admin                               | everyone's      | every institution's     |
| anyone else                                 | 404             | 403                     |

A path is shown whole (every role at every school) to whoever may see it: it is one
person's career, and a school that guided someone may follow where they went. The
cohort figures never name anyone and hide groups under five.
"""

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in, memberships
from accounts.models import User
from partnership.models import Institution
from schools.models import Role, RoleMembership

#: The roles that may follow the people of their schools.
FOLLOWING_ROLES = (Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER)


def _current(queryset: QuerySet[RoleMembership]) -> QuerySet[RoleMembership]:
    return queryset.filter(school_year__is_current=True)


def people_visible_to(user: AnyUser) -> QuerySet[User]:
    """The people whose path this person may see."""
    if not is_signed_in(user):
        return User.objects.none()
    if is_network_admin(user):
        return User.objects.all()
    followed_schools = _current(memberships(user, FOLLOWING_ROLES)).values("school")
    held_a_role = RoleMembership.objects.filter(user=OuterRef("pk"), school__in=followed_schools)
    return User.objects.filter(Q(pk=user.pk) | Q(Exists(held_a_role)))


def cohort_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The institutions whose cohorts this person may see."""
    if is_network_admin(user):
        return Institution.objects.all()
    if not is_signed_in(user):
        return Institution.objects.none()
    mine = _current(memberships(user, [Role.BRIDGE_BUILDER])).values("institution")
    return Institution.objects.filter(pk__in=mine)


@rules.predicate
def can_view_cohorts(user: AnyUser) -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    cache: dict[str, Any] = user.__dict__.setdefault("_continuum_cohorts", {})
    if "value" not in cache:
        cache["value"] = _current(memberships(user, [Role.BRIDGE_BUILDER])).exists()
    return bool(cache["value"])


rules.add_perm("continuum.view_cohorts", can_view_cohorts)
