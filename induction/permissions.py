"""Who may see and do what in the induction of starters. One place, enforced on the
server, built from the role blocks of ``access.roles``.

| persona                                 | assign mentor | plan + notes | record, cadence | counts|
|-----------------------------------------|---------------|--------------|-----------------|-------|
| the starter                             | 403           | see          | 403             | 404   |
| their current mentor                    | 403           | see          | yes             | 404   |
| school leader, bridge-builder that year| yes           | 404          | 404             | yes   |
| network admin                           | yes           | 404          | 404             | yes   |
| anyone else (a former mentor, coach)   | 404           | 404          | 404             | 404   |

Decisions: the notes of check-ins are the starter's and the mentor's alone, so the
plan is not shown to the school leader, the bridge-builder or the network admin (the
Django admin leaves the notes out too); they see counts per school. The coach leads
the research team, not the induction, so the school leader, the bridge-builder and
the network admin assign mentors. A former mentor no longer sees the plan.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import (
    AnyUser,
    is_bridge_builder_at,
    is_network_admin,
    is_school_leader_at,
    is_signed_in,
    memberships,
)
from accounts.models import User
from schools.models import INDUCTION_ROLES, Role, RoleMembership, School

from .models import CheckIn, InductionPlan, MentorAssignment

#: Who oversees the induction at a school (besides the network admin).
INDUCTION_OVERSEER_ROLES = (Role.SCHOOL_LEADER, Role.BRIDGE_BUILDER)


def current_mentorships(user: User) -> QuerySet[MentorAssignment]:
    """The open mentor assignments of this person."""
    return MentorAssignment.objects.filter(mentor=user, assigned_until__isnull=True)


def starters_visible_to[Q_: QuerySet[RoleMembership]](queryset: Q_, user: AnyUser) -> Q_:
    """A starter is seen by themselves, their current mentor, the school leader and
    bridge-builder of their school in that year, and the network admin."""
    if not is_signed_in(user):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    school, year = OuterRef("school"), OuterRef("school_year")
    return queryset.filter(
        Q(user=user)
        | Q(Exists(current_mentorships(user).filter(plan__membership=OuterRef("pk"))))
        | Q(is_school_leader_at(user, school=school, school_year=year))
        | Q(is_bridge_builder_at(user, school=school, school_year=year))
    )


def plans_visible_to[Q_: QuerySet[InductionPlan]](queryset: Q_, user: AnyUser) -> Q_:
    """A plan (with its notes) is seen by the starter and their current mentor only."""
    if not is_signed_in(user):
        return queryset.none()
    return queryset.filter(
        Q(membership__user=user) | Q(Exists(current_mentorships(user).filter(plan=OuterRef("pk"))))
    )


class Starters:
    """Starting teachers' and career changers' role memberships, scoped like
    ``Model.objects.visible_to`` for ``access.shortcuts.object_for``."""

    def visible_to(self, user: AnyUser) -> QuerySet[RoleMembership]:
        starters = RoleMembership.objects.filter(role__in=[r.value for r in INDUCTION_ROLES])
        return starters_visible_to(starters.select_related("user", "school", "school_year"), user)


class OverseenSchools:
    """The schools whose induction counts a person sees: where they are school leader
    or bridge-builder in the current school year (every school for the admin)."""

    def visible_to(self, user: AnyUser) -> QuerySet[School]:
        if not is_signed_in(user):
            return School.objects.none()
        if is_network_admin(user):
            return School.objects.all()
        mine = memberships(user, INDUCTION_OVERSEER_ROLES, school=OuterRef("pk"))
        return School.objects.filter(Exists(mine.filter(school_year__is_current=True)))


@rules.predicate
def can_assign_mentor(user: AnyUser, starter: RoleMembership) -> bool:
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return memberships(
        user, INDUCTION_OVERSEER_ROLES, school=starter.school_id, school_year=starter.school_year_id
    ).exists()


@rules.predicate
def is_current_mentor(user: AnyUser, plan: InductionPlan) -> bool:
    if not is_signed_in(user):
        return False
    return current_mentorships(user).filter(plan=plan).exists()


@rules.predicate
def is_current_mentor_of_check_in(user: AnyUser, check_in: CheckIn) -> bool:
    return bool(is_current_mentor(user, check_in.plan))


rules.add_perm("induction.assign_mentor", can_assign_mentor)
rules.add_perm("induction.change_plan", is_current_mentor)
rules.add_perm("induction.record_check_in", is_current_mentor_of_check_in)
