"""Who may oversee what. One place, enforced on the server.

- Oversight page (/oversight/, teams): bridge-builders their schools, process
  facilitators their learning communities' schools, school leaders their own
  school, network admins all; anyone else 404.
- Network view: process facilitators (their communities' schools) and network
  admins (all); anyone else 404.
- Agreements: readable by the school's staff (anyone with a role at the school that
  year, bridge-builders included), the school's process facilitator and network
  admins; others 404. Entered and changed by network admins and the school leader
  (others who can read get 403). The school leader agrees for the school, a
  network admin for the institution.
"""

from dataclasses import dataclass

import rules
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import AnyUser, User
from partnership.models import LearningCommunityMembership, SchoolYear
from schools.models import Role, RoleMembership, School

from .models import PartnershipAgreement


@dataclass(frozen=True)
class OversightScope:
    """The schools a person oversees in a school year, and in which capacity."""

    is_network_admin: bool = False
    bridge_builder_school_ids: frozenset[int] = frozenset()
    facilitated_school_ids: frozenset[int] = frozenset()
    led_school_ids: frozenset[int] = frozenset()

    @property
    def school_ids(self) -> frozenset[int] | None:
        """None means every school (network admins)."""
        if self.is_network_admin:
            return None
        return self.bridge_builder_school_ids | self.facilitated_school_ids | self.led_school_ids

    @property
    def can_oversee(self) -> bool:
        return self.is_network_admin or bool(self.school_ids)

    @property
    def network_school_ids(self) -> frozenset[int] | None:
        """Schools of the network view: all for admins, the facilitated ones for
        process facilitators."""
        if self.is_network_admin:
            return None
        return self.facilitated_school_ids

    @property
    def can_view_network(self) -> bool:
        return self.is_network_admin or bool(self.facilitated_school_ids)

    def schools(self) -> QuerySet[School]:
        qs = School.objects.all()
        ids = self.school_ids
        return qs if ids is None else qs.filter(pk__in=ids)


NO_SCOPE = OversightScope()


def oversight_scope(user: AnyUser, school_year: SchoolYear | None) -> OversightScope:
    """Two queries at most, whatever the number of schools."""
    if not user.is_authenticated or not user.is_active or school_year is None:
        return NO_SCOPE
    if user.is_superuser:
        return OversightScope(is_network_admin=True)
    roles = RoleMembership.objects.filter(
        user=user,
        school_year=school_year,
        role__in=[Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER],
        school__isnull=False,
    ).values_list("role", "school_id")
    bridge_builder: set[int] = set()
    led: set[int] = set()
    for role, school_id in roles:
        (bridge_builder if role == Role.BRIDGE_BUILDER else led).add(school_id)
    facilitated = LearningCommunityMembership.objects.filter(
        community__process_facilitator=user, community__school_year=school_year
    ).values_list("school_id", flat=True)
    return OversightScope(
        bridge_builder_school_ids=frozenset(bridge_builder),
        facilitated_school_ids=frozenset(facilitated),
        led_school_ids=frozenset(led),
    )


def oversees_in_some_year(user: AnyUser) -> bool:
    """Whether the person oversees schools in any school year: a year without
    assignments is then an empty page to them (with the year selector), not a 404."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or RoleMembership.objects.filter(
            user=user, role__in=[Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER], school__isnull=False
        ).exists()
        or LearningCommunityMembership.objects.filter(community__process_facilitator=user).exists()
    )


OVERSIGHT_LINK_SESSION_KEY = "oversight_link"


def shows_oversight(user: AnyUser) -> bool:
    """Whether the navigation offers the oversight pages: to bridge-builders, process
    facilitators and school leaders of the current school year, and network admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return RoleMembership.objects.filter(
        user=user,
        school_year__is_current=True,
        role__in=[Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR, Role.SCHOOL_LEADER],
    ).exists()


def remember_oversight_link(
    sender: object, request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    """On login: remember in the session whether the nav shows the oversight link.
    A role granted during a session shows the link from the next login on (the
    pages themselves check access on every request)."""
    if request is not None and hasattr(request, "session"):
        request.session[OVERSIGHT_LINK_SESSION_KEY] = shows_oversight(user)


def _is_school_leader(user: User, agreement: PartnershipAgreement) -> bool:
    return RoleMembership.objects.filter(
        user=user,
        role=Role.SCHOOL_LEADER,
        school_id=agreement.school_id,
        school_year_id=agreement.school_year_id,
    ).exists()


@rules.predicate
def is_network_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_agreement_school_leader(user: AnyUser, agreement: PartnershipAgreement | None) -> bool:
    return bool(user.is_authenticated and agreement and _is_school_leader(user, agreement))


@rules.predicate
def is_leader_of_school(user: AnyUser, school_and_year: tuple[School, SchoolYear] | None) -> bool:
    """For creating an agreement: (school, school_year)."""
    if not user.is_authenticated or not school_and_year:
        return False
    school, school_year = school_and_year
    return RoleMembership.objects.filter(
        user=user, role=Role.SCHOOL_LEADER, school=school, school_year=school_year
    ).exists()


# Admins and the school leader enter the agreement; each side agrees for itself:
# the school leader for the school, a network admin for the institution.
rules.add_perm("oversight.create_agreement", is_network_admin | is_leader_of_school)
rules.add_perm("oversight.change_agreement", is_network_admin | is_agreement_school_leader)
rules.add_perm("oversight.agree_for_school", is_agreement_school_leader)
rules.add_perm("oversight.agree_for_institution", is_network_admin)
