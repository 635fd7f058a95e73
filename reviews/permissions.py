"""Who reads and writes the yearly review. One place, enforced on the server.

Roles count when held in the year under review **or** in the current year: the
staff who plan next year read last year's review, whoever held the role then.

| persona                             | review, PDF, CSV | self-assessment | all needs | needs |
|-------------------------------------|------------------|-----------------|-----------|-------|
| network admin                       | all, per school  | score           | read      | fill  |
| bridge-builder, process facilitator | all, per school  | score           | read      | 403   |
| placement coordinator               | all, per school  | 403             | read      | 403   |
| school leader of a partner school   | network figures  | 403             | 403       | own   |
| coach of a partner school           | 404              | 404             | 403       | own   |
| anyone else                         | 404              | 404             | 404       | 404   |

(Bridge-builders, process facilitators and placement coordinators: of the
partnership's institution.)

School leaders read the network-level figures only: the tables with a row per
school (people, cycles, agreements of the other schools) are left out for them.
The contributed sections are network-level by their contract and are shown to
every reader of the review.
"""

from dataclasses import dataclass, field
from enum import StrEnum

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access import roles
from access.roles import AnyUser, is_signed_in
from partnership.models import Partnership, SchoolYear
from schools.models import Role, RoleMembership, School

#: Institution roles that read the whole review (and every school's needs).
STAFF_ROLES = (Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR, Role.PLACEMENT_COORDINATOR)
#: The partnership's coordinators, who score the self-assessment.
COORDINATOR_ROLES = (Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR)
#: School roles that say what their school needs next year.
NEEDS_ROLES = (Role.SCHOOL_LEADER, Role.COACH)


class Audience(StrEnum):
    """How much of the review a reader sees."""

    FULL = "full"  # every table, per school too
    NETWORK = "network"  # network-level figures only


def _in_years(school_year: SchoolYear | int | OuterRef) -> Q:
    return Q(school_year=school_year) | Q(school_year__is_current=True)


def _roles_in_partnership(
    user: AnyUser, partnership: Partnership, school_year: SchoolYear
) -> QuerySet[RoleMembership]:
    """The person's roles for the partnership's institution or at its schools, in the
    year under review or the current one."""
    return roles.memberships(user).filter(
        _in_years(school_year),
        Q(institution=partnership.institution_id, school=None)
        | Q(institution=partnership.institution_id, role__in=STAFF_ROLES)
        | Q(school__partnership=partnership),
    )


@dataclass(frozen=True)
class ReviewOf:
    """The object of the review's permissions: one partnership, one school year.
    Remembers each person's roles, so several checks on one page cost one query."""

    partnership: Partnership
    school_year: SchoolYear
    _held: dict[int, frozenset[tuple[str, int | None]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def held(self, user: AnyUser) -> frozenset[tuple[str, int | None]]:
        """(role, school id) pairs; the school id is None for institution roles."""
        if not is_signed_in(user):
            return frozenset()
        if user.pk not in self._held:
            rows = _roles_in_partnership(user, self.partnership, self.school_year)
            self._held[user.pk] = frozenset(
                (str(role), None if str(role) in STAFF_ROLES else school_id)
                for role, school_id in rows.values_list("role", "school_id")
            )
        return self._held[user.pk]

    def holds(self, user: AnyUser, wanted: tuple[str, ...]) -> bool:
        return any(role in wanted for role, _school in self.held(user))

    def audience(self, user: AnyUser) -> Audience | None:
        if roles.is_network_admin(user) or self.holds(user, STAFF_ROLES):
            return Audience.FULL
        if self.holds(user, (Role.SCHOOL_LEADER,)):
            return Audience.NETWORK
        return None

    def may_fill_needs(self, user: AnyUser, school: School) -> bool:
        if roles.is_network_admin(user):
            return school.partnership_id == self.partnership.pk
        return any(role in NEEDS_ROLES and sid == school.pk for role, sid in self.held(user))

    def needs_schools(self, user: AnyUser) -> list[int] | None:
        """The schools whose needs page this person may open (None: every school)."""
        if self.audience(user) == Audience.FULL:
            return None
        return sorted({sid for role, sid in self.held(user) if role in NEEDS_ROLES and sid})


class ReviewablePartnerships:
    """The partnerships whose review of a school year a person may read: the
    ``visible_to`` of the enforcement path (``access.shortcuts.object_for``)."""

    def __init__(self, school_year: SchoolYear) -> None:
        self.school_year = school_year

    def visible_to(self, user: AnyUser) -> QuerySet[Partnership]:
        partnerships = Partnership.objects.select_related("institution")
        if not is_signed_in(user):
            return partnerships.none()
        if roles.is_network_admin(user):
            return partnerships
        years = _in_years(self.school_year)
        staff = roles.memberships(user, STAFF_ROLES).filter(
            years, institution=OuterRef("institution")
        )
        leads = roles.memberships(user, [Role.SCHOOL_LEADER]).filter(
            years, school__partnership=OuterRef("pk")
        )
        return partnerships.filter(Exists(staff) | Exists(leads))


class NeedsPartnerships(ReviewablePartnerships):
    """Partnerships of which a person may open some needs page: review readers, and
    the school leaders and coaches of its schools."""

    def visible_to(self, user: AnyUser) -> QuerySet[Partnership]:
        if not is_signed_in(user) or roles.is_network_admin(user):
            return super().visible_to(user)
        schools = roles.memberships(user, NEEDS_ROLES).filter(
            _in_years(self.school_year), school__partnership=OuterRef("pk")
        )
        readers = super().visible_to(user).values("pk")
        return Partnership.objects.select_related("institution").filter(
            Q(pk__in=readers) | Q(Exists(schools))
        )


@rules.predicate
def reads_review(user: AnyUser, review: ReviewOf | None) -> bool:
    return review is not None and review.audience(user) is not None


@rules.predicate
def reads_whole_review(user: AnyUser, review: ReviewOf | None) -> bool:
    return review is not None and review.audience(user) == Audience.FULL


@rules.predicate
def coordinates(user: AnyUser, review: ReviewOf | None) -> bool:
    """Admins, and the bridge-builders and process facilitators of the institution."""
    if review is None:
        return False
    return roles.is_network_admin(user) or review.holds(user, COORDINATOR_ROLES)


@rules.predicate
def fills_needs(user: AnyUser, target: tuple[ReviewOf, School] | None) -> bool:
    if target is None:
        return False
    review, school = target
    return review.may_fill_needs(user, school)


rules.add_perm("reviews.view_review", reads_review)
rules.add_perm("reviews.view_details", reads_whole_review)
rules.add_perm("reviews.score_self_assessment", coordinates)
rules.add_perm("reviews.view_all_needs", reads_whole_review)
rules.add_perm("reviews.fill_needs", fills_needs)
