"""Reads of the retention app: the cohorts and their curves, and the school
leader's roster to confirm.

**How a curve is computed** (the decisions the issue left open):

- A *starter* is a person with a starting-teacher or career-changer role at a
  school of the partnership. Their *cohort* is the ``started_teaching_in`` year of
  their earliest such role, their *school* (and so their level) the school of that
  role.
- For each school year there is *evidence* of what the person did: a teaching role
  (``schools.models.TEACHING_ROLES``) at any partner school, or a school leader's
  confirmation ("still teaching here" and "moved to another school" both mean
  still teaching, even outside the network; "left teaching" means left;
  "unknown" is no evidence). A teaching record beats a confirmation, and of two
  schools' confirmations of one person in one year "teaching" beats "left".
- *After k years* (k = 1…5) means in the school year k years after the cohort's
  year. The person is **still teaching** when there is teaching evidence in that
  year; **left** when the latest evidence up to that year says "left teaching"
  (they left within k years, as the Flemish baseline counts leaving "within five
  years"; a later return with a teaching record counts as teaching again);
  **unknown** otherwise. Nothing is inferred from later years and nobody is
  assumed to have stayed or left.
- A horizon is *observed* when its school year exists and has begun (up to the
  year the figures are asked for); cohorts that have not reached it are not
  counted in it.
- Shares are **bounds**: "at least" counts only people known to teach, "at most"
  also counts every unknown as still teaching. The unknowns are shown as a count.
- **Small groups**: a group of fewer than ``MIN_GROUP`` people shows no figure
  ("fewer than 5"), and a group whose figure would let a reader subtract their way
  to a hidden group of 1–4 people is hidden too (see ``_protect``).

Every function runs a fixed number of queries, whatever the number of schools,
cohorts and people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from partnership.models import Partnership, SchoolYear
from schools.models import INDUCTION_ROLES, TEACHING_ROLES, Role, RoleMembership, School

from .models import Baseline, StaffConfirmation, StaffConfirmationEntry, StaffStatus

#: The curve runs to this many years after the start (the baseline's horizon).
HORIZONS = (1, 2, 3, 4, 5)
#: Groups smaller than this show no figure.
MIN_GROUP = 5


class Outcome(StrEnum):
    TEACHING = "teaching"
    LEFT = "left"
    UNKNOWN = "unknown"


class Shown(StrEnum):
    """Why a point of a curve shows (or does not show) its figures."""

    SHOWN = "shown"
    SMALL = "small"  # fewer than MIN_GROUP people
    PROTECTED = "protected"  # hidden so that a small group cannot be worked out
    NOT_YET = "not_yet"  # the cohorts have not reached this year


@dataclass(frozen=True)
class Counts:
    n: int = 0
    teaching: int = 0
    left: int = 0
    unknown: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.n + other.n,
            self.teaching + other.teaching,
            self.left + other.left,
            self.unknown + other.unknown,
        )

    @property
    def at_least(self) -> float:
        """Percentage known to be still teaching."""
        return 100 * self.teaching / self.n

    @property
    def at_most(self) -> float:
        """Percentage still teaching if every unknown still teaches."""
        return 100 * (self.teaching + self.unknown) / self.n


@dataclass(frozen=True)
class Point:
    years: int
    shown: Shown
    counts: Counts | None = None  # only when shown


@dataclass
class Curve:
    """A group's retention after 1…5 years."""

    label: str
    level: str = ""
    cohort: SchoolYear | None = None
    points: list[Point] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(School.Level(self.level).label) if self.level else ""


@dataclass(frozen=True)
class Starter:
    person_id: int
    cohort_start: int  # the calendar year the cohort's school year starts in
    school_id: int
    level: str
    outcomes: dict[int, Outcome]  # years after the start -> outcome (observed years only)


@dataclass
class Figures:
    """Everything a retention page, its CSV and the yearly review show."""

    as_of: SchoolYear
    total: Curve
    levels: list[Curve]
    cohorts: list[Curve]
    baselines: list[Baseline]


