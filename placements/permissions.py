"""Who may see and do what in placements. One place, enforced on the server; built
from the role blocks in ``access.roles``.

| persona (in the school year concerned)   | sees                        | does                   |
|------------------------------------------|-----------------------------|------------------------|
| leader, coach, bridge-builder of a school | its capacity, its placements | states its capacity  |
| placement coordinator of the institution | its periods and placements  | allocates, confirms    |
| student teacher of the institution       | its periods, own placements | states preferences     |
| mentor teacher, supervising bridge-builder | that placement            | –                      |
| network admin                            | everything                  | allocates, capacity    |
| anyone else                              | 404                                                  |
"""

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from access.roles import AnyUser, has_role_at, is_network_admin, is_signed_in
from accounts.models import User
from schools.models import TEACHING_ROLES, Role, RoleMembership, School

from .roles import SCHOOL_CONTACT_ROLES

#: Roles whose holders use the placement pages (the navigation link).
PLACEMENT_ROLES = (
    Role.STUDENT_TEACHER,
    Role.PLACEMENT_COORDINATOR,
    Role.BRIDGE_BUILDER,
    *TEACHING_ROLES,
)
NAVIGATION_SESSION_KEY = "placements_link"


def _at_institution(
    user: Any, roles: tuple[str, ...] | None, *, institution: Any, school_year: Any
) -> Exists:
    """Holds one of ``roles`` (any when None) for the institution that year."""
    found = RoleMembership.objects.filter(
        user=user, institution=institution, school_year=school_year
    )
    if roles is not None:
        found = found.filter(role__in=roles)
    return Exists(found)


def coordinates(user: AnyUser | int, *, institution: Any, school_year: Any) -> Exists:
    """Placement coordinator of the institution that year."""
    return _at_institution(
        user, (Role.PLACEMENT_COORDINATOR,), institution=institution, school_year=school_year
    )


def visible_periods(queryset: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    """Periods of the institutions the person has a role at that year."""
    if not is_signed_in(user):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    return queryset.filter(
        _at_institution(
            user, None, institution=OuterRef("institution"), school_year=OuterRef("school_year")
        )
    )


def visible_placements(queryset: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    """The student, the mentor teacher, the supervising bridge-builder, the
    coordinator of the institution, the school's leader, coaches and
    bridge-builders that year, and network admins."""
    if not is_signed_in(user):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    return placements_seen_by(queryset, user.pk)


def placements_seen_by(queryset: QuerySet[Any], user: int) -> QuerySet[Any]:
    """``visible_placements`` for a signed-in person who is no network admin, by
    their id: a pure function of it (``config.kept_query`` keeps its SQL)."""
    return queryset.filter(
        Q(student=user)
        | Q(mentor=user)
        | Q(bridge_builder=user)
        | Q(
            coordinates(
                user, institution=OuterRef("institution"), school_year=OuterRef("school_year")
            )
        )
        | Q(
            has_role_at(
                user,
                SCHOOL_CONTACT_ROLES,
                school=OuterRef("school"),
                school_year=OuterRef("school_year"),
            )
        )
    )


def visible_requests(queryset: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    """A student's own requests, and the coordinator's of the period's institution."""
    if not is_signed_in(user):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    return queryset.filter(
        Q(student=user)
        | Q(
            coordinates(
                user,
                institution=OuterRef("period__institution"),
                school_year=OuterRef("period__school_year"),
            )
        )
    )


class CapacitySchools:
    """The schools whose capacity page a person may open in a school year: the
    school's contacts and the institution's coordinator (who may only look)."""

    def __init__(self, school_year: Any) -> None:
        self.school_year = school_year

    def visible_to(self, user: AnyUser) -> QuerySet[School]:
        schools = School.objects.select_related("partnership__institution")
        if not is_signed_in(user) or self.school_year is None:
            return schools.none()
        if is_network_admin(user):
            return schools
        return schools.filter(
            Q(
                has_role_at(
                    user, SCHOOL_CONTACT_ROLES, school=OuterRef("pk"), school_year=self.school_year
                )
            )
            | Q(
                coordinates(
                    user,
                    institution=OuterRef("partnership__institution"),
                    school_year=self.school_year,
                )
            )
        )


@rules.predicate
def can_state_capacity(user: AnyUser, school: School) -> bool:
    """A contact of the school (leader, coach, bridge-builder) this year, or an admin."""
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return RoleMembership.objects.filter(
        user=user, role__in=SCHOOL_CONTACT_ROLES, school=school, school_year__is_current=True
    ).exists()


@rules.predicate
def can_allocate(user: AnyUser, period: Any) -> bool:
    """The institution's coordinator in the period's year, or an admin."""
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return RoleMembership.objects.filter(
        user=user,
        role=Role.PLACEMENT_COORDINATOR,
        institution_id=period.institution_id,
        school_year_id=period.school_year_id,
    ).exists()


@rules.predicate
def can_manage_placement(user: AnyUser, placement: Any) -> bool:
    """Who allocates the placement's period manages the placement."""
    return bool(can_allocate(user, placement.period))


@rules.predicate
def can_state_preferences(user: AnyUser, period: Any) -> bool:
    """A student teacher of the period's institution that year."""
    if not is_signed_in(user):
        return False
    return RoleMembership.objects.filter(
        user=user,
        role=Role.STUDENT_TEACHER,
        institution_id=period.institution_id,
        school_year_id=period.school_year_id,
    ).exists()


def shows_placements(user: AnyUser) -> bool:
    """Whether the navigation links to the placement pages."""
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return RoleMembership.objects.filter(
        user=user, role__in=PLACEMENT_ROLES, school_year__is_current=True
    ).exists()


def remember_placements_link(
    sender: object, request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    """At login, remember in the session whether the navigation links to the
    placements (so pages spend no query on it); as for the oversight link, a role
    granted during a session shows the link from the next login on."""
    if request is not None and hasattr(request, "session"):
        request.session[NAVIGATION_SESSION_KEY] = shows_placements(user)


rules.add_perm("placements.state_capacity", can_state_capacity)
rules.add_perm("placements.allocate", can_allocate)
rules.add_perm("placements.manage_placement", can_manage_placement)
rules.add_perm("placements.state_preferences", can_state_preferences)
