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

from access import roles
from access.roles import (
    OVERSEER_ROLES,
    AnyUser,
    Ref,
    facilitated_schools,
    is_signed_in,
    memberships,
)
from access.scope import scope_of
from accounts.models import User
from partnership.models import SchoolYear
from schools.models import Role, School

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
    """From the person's scope (``access.scope.scope_of``: one query, memoised on the
    user object and shared with the rest of the page), whatever the number of
    schools."""
    if not is_signed_in(user) or school_year is None:
        return NO_SCOPE
    if roles.is_network_admin(user):
        return OversightScope(is_network_admin=True)
    scope = scope_of(user)
    held = scope.held([Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER], school_year=school_year.pk)
    return OversightScope(
        bridge_builder_school_ids=frozenset(
            h.school_id for h in held if h.role == Role.BRIDGE_BUILDER and h.school_id is not None
        ),
        facilitated_school_ids=frozenset(scope.facilitated_by_year().get(school_year.pk, ())),
        led_school_ids=frozenset(
            h.school_id for h in held if h.role == Role.SCHOOL_LEADER and h.school_id is not None
        ),
    )


def agreement_schools(user: AnyUser, school_year: SchoolYear) -> frozenset[int] | None:
    """The schools whose agreement of the school year this person may read, from
    their scope (no query): the schools where they hold any role that year and those
    of the learning communities they facilitate that year, as
    ``PartnershipAgreement.objects.visible_to`` says it. None: every school (a
    network admin); empty for anyone else."""
    if not is_signed_in(user):
        return frozenset()
    if roles.is_network_admin(user):
        return None
    scope = scope_of(user)
    return frozenset(scope.schools_by_year().get(school_year.pk, ())) | frozenset(
        scope.facilitated_by_year().get(school_year.pk, ())
    )


def creatable_agreement_schools(user: AnyUser, school_year: SchoolYear) -> frozenset[int] | None:
    """The schools this person may start an agreement for that school year
    (``oversight.create_agreement``), from their scope: the schools they lead that
    year. None: every active school (a network admin)."""
    if not is_signed_in(user):
        return frozenset()
    if roles.is_network_admin(user):
        return None
    return frozenset(scope_of(user).schools_by_year([Role.SCHOOL_LEADER]).get(school_year.pk, ()))


def oversees_in_some_year(user: AnyUser) -> bool:
    """Whether the person oversees schools in any school year: a year without
    assignments is then an empty page to them (with the year selector), not a 404."""
    if not is_signed_in(user):
        return False
    return (
        roles.is_network_admin(user)
        or memberships(user, [Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER])
        .exclude(school=None)
        .exists()
        or facilitated_schools(user).exists()
    )


OVERSIGHT_LINK_SESSION_KEY = "oversight_link"


def shows_oversight(user: AnyUser) -> bool:
    """Whether the navigation offers the oversight pages: to bridge-builders, process
    facilitators and school leaders of the current school year, and network admins."""
    if not is_signed_in(user):
        return False
    if roles.is_network_admin(user):
        return True
    return bool(scope_of(user).held_now(OVERSEER_ROLES))


def remember_oversight_link(
    sender: object, request: HttpRequest | None, user: User, **kwargs: object
) -> None:
    """On login: remember in the session whether the nav shows the oversight link.
    A role granted during a session shows the link from the next login on (the
    pages themselves check access on every request)."""
    if request is not None and hasattr(request, "session"):
        request.session[OVERSIGHT_LINK_SESSION_KEY] = shows_oversight(user)


def _leads(user: AnyUser, school: Ref, school_year: Ref) -> bool:
    if not is_signed_in(user):
        return False
    return memberships(user, [Role.SCHOOL_LEADER], school=school, school_year=school_year).exists()


is_network_admin = rules.predicate(roles.is_network_admin)


@rules.predicate
def is_agreement_school_leader(user: AnyUser, agreement: PartnershipAgreement | None) -> bool:
    if agreement is None:
        return False
    return _leads(user, agreement.school_id, agreement.school_year_id)


@rules.predicate
def is_leader_of_school(user: AnyUser, school_and_year: tuple[School, SchoolYear] | None) -> bool:
    """For creating an agreement: (school, school_year)."""
    if not school_and_year:
        return False
    school, school_year = school_and_year
    return _leads(user, school, school_year)


# Admins and the school leader enter the agreement; each side agrees for itself:
# the school leader for the school, a network admin for the institution.
rules.add_perm("oversight.create_agreement", is_network_admin | is_leader_of_school)
rules.add_perm("oversight.change_agreement", is_network_admin | is_agreement_school_leader)
rules.add_perm("oversight.agree_for_school", is_agreement_school_leader)
rules.add_perm("oversight.agree_for_institution", is_network_admin)