# --- Evidence and outcomes --------------------------------------------------------

Evidence = dict[int, Outcome]  # start year of a school year -> what the person did
#: What a confirmation says; "unknown" says nothing.
SAID: dict[str, Outcome] = {
    StaffStatus.STILL_HERE: Outcome.TEACHING,
    StaffStatus.MOVED: Outcome.TEACHING,
    StaffStatus.LEFT: Outcome.LEFT,
}


def outcome_after(evidence: Evidence, *, cohort_start: int, years: int) -> Outcome:
    """The outcome ``years`` after the start (see the module docstring)."""
    target = cohort_start + years
    if evidence.get(target) == Outcome.TEACHING:
        return Outcome.TEACHING
    seen = [year for year in evidence if cohort_start <= year <= target]
    if seen and evidence[max(seen)] == Outcome.LEFT:
        return Outcome.LEFT
    return Outcome.UNKNOWN


def _evidence(people: QuerySet[Any], up_to: int) -> dict[int, Evidence]:
    """Two queries: the people's teaching roles and their confirmations per year."""
    found: dict[int, Evidence] = defaultdict(dict)
    confirmed = StaffConfirmationEntry.objects.filter(
        person__in=people, confirmation__school_year__starts_on__year__lte=up_to
    ).values_list("person_id", "confirmation__school_year__starts_on", "status")
    for person_id, starts_on, status in confirmed:
        said = SAID.get(status)
        year = starts_on.year
        if said is not None and found[person_id].get(year) != Outcome.TEACHING:
            found[person_id][year] = said
    teaching = (
        RoleMembership.objects.filter(
            user__in=people,
            role__in=[str(role) for role in TEACHING_ROLES],
            school__isnull=False,
            school_year__starts_on__year__lte=up_to,
        )
        .values_list("user_id", "school_year__starts_on")
        .distinct()
    )
    for person_id, starts_on in teaching:
        found[person_id][starts_on.year] = Outcome.TEACHING
    return found


def starters(*, partnership: Partnership, as_of: SchoolYear) -> list[Starter]:
    """The partnership's starters of the cohorts that have reached at least one
    year, with their outcomes as known in ``as_of``. Four queries."""
    up_to = as_of.starts_on.year
    begun = {
        year.starts_on.year for year in SchoolYear.objects.all() if year.starts_on.year <= up_to
    }
    induction = RoleMembership.objects.filter(
        role__in=[str(role) for role in INDUCTION_ROLES],
        school__partnership=partnership,
        started_teaching_in__isnull=False,
        school_year__starts_on__year__lte=up_to,
    )
    first: dict[int, tuple[int, int, int, int, str]] = {}
    rows = induction.values_list(
        "user_id",
        "started_teaching_in__starts_on",
        "school_year__starts_on",
        "pk",
        "school_id",
        "school__level",
    )
    for person_id, started_on, year_on, pk, school_id, level in rows:
        key = (started_on.year, year_on.year, pk, school_id, level)
        if person_id not in first or key < first[person_id]:
            first[person_id] = key
    evidence = _evidence(induction.values("user_id"), up_to)
    result = []
    for person_id, (cohort_start, _year, _pk, school_id, level) in sorted(first.items()):
        observed = [k for k in HORIZONS if cohort_start + k in begun]
        if not observed:
            continue
        outcomes = {
            k: outcome_after(evidence.get(person_id, {}), cohort_start=cohort_start, years=k)
            for k in observed
        }
        result.append(Starter(person_id, cohort_start, school_id, level, outcomes))
    return result


# --- Counting and small-cell protection ---------------------------------------------

Tally = dict[int, Counts]  # years after the start -> counts (observed years only)


def _tally(group: Iterable[Starter]) -> Tally:
    tally: Tally = {}
    for starter in group:
        for years, outcome in starter.outcomes.items():
            one = Counts(
                1,
                int(outcome == Outcome.TEACHING),
                int(outcome == Outcome.LEFT),
                int(outcome == Outcome.UNKNOWN),
            )
            tally[years] = tally.get(years, Counts()) + one
    return tally


