"""Who is who around a placement, built from ``access.roles`` (one rule each)."""

from django.db.models import OuterRef, QuerySet

from access.roles import has_role_at
from accounts.models import User
from partnership.models import SchoolYear
from schools.models import TEACHING_ROLES, Role, School

#: Who answers for a school: states its capacity and gets the reminders.
SCHOOL_CONTACT_ROLES = (Role.SCHOOL_LEADER, Role.COACH, Role.BRIDGE_BUILDER)


def people_with(
    roles: tuple[str, ...], *, school: School, school_year: SchoolYear
) -> QuerySet[User]:
    """Active people holding one of ``roles`` at the school that year."""
    return User.objects.filter(
        has_role_at(OuterRef("pk"), roles, school=school, school_year=school_year),
        is_active=True,
    ).order_by("full_name", "pk")


def teachers_of(school: School, school_year: SchoolYear) -> QuerySet[User]:
    """The school's teachers that year: who can be a mentor teacher."""
    return people_with(TEACHING_ROLES, school=school, school_year=school_year)


def school_contacts(school: School, school_year: SchoolYear) -> QuerySet[User]:
    return people_with(SCHOOL_CONTACT_ROLES, school=school, school_year=school_year)


def bridge_builders_of(school: School, school_year: SchoolYear) -> QuerySet[User]:
    return people_with((Role.BRIDGE_BUILDER,), school=school, school_year=school_year)


def coaches_of(school: School, school_year: SchoolYear) -> QuerySet[User]:
    return people_with((Role.COACH,), school=school, school_year=school_year)
