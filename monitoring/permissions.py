"""Who sees which monitoring results, and who opens rounds. One place, enforced on
the server, built from ``access.roles`` (roles held in the current school year).

| persona                                        | school | community | network | open a round |
|------------------------------------------------|--------|-----------|---------|--------------|
| school leader of the school                    | yes    | its own   | –       | yes          |
| coach of the school                            | yes    | –         | –       | 403          |
| bridge-builder of the school                   | yes    | –         | yes     | yes          |
| process facilitator                            | –      | its own   | yes     | –            |
| placement coordinator (institution staff)      | –      | –         | yes     | –            |
| network admin                                  | all    | all       | all     | yes          |
| teachers, student teachers, others, anonymous  | 404    | 404       | 404     | 404          |

Answering needs no account: the mailed link is the permission (``Invitation``).
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import (
    AnyUser,
    is_network_admin,
    is_signed_in,
    memberships,
)
from partnership.models import LearningCommunity, Partnership, SchoolYear
from schools.models import Role, School

#: Who sees the results of their own school.
SCHOOL_RESULT_ROLES = (Role.SCHOOL_LEADER, Role.COACH, Role.BRIDGE_BUILDER)
#: Who opens rounds at their school.
ROUND_OPENER_ROLES = (Role.SCHOOL_LEADER, Role.BRIDGE_BUILDER)
#: Institution staff, who see the network's results.
INSTITUTION_STAFF_ROLES = (
    Role.BRIDGE_BUILDER,
    Role.PROCESS_FACILITATOR,
    Role.PLACEMENT_COORDINATOR,
)


def _current_year() -> SchoolYear | None:
    return SchoolYear.objects.current()


def result_schools(user: AnyUser) -> QuerySet[School]:
    """The schools whose results this person may see."""
    if is_network_admin(user):
        return School.objects.all()
    if not is_signed_in(user):
        return School.objects.none()
    return schools_with_results_for(user=user.pk)


def schools_with_results_for(*, user: int) -> QuerySet[School]:
    """``result_schools`` of a signed-in person who is no network admin, from their
    id alone (so it can be compiled once per process: ``config.kept_query``)."""
    held = memberships(user, SCHOOL_RESULT_ROLES, school=OuterRef("pk"))
    return School.objects.filter(Exists(held.filter(school_year__is_current=True)))


def result_communities(user: AnyUser) -> QuerySet[LearningCommunity]:
    """Learning communities whose results this person may see: the one they
    facilitate, the ones their school (as its leader that year) belongs to."""
    if is_network_admin(user):
        return LearningCommunity.objects.select_related("school_year", "partnership")
    if not is_signed_in(user):
        return LearningCommunity.objects.none()
    return communities_with_results_for(user=user.pk)


def communities_with_results_for(*, user: int) -> QuerySet[LearningCommunity]:
    """``result_communities`` of a signed-in person who is no network admin."""
    leads_a_school = Exists(
        memberships(user, [Role.SCHOOL_LEADER]).filter(
            school__learning_community_memberships__community=OuterRef("pk"),
            school_year=OuterRef("school_year"),
        )
    )
    return LearningCommunity.objects.select_related("school_year", "partnership").filter(
        Q(process_facilitator=user) | Q(leads_a_school)
    )


def result_partnerships(user: AnyUser) -> QuerySet[Partnership]:
    """Partnerships whose network results this person may see: admins, and the
    institution's staff in the current school year."""
    if is_network_admin(user):
        return Partnership.objects.all()
    if not is_signed_in(user):
        return Partnership.objects.none()
    return partnerships_with_results_for(user=user.pk)


def partnerships_with_results_for(*, user: int) -> QuerySet[Partnership]:
    """``result_partnerships`` of a signed-in person who is no network admin."""
    staff = memberships(user, INSTITUTION_STAFF_ROLES).filter(
        school_year__is_current=True, institution=OuterRef("institution")
    )
    return Partnership.objects.filter(Exists(staff))


class SchoolResults:
    """``object_for`` scope: a school, as far as its results are concerned."""

    def visible_to(self, user: AnyUser) -> QuerySet[School]:
        return result_schools(user)


class CommunityResults:
    def visible_to(self, user: AnyUser) -> QuerySet[LearningCommunity]:
        return result_communities(user)


class NetworkResults:
    def visible_to(self, user: AnyUser) -> QuerySet[Partnership]:
        return result_partnerships(user)


@rules.predicate
def can_open_round(user: AnyUser, school: School) -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user) or school is None:
        return False
    year = _current_year()
    if year is None:
        return False
    return memberships(user, ROUND_OPENER_ROLES, school=school, school_year=year).exists()


rules.add_perm("monitoring.open_round", can_open_round)