def _primary(tally: Tally) -> dict[int, Shown]:
    return {
        k: (Shown.SMALL if counts.n < MIN_GROUP else Shown.SHOWN) for k, counts in tally.items()
    }


def _protect(
    parent: dict[int, Shown],
    children: list[tuple[Tally, dict[int, Shown]]],
    *,
    hide_parent: bool,
) -> None:
    """Secondary suppression. The children partition the parent, so the parent's
    counts minus the shown children's are the hidden children's together: when
    these add up to 1–4 people, hide more (the smallest shown child, or the parent
    itself when ``hide_parent``) until they do not. Changes the states in place."""
    for k, state in parent.items():
        if state != Shown.SHOWN:
            continue
        present = [(tally[k].n, shown) for tally, shown in children if k in tally]
        while True:
            hidden = sum(n for n, shown in present if shown[k] != Shown.SHOWN)
            if not 0 < hidden < MIN_GROUP:
                break
            visible = sorted(
                (n, i) for i, (n, shown) in enumerate(present) if shown[k] == Shown.SHOWN
            )
            if hide_parent or not visible:
                parent[k] = Shown.PROTECTED
                break
            present[visible[0][1]][1][k] = Shown.PROTECTED


def _curve(label: str, tally: Tally, shown: dict[int, Shown], **extra: object) -> Curve:
    points = []
    for k in HORIZONS:
        if k not in tally:
            points.append(Point(k, Shown.NOT_YET))
        elif shown[k] == Shown.SHOWN:
            points.append(Point(k, Shown.SHOWN, tally[k]))
        else:
            points.append(Point(k, shown[k]))
    return Curve(label=label, points=points, **extra)  # type: ignore[arg-type]


def _years_by_start() -> dict[int, SchoolYear]:
    return {year.starts_on.year: year for year in SchoolYear.objects.all()}


def _cohort_curves(
    group: list[Starter], years: dict[int, SchoolYear], parent: dict[int, Shown], *, level: str
) -> list[Curve]:
    by_cohort: dict[int, list[Starter]] = defaultdict(list)
    for starter in group:
        by_cohort[starter.cohort_start].append(starter)
    children = []
    for start in sorted(by_cohort):
        tally = _tally(by_cohort[start])
        children.append((start, tally, _primary(tally)))
    _protect(parent, [(t, s) for _start, t, s in children], hide_parent=False)
    curves = []
    for start, tally, shown in children:
        cohort = years.get(start)
        label = cohort.name if cohort else f"{start}-{start + 1}"
        curves.append(_curve(label, tally, shown, level=level, cohort=cohort))
    return curves


def _level_label(level: str) -> str:
    return str(School.Level(level).label)


def network_curves(
    everyone: list[Starter], years: dict[int, SchoolYear]
) -> tuple[Curve, list[Curve], list[Curve]]:
    """The network's curve, its levels' and its level-and-cohort curves, with the
    small groups hidden (no query: ``years`` only names the cohorts)."""
    total_tally = _tally(everyone)
    total_shown = _primary(total_tally)
    levels: list[Curve] = []
    cohorts: list[Curve] = []
    level_parts = []
    for level in School.Level.values:
        group = [s for s in everyone if s.level == level]
        tally = _tally(group)
        level_parts.append((level, group, tally, _primary(tally)))
    # Hiding the network total costs less than hiding the other level as well.
    _protect(total_shown, [(t, s) for _l, _g, t, s in level_parts], hide_parent=True)
    for level, group, tally, shown in level_parts:
        cohorts += _cohort_curves(group, years, shown, level=level)
        levels.append(_curve(_level_label(level), tally, shown, level=level))
    return _curve(_("All partner schools"), total_tally, total_shown), levels, cohorts


