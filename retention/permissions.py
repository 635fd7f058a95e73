"""Who sees which retention figures, and who confirms. One place, enforced on the
server (``access.shortcuts``).

- Network figures (``/monitoring/retention/``, its CSV): network admins (every
  partnership) and, in the current school year, bridge-builders, process
  facilitators and placement coordinators (their institution's partnerships).
- A school's figures (``schools/<pk>/``, its CSV): the school's leader this year
  and network admins.
- The staff confirmation (``schools/<pk>/confirm/``): the school's leader this
  year; network admins get 403 (the school confirms for itself, as it agrees for
  itself in ``oversight``).
- Anyone else: 404.

Institution staff see the network, never a single school: the per-school
figures, with their small groups, stay with the school (and the admins).
"""

import rules
from django.db.models import QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import scope_of
from partnership.models import Partnership
from schools.models import Role, School

#: Institution roles that read the network's retention figures.
NETWORK_READERS = (Role.BRIDGE_BUILDER, Role.PROCESS_FACILITATOR, Role.PLACEMENT_COORDINATOR)


def visible_partnerships(user: AnyUser) -> QuerySet[Partnership]:
    """The partnerships whose network figures this person reads."""
    if is_network_admin(user):
        return Partnership.objects.all()
    if not is_signed_in(user):
        return Partnership.objects.none()
    # this year's roles come from the person's scope: no subquery, and no query at
    # all for someone without an institution role
    institutions = scope_of(user).institution_ids_now(NETWORK_READERS)
    if not institutions:
        return Partnership.objects.none()
    return Partnership.objects.filter(institution__in=institutions)


def led_schools(user: AnyUser) -> QuerySet[School]:
    """The schools this person leads in the current school year (from the scope)."""
    if not is_signed_in(user):
        return School.objects.none()
    led = scope_of(user).school_ids_now([Role.SCHOOL_LEADER])
    if not led:
        return School.objects.none()
    return School.objects.filter(pk__in=led)


class RetentionSchools:
    """The schools whose figures a person reads (``access.shortcuts.object_for``)."""

    def visible_to(self, user: AnyUser) -> QuerySet[School]:
        if is_network_admin(user):
            return School.objects.select_related("partnership")
        return led_schools(user).select_related("partnership")


@rules.predicate
def leads_school(user: AnyUser, school: School | None) -> bool:
    if school is None:
        return False
    return led_schools(user).filter(pk=school.pk).exists()


rules.add_perm("retention.confirm_staff", leads_school)
