"""Reads of the continuum: one person's path across school years and roles, and per
cohort of student teachers how many went on to teach at a partner school."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from access.roles import is_network_admin
from accounts.models import User
from config.kept_query import kept_list
from partnership.models import SchoolYear
from schools.models import TEACHING_ROLES, Role, RoleMembership

#: Groups smaller than this are shown as "fewer than 5", never as a number.
SMALLEST_SHOWN = 5

#: The order of roles along the continuum, for roles held in the same school year.
PATH_ORDER = [
    Role.STUDENT_TEACHER,
    Role.CAREER_CHANGER,
    Role.STARTING_TEACHER,
    Role.TEACHER,
    Role.RESEARCH_TEACHER,
    Role.COACH,
    Role.SCHOOL_LEADER,
    Role.BRIDGE_BUILDER,
    Role.PLACEMENT_COORDINATOR,
    Role.PROCESS_FACILITATOR,
]


@dataclass
class Step:
    """One role held at one place over consecutive school years."""

    role: str
    role_label: str
    place: str
    first_year: SchoolYear
    last_year: SchoolYear

    @property
    def years(self) -> str:
        if self.first_year == self.last_year:
            return self.first_year.name
        return f"{self.first_year.name} – {self.last_year.name}"


def path_of(person: User) -> list[Step]:
    """The person's roles in the order they held them, a role kept at the same place
    in consecutive school years being one step. Two queries."""
    years = list(SchoolYear.objects.order_by("starts_on"))
    position = {year.pk: index for index, year in enumerate(years)}
    held = sorted(
        RoleMembership.objects.filter(user=person).select_related("school", "institution"),
        key=lambda m: (position[m.school_year_id], PATH_ORDER.index(Role(m.role))),
    )
    steps: list[Step] = []
    open_steps: dict[tuple, tuple[Step, int]] = {}
    for membership in held:
        place = membership.school or membership.institution
        key = (membership.role, membership.school_id or -(membership.institution_id or 0))
        year = years[position[membership.school_year_id]]
        previous = open_steps.get(key)
        if previous and previous[1] == position[year.pk] - 1:
            previous[0].last_year = year
            open_steps[key] = (previous[0], position[year.pk])
            continue
        step = Step(
            role=membership.role,
            role_label=membership.get_role_display(),
            place=str(place or ""),
            first_year=year,
            last_year=year,
        )
        steps.append(step)
        open_steps[key] = (step, position[year.pk])
    return steps


def role_sequence(steps: list[Step]) -> list[str]:
    """The roles along the path, each once, in the order first held: the short story
    (student teacher → starting teacher → coach)."""
    return list(dict.fromkeys(step.role_label for step in steps))


@dataclass
class CohortRow:
    institution: str
    school_year: str
    size: int
    teaching: int

    @property
    def size_shown(self) -> int | None:
        """The cohort's size, or None when it is too small to show."""
        return self.size if self.size >= SMALLEST_SHOWN else None

    @property
    def teaching_shown(self) -> int | None:
        """How many went on to teach, or None in a small cohort or a small group (a
        nought is shown: it names nobody)."""
        if self.size_shown is None or 0 < self.teaching < SMALLEST_SHOWN:
            return None
        return self.teaching

    @property
    def share(self) -> float | None:
        """The share who went on to teach, only where both counts are shown."""
        if self.size_shown is None or self.teaching_shown is None:
            return None
        return self.teaching / self.size


def _cohorts(*, institutions=(), every: bool):
    """The cohorts' rows of ``cohorts``, for these institutions (or every one)."""
    student_teacher = RoleMembership.objects.filter(role=Role.STUDENT_TEACHER)
    later_as_student = student_teacher.filter(
        user=OuterRef("user"),
        institution=OuterRef("institution"),
        school_year__starts_on__gt=OuterRef("school_year__starts_on"),
    )
    taught_later = RoleMembership.objects.filter(
        user=OuterRef("user"),
        role__in=[str(role) for role in TEACHING_ROLES],
        school__partnership__institution=OuterRef("institution"),
        school_year__starts_on__gt=OuterRef("school_year__starts_on"),
    )
    current = SchoolYear.objects.filter(is_current=True).values("starts_on")[:1]
    rows = student_teacher.filter(school_year__starts_on__lt=current)
    if not every:
        rows = rows.filter(institution__in=institutions)
    return (
        rows.filter(~Exists(later_as_student))
        .annotate(went_on=Exists(taught_later))
        .values("institution__name", "school_year__name", "school_year__starts_on")
        .annotate(
            size=Count("user", distinct=True),
            teaching=Count("user", distinct=True, filter=Q(went_on=True)),
        )
        .order_by("institution__name", "-school_year__starts_on")
    )


def cohorts(institution_ids: Iterable[int] | None) -> list[CohortRow]:
    """Per institution and cohort (the last school year someone was its student
    teacher, before the current one): how many people, and how many of them later
    held a teaching role at a school of the institution's partnerships. One query,
    however many people, compiled once per process (``config.kept_query``);
    ``institution_ids`` None: every institution."""
    if institution_ids is None:
        values: dict = {"shape": {"every": True}}
    elif not (ids := sorted(institution_ids)):
        return []
    else:
        values = {"institutions": ids, "shape": {"every": False}}
    return [
        CohortRow(
            institution=row["institution__name"],
            school_year=row["school_year__name"],
            size=row["size"],
            teaching=row["teaching"],
        )
        for row in kept_list("continuum.cohorts", _cohorts, **values)
    ]


@dataclass
class DashboardLinks:
    cohorts: bool
    own_vacancies: bool


def dashboard_links(user: User, current_roles: list[RoleMembership]) -> DashboardLinks:
    """Which continuum and vacancy links the dashboard shows, read from the roles it
    already loaded (no query). The same rules as ``continuum.view_cohorts`` and
    ``vacancies.post_vacancy``."""
    admin = is_network_admin(user)
    held = {membership.role for membership in current_roles}
    return DashboardLinks(
        cohorts=admin or Role.BRIDGE_BUILDER in held,
        own_vacancies=admin or Role.SCHOOL_LEADER in held,
    )