def network_figures(*, partnership: Partnership, as_of: SchoolYear) -> Figures:
    """The partnership's curve, per level and per level and cohort. Six queries."""
    total, levels, cohorts = network_curves(
        starters(partnership=partnership, as_of=as_of), _years_by_start()
    )
    return Figures(
        as_of=as_of,
        total=total,
        levels=levels,
        cohorts=cohorts,
        baselines=list(Baseline.objects.all()),
    )


def school_figures(*, school: School, as_of: SchoolYear) -> Figures:
    """The curve of the starters who began at this school, and per cohort. Six
    queries (the partnership's starters are read and this school's kept)."""
    group = [
        s for s in starters(partnership=school.partnership, as_of=as_of) if s.school_id == school.pk
    ]
    tally = _tally(group)
    shown = _primary(tally)
    cohorts = _cohort_curves(group, _years_by_start(), shown, level=school.level)
    return Figures(
        as_of=as_of,
        total=_curve(school.name, tally, shown, level=school.level),
        levels=[],
        cohorts=cohorts,
        baselines=list(Baseline.objects.filter(level=school.level)),
    )


# --- The staff confirmation ---------------------------------------------------------


def previous_year(school_year: SchoolYear) -> SchoolYear | None:
    return (
        SchoolYear.objects.filter(starts_on__lt=school_year.starts_on)
        .order_by("-starts_on")
        .first()
    )


@dataclass(frozen=True)
class RosterRow:
    person: User
    roles: list[str]  # role labels held at the school in the two years
    status: str  # the status confirmed before, or ""


def confirmation_roster(*, school: School, school_year: SchoolYear) -> list[RosterRow]:
    """The starters and career changers the school leader confirms this year: who
    held such a role at the school this year or the year before. Three queries."""
    years = [school_year] + [y for y in [previous_year(school_year)] if y is not None]
    held = (
        RoleMembership.objects.filter(
            school=school, school_year__in=years, role__in=[str(r) for r in INDUCTION_ROLES]
        )
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )
    said = dict(
        StaffConfirmationEntry.objects.filter(
            confirmation__school=school, confirmation__school_year=school_year
        ).values_list("person_id", "status")
    )
    people: dict[int, User] = {}
    roles: dict[int, list[str]] = defaultdict(list)
    for membership in held:
        people.setdefault(membership.user_id, membership.user)
        label = membership.get_role_display()
        if label not in roles[membership.user_id]:
            roles[membership.user_id].append(label)
    return [RosterRow(person, roles[pk], said.get(pk, "")) for pk, person in people.items()]


def confirmation_for(*, school: School, school_year: SchoolYear) -> StaffConfirmation | None:
    return (
        StaffConfirmation.objects.select_related("confirmed_by")
        .filter(school=school, school_year=school_year)
        .first()
    )


@dataclass(frozen=True)
class DashboardPanel:
    sees_network: bool
    unconfirmed: list[School]


def dashboard_panel(user: User, roles: list[RoleMembership]) -> DashboardPanel | None:
    """What the dashboard's retention panel shows this person, or None (no panel),
    from the current-year ``roles`` the dashboard has already read: no query for
    people the panel is not for, at most two for the others. The same rules as
    ``permissions.visible_partnerships`` and ``led_schools``."""
    from access.roles import is_network_admin

    from .permissions import NETWORK_READERS

    institutions = {
        r.institution_id for r in roles if r.role in NETWORK_READERS and r.institution_id
    }
    schools = sorted(
        {r.school for r in roles if r.role == Role.SCHOOL_LEADER and r.school},
        key=lambda school: school.name,
    )
    sees_network = is_network_admin(user) or (
        bool(institutions) and Partnership.objects.filter(institution__in=institutions).exists()
    )
    if not sees_network and not schools:
        return None
    done = set()
    if schools:
        done = set(
            StaffConfirmation.objects.filter(
                school__in=[s.pk for s in schools], school_year__is_current=True
            ).values_list("school_id", flat=True)
        )
    return DashboardPanel(sees_network, [s for s in schools if s.pk not in done])
