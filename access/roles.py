"""Role building blocks: who holds which role where, in which school year.

Every permission in Leerbrug is made of these blocks: each app's
``visible_to(user)`` queryset, its ``rules`` predicates and the oversight scope.
A block is a condition (an ``Exists``) that can be used two ways with the same
meaning:

- inside a queryset, with references to the row being filtered, e.g.
  ``ResearchTeam.objects.filter(is_bridge_builder_at(user, school=OuterRef("school"),
  school_year=OuterRef("school_year")))``;
- for one object, through the same queryset narrowed to that object's primary key
  (``ResearchTeam.objects.visible_to(user).filter(pk=team.pk)``), or, for a
  single membership, ``memberships(...).exists()``.

Any argument, the person included, may be a value or a reference, so the same
block also answers the reverse question ("who are the bridge-builders of this
team?" with ``user=OuterRef("pk")`` over ``User``).

Roles are memberships per school year, never global flags; the one global role is
the network admin (an active superuser), defined here and nowhere else.
"""

from collections.abc import Iterable
from typing import TypeGuard

from django.db.models import Exists, F, Model, Q, QuerySet

from accounts.models import AnyUser as AnyUser  # re-exported: the apps' one user type
from accounts.models import User
from partnership.models import LearningCommunityMembership
from research_cycle.models import TeamMembership, TeamRole
from schools.models import Role, RoleMembership

#: A value to match: a primary key, a model instance or a reference to the outer
#: row (``OuterRef("school")``, an ``F`` expression).
type Ref = int | Model | F | AnyUser

#: The roles of the teacher education institution that plan network sessions.
PLANNER_ROLES = (Role.PROCESS_FACILITATOR, Role.BRIDGE_BUILDER)
#: The roles that oversee schools (the oversight pages, the navigation link).
OVERSEER_ROLES = (Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR, Role.SCHOOL_LEADER)


def is_signed_in(user: AnyUser) -> TypeGuard[User]:
    """A person who logged in and whose access has not been ended."""
    return bool(user.is_authenticated and user.is_active)


def is_network_admin(user: AnyUser) -> bool:
    """The network admin (beheerder): an active superuser. The only global role."""
    return is_signed_in(user) and bool(getattr(user, "is_superuser", False))


def network_admins() -> QuerySet[User]:
    """Every network admin (as ``is_network_admin``), e.g. to notify them."""
    return User.objects.filter(is_active=True, is_superuser=True)


def memberships(
    user: Ref,
    roles: Iterable[str] | None = None,
    *,
    school: Ref | None = None,
    school_year: Ref | None = None,
) -> QuerySet[RoleMembership]:
    """The person's role memberships, narrowed to these roles, school and year."""
    filters: dict[str, object] = {"user": user}
    if roles is not None:
        filters["role__in"] = [str(role) for role in roles]
    if school is not None:
        filters["school"] = school
    if school_year is not None:
        filters["school_year"] = school_year
    return RoleMembership.objects.filter(**filters)


def has_role_at(
    user: Ref, roles: Iterable[str] | None = None, *, school: Ref, school_year: Ref
) -> Exists:
    """Holds one of ``roles`` (any role when None) at the school in the school year."""
    return Exists(memberships(user, roles, school=school, school_year=school_year))


def is_bridge_builder_at(user: Ref, *, school: Ref, school_year: Ref) -> Exists:
    return has_role_at(user, [Role.BRIDGE_BUILDER], school=school, school_year=school_year)


def is_school_leader_at(user: Ref, *, school: Ref, school_year: Ref) -> Exists:
    return has_role_at(user, [Role.SCHOOL_LEADER], school=school, school_year=school_year)


def facilitated_schools(
    user: Ref, *, school_year: Ref | None = None
) -> QuerySet[LearningCommunityMembership]:
    """The schools of the learning communities this person facilitates that year
    (in any year when ``school_year`` is None)."""
    # Lookups as a dict: the values may be references to an outer row.
    lookups: dict[str, object] = {"community__process_facilitator": user}
    if school_year is not None:
        lookups["community__school_year"] = school_year
    return LearningCommunityMembership.objects.filter(**lookups)


def facilitates(user: Ref, *, school: Ref, school_year: Ref) -> Exists:
    """Process facilitator of the learning community the school is in that year."""
    return Exists(facilitated_schools(user, school_year=school_year).filter(**{"school": school}))


def team_memberships(user: Ref, *, team: Ref) -> QuerySet[TeamMembership]:
    """The person's place in a research team (coach, research or student teacher,
    bridge-builder)."""
    return TeamMembership.objects.filter(**{"user": user, "team": team})


def is_team_member(user: Ref, *, team: Ref) -> Exists:
    return Exists(team_memberships(user, team=team))


def is_bridge_builder_of_team(user: Ref, *, team: Ref, school: Ref, school_year: Ref) -> Q:
    """Bridge-builder of the team's school in the team's year, or named as the
    team's bridge-builder: who logs with the team and reviews its studies."""
    return Q(is_bridge_builder_at(user, school=school, school_year=school_year)) | Q(
        Exists(team_memberships(user, team=team).filter(role=TeamRole.BRIDGE_BUILDER))
    )
