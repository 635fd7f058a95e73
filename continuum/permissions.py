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

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import scope_of
from accounts.models import User
from schools.models import Role, RoleMembership

#: The roles that may follow the people of their schools.
FOLLOWING_ROLES = (Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER)


def people_visible_to(user: AnyUser) -> QuerySet[User]:
    """The people whose path this person may see."""
    if not is_signed_in(user):
        return User.objects.none()
    if is_network_admin(user):
        return User.objects.all()
    # the schools they follow this year come from their scope: a plain id list
    followed_schools = scope_of(user).school_ids_now(FOLLOWING_ROLES)
    if not followed_schools:
        return User.objects.filter(pk=user.pk)
    held_a_role = RoleMembership.objects.filter(user=OuterRef("pk"), school__in=followed_schools)
    return User.objects.filter(Q(pk=user.pk) | Q(Exists(held_a_role)))


def cohort_institutions(user: AnyUser) -> frozenset[int] | None:
    """The ids of the institutions whose cohorts this person may see: those they are
    a bridge-builder of this school year, from their scope (no query of its own).
    None: every institution (a network admin)."""
    if is_network_admin(user):
        return None
    if not is_signed_in(user):
        return frozenset()
    return frozenset(scope_of(user).institution_ids_now([Role.BRIDGE_BUILDER]))


@rules.predicate
def can_view_cohorts(user: AnyUser) -> bool:
    """A network admin, or a bridge-builder this school year (from the scope)."""
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return bool(scope_of(user).held_now([Role.BRIDGE_BUILDER]))


rules.add_perm("continuum.view_cohorts", can_view_cohorts)
