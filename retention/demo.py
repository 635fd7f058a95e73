"""Demo retention data for ``seed_demo``: five past cohorts of starting teachers
and career changers at a few primary and secondary schools, their roles in the
years after, and the school leaders' confirmations of the past years (this year's
are left for the demo school leader to do). Some cohorts are large enough to show
figures, others are not. Idempotent: people are found again by their address."""

import datetime

from accounts.models import User
from partnership.models import SchoolYear
from schools.models import INDUCTION_ROLES, Role, RoleMembership

from .models import StaffConfirmation, StaffStatus
from .selectors import confirmation_roster
from .services import staff_confirm

#: Starters per cohort (oldest first) at the primary and the secondary schools.
COHORT_SIZES = {"primary": [8, 7, 3, 9, 6], "secondary": [6, 2, 7, 5, 4]}
FIRST_NAMES = ["Amira", "Bram", "Chloë", "Dries", "Elif", "Fien", "Gilles", "Hajar", "Jonas"]
LAST_NAMES = ["Aerts", "Bouali", "Claeys", "Dewitte", "El Idrissi", "Mertens", "Nys", "Wouters"]

#: What becomes of a starter, by their number: the roles they hold, and what the
#: school leader says when asked (see ``_path``).
STAYS, LEAVES_LATER, MOVES_AWAY, MOVES_IN_NETWORK, LEAVES_EARLY, NOBODY_KNOWS = range(6)


def _year(start: int) -> SchoolYear:
    year, _created = SchoolYear.objects.get_or_create(
        name=f"{start}-{start + 1}",
        defaults={
            "starts_on": datetime.date(start, 9, 1),
            "ends_on": datetime.date(start + 1, 6, 30),
        },
    )
    return year


def _person(email: str, number: int) -> User:
    """The ``number``-th demo starter, with a name no other one has (9 × 8 names)."""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": f"{first} {last}"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _roles(path: int, cohort: int, current: int, induction: str) -> list[tuple[int, str, bool]]:
    """(start year, role, at the other school) the starter holds."""
    if path == STAYS:
        return [(cohort, induction, False), (cohort + 1, induction, False)] + [
            (y, Role.TEACHER, False) for y in range(cohort + 2, current + 1)
        ]
    if path == LEAVES_LATER:
        return [(cohort, induction, False), (cohort + 1, induction, False)]
    if path == MOVES_IN_NETWORK:
        return [(cohort, induction, False), (cohort + 1, induction, False)] + [
            (y, Role.TEACHER, True) for y in range(cohort + 2, current + 1)
        ]
    return [(cohort, induction, False)]


def _status(path: int, *, at_school: bool) -> str:
    """What the school leader says of a starter on the school's list."""
    if at_school:
        return StaffStatus.STILL_HERE
    return {
        LEAVES_LATER: StaffStatus.LEFT,
        MOVES_AWAY: StaffStatus.MOVED,
        MOVES_IN_NETWORK: StaffStatus.MOVED,
        LEAVES_EARLY: StaffStatus.LEFT,
    }.get(path, StaffStatus.UNKNOWN)


def seed(network) -> None:
    current = network.school_year.starts_on.year
    years = {start: _year(start) for start in range(current - 5, current + 1)}
    schools = {
        "primary": [s for s in network.schools if s.level == "primary"][:3],
        "secondary": [s for s in network.schools if s.level == "secondary"][:3],
    }
    paths: dict[int, int] = {}
    number = 0
    for level, sizes in COHORT_SIZES.items():
        for offset, size in enumerate(sizes):
            cohort = current - 5 + offset
            for index in range(size):
                school = schools[level][index % 3]
                other = schools[level][(index + 1) % 3]
                person = _person(f"starter-{level}-{cohort}-{index}@demo.test", number)
                number += 1
                path = (index + offset) % 6
                paths[person.pk] = path
                # Every fourth came from another career.
                induction = Role.CAREER_CHANGER if index % 4 == 3 else Role.STARTING_TEACHER
                for start, role, elsewhere in _roles(path, cohort, current, induction):
                    RoleMembership.objects.get_or_create(
                        user=person,
                        role=role,
                        school=other if elsewhere else school,
                        school_year=years[start],
                        defaults={
                            "started_teaching_in": years[cohort]
                            if role in INDUCTION_ROLES
                            else None
                        },
                    )
    # The school leaders' confirmations of the past years; this year's are to do.
    for level_schools in schools.values():
        for school in level_schools:
            for start in range(current - 5, current):
                year = years[start]
                if StaffConfirmation.objects.filter(school=school, school_year=year).exists():
                    continue
                roster = confirmation_roster(school=school, school_year=year)
                if not roster:
                    continue
                teaching_here = set(
                    RoleMembership.objects.filter(
                        school=school, school_year=year, user__in=[r.person for r in roster]
                    ).values_list("user_id", flat=True)
                )
                statuses = {
                    row.person.pk: _status(
                        paths.get(row.person.pk, STAYS),
                        at_school=row.person.pk in teaching_here,
                    )
                    for row in roster
                }
                staff_confirm(
                    school=school, school_year=year, user=network.people["admin"], statuses=statuses
                )
