"""Reads for the oversight and network pages. Every function here runs a fixed
number of queries, whatever the number of schools, teams and log entries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from config.kept_query import kept_list
from config.versioned_cache import VersionedCache
from internships.selectors import Hosting, hosting_by_school
from knowledge_base.models import Study
from partnership.models import LearningCommunity, LearningCommunityMembership, SchoolYear
from partnership.selectors import communities_of_schools
from research_cycle.models import (
    ChecklistCheck,
    CycleStage,
    LogEntry,
    ReferenceVersion,
    ResearchCycle,
    ResearchTeam,
)
from schools.models import Role, RoleMembership, School

from .attention import Attention, assess, reference_date
from .models import AgreementItem, PartnershipAgreement
from .permissions import (
    OversightScope,
    agreement_schools,
    creatable_agreement_schools,
    oversight_scope,
)


def resolve_school_year(school_year=None, *, pk=None):
    """The chosen school year (by pk from a query string), else the current one."""
    if school_year is not None:
        return school_year
    if pk:
        try:
            found = SchoolYear.objects.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            found = None
        if found:
            return found
    return SchoolYear.objects.current()


def _school_years():
    return SchoolYear.objects.order_by("-starts_on")


#: The school years and stages, kept under the version of the reference tables they
#: were read at (``research_cycle.ReferenceVersion``, which the database replaces on
#: every write to them); each process also holds the last few it used.
_reference: VersionedCache[list] = VersionedCache("reference", seconds=60 * 60, per_process=8)


def reference_version_subquery() -> Subquery:
    """The version of the reference tables, for the query that reads the signed-in
    person (``accounts.backends``), so it costs no query of its own. NULL on SQLite."""
    # The table's one row (the triggers write id 1 only): no parameter to send.
    return Subquery(ReferenceVersion.objects.values("version")[:1])


def _kept_reference(name: str, person: Any, read) -> list:
    """``read()``, kept under the version read with ``person``'s row, before these
    rows (so what is kept is at least as new as its version). Without a version
    (not signed in, SQLite, the row gone), read every time."""
    version = getattr(person, "reference_version", None)
    if version is None:
        return read()
    return _reference.get(f"{name}:{version}", read, list)


def school_years(person: Any = None) -> list[SchoolYear]:
    """Every school year, newest first (the year selector). One kept query, or none
    while the reference version read with ``person`` stands (``_kept_reference``)."""
    return _kept_reference("years", person, lambda: kept_list("oversight.years", _school_years))


def chosen_school_year(years: list[SchoolYear], pk=None) -> SchoolYear | None:
    """``resolve_school_year(pk=pk)`` answered from ``school_years()``: the year by pk
    from a query string, else the current one. No query."""
    if pk:
        try:
            wanted = int(pk)
        except (TypeError, ValueError):
            wanted = None
        found = next((y for y in years if y.pk == wanted), None)
        if found is not None:
            return found
    return next((y for y in years if y.is_current), None)


def _of_schools(qs, schools, every: bool, field_name: str = "school_id"):
    """``_scoped`` for the kept builders: ``every`` (a network admin) or the ids."""
    return qs if every else qs.filter(**{f"{field_name}__in": schools})


def _schools_values(school_ids) -> dict:
    """The values and shape a kept builder takes for ``school_ids`` (None: every school)."""
    if school_ids is None:
        return {"shape": {"every": True}}
    return {"schools": sorted(school_ids), "shape": {"every": False}}


@dataclass
class StageCell:
    stage: CycleStage
    state: str  # "done", "current" or "todo"
    x: int = 0  # where its square sits in the small cycle picture


@dataclass
class TeamRow:
    team: ResearchTeam
    stage: CycleStage | None
    completed: bool
    last_entry_on: datetime.date | None
    last_entry_author: str
    checks_done: int
    checks_total: int
    student_teachers: list
    attention: Attention
    stage_cells: list[StageCell] = field(default_factory=list)
    #: the small cycle picture and its label (``cycle_markup``), shared by the rows
    #: in the same state
    cycle_html: str = ""

    @property
    def school(self) -> School:
        return self.team.school

    @property
    def picture_width(self) -> int:
        return len(self.stage_cells) * 11

    @property
    def state_code(self) -> str:
        if self.completed:
            return "completed"
        return self.stage.code if self.stage else "not_started"


def _cycle_stages():
    return CycleStage.objects.annotate(item_count=Count("checklist_items")).order_by("order")


def cycle_stages(person: Any = None) -> list[CycleStage]:
    """The stages in order, each with its number of checklist items (``item_count``).
    One kept query, or none while the reference version read with ``person`` stands
    (see ``school_years``); a page that needs them twice passes them on."""
    return _kept_reference("stages", person, lambda: kept_list("oversight.stages", _cycle_stages))


def _scoped(qs, school_ids, field_name="school_id"):
    return qs if school_ids is None else qs.filter(**{f"{field_name}__in": school_ids})


def cycle_markup(cells: list[StageCell], stage: CycleStage | None, completed: bool) -> str:
    """A team's place in the cycle: a square per stage and the stage in words. Built
    once per state and page instead of a template per row (the rows in one state
    share it); every text in it is escaped."""
    width = len(cells) * 11
    squares = "".join(
        f'<rect x="{c.x}" y="0" width="9" height="8" rx="2" class="cycle-{c.state}"></rect>'
        for c in cells
    )
    label: str
    if completed:
        label = conditional_escape(gettext("Cycle completed"))
    elif stage:
        label = gettext("Stage %(order)s of %(count)s: %(name)s") % {
            "order": stage.order,
            "count": len(cells),
            "name": conditional_escape(stage.name),
        }
    else:
        label = conditional_escape(gettext("Not started"))
    return mark_safe(  # noqa: S308  # the names are escaped, the rest is ours
        f'<span class="cycle-picture" aria-hidden="true"><svg viewBox="0 0 {width} 8" '
        f'width="{width}" height="10" focusable="false">{squares}</svg></span>\n'
        f'<span class="small">{label}</span>'
    )


def _teams(*, year: int, schools=(), every: bool):
    """The school year's research teams of these schools (or every school), with their
    last log entry and the checks done in the current stage."""
    last_entry = LogEntry.objects.filter(cycle__team=OuterRef("pk")).order_by(
        "-occurred_on", "-created_at"
    )
    checks = (
        ChecklistCheck.objects.filter(
            cycle=OuterRef("current_cycle"), item__stage=OuterRef("current_cycle__current_stage")
        )
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    teams = _of_schools(ResearchTeam.objects.filter(school_year=year), schools, every)
    return teams.select_related("school", "current_cycle__current_stage").annotate(
        last_entry_on=Subquery(last_entry.values("occurred_on")[:1]),
        last_entry_author=Subquery(last_entry.values("author__full_name")[:1]),
        checks_done=Coalesce(Subquery(checks[:1]), Value(0), output_field=IntegerField()),
    )


def _placed(*, year: int, schools=(), every: bool):
    """The student teachers placed at these schools in the school year."""
    placements = RoleMembership.objects.filter(school_year=year, role=Role.STUDENT_TEACHER)
    return (
        _of_schools(placements, schools, every)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def team_rows(
    user,
    school_year=None,
    *,
    scope: OversightScope | None = None,
    school_ids=None,
    stages: list[CycleStage] | None = None,
    student_teachers: bool = True,
) -> list[TeamRow]:
    """The research teams of the schools this person oversees in the school year,
    with stage, last log entry, checklist progress, student teachers (read only with
    ``student_teachers``: the pages that show none skip the query) and the attention
    flags; most urgent first. ``school_ids`` narrows further (network view)."""
    school_year = resolve_school_year(school_year)
    if school_year is None:
        return []
    scope = scope if scope is not None else oversight_scope(user, school_year)
    if not scope.can_oversee:
        return []
    ids = scope.school_ids if school_ids is None else school_ids
    values = _schools_values(ids)
    teams = kept_list("oversight.teams", _teams, year=school_year.pk, **values)
    stages = stages if stages is not None else cycle_stages()
    placed = defaultdict(list)
    if student_teachers:
        for membership in kept_list("oversight.placed", _placed, year=school_year.pk, **values):
            placed[membership.school_id].append(membership.user)

    on = reference_date(school_year)
    rows = []
    pictures: dict[tuple, tuple[list[StageCell], str]] = {}
    for team in teams:
        cycle = team.current_cycle
        stage = cycle.current_stage if cycle else None
        completed = bool(cycle and cycle.completed_at)
        if team.last_entry_on:
            last_activity = team.last_entry_on
        elif cycle:
            last_activity = timezone.localdate(cycle.started_at)
        else:
            last_activity = timezone.localdate(team.created_at)
        attention = assess(
            last_activity_on=last_activity,
            stage_entered_on=timezone.localdate(cycle.stage_entered_at) if cycle else None,
            completed=completed,
            on=on,
        )
        total = next(
            (s.item_count for s in stages if stage and s.pk == stage.pk),  # type: ignore[attr-defined]  # annotated by the query
            0,
        )
        state_key = (completed, stage.pk if stage else None)
        if state_key not in pictures:
            cells: list[StageCell] = []
            for s in stages:
                if completed or (stage and s.order < stage.order):
                    state = "done"
                elif stage and s.pk == stage.pk:
                    state = "current"
                else:
                    state = "todo"
                cells.append(StageCell(stage=s, state=state, x=len(cells) * 11))
            pictures[state_key] = (cells, cycle_markup(cells, stage, completed))
        cells, picture = pictures[state_key]
        rows.append(
            TeamRow(
                team=team,
                stage=stage,
                completed=completed,
                last_entry_on=team.last_entry_on,
                last_entry_author=team.last_entry_author or "",
                checks_done=team.checks_done if stage else 0,
                checks_total=total,
                student_teachers=placed.get(team.school_id, []),
                attention=attention,
                stage_cells=cells,
                cycle_html=picture,
            )
        )
    rows.sort(
        key=lambda r: (
            -r.attention.weight,
            -(r.attention.days_since_activity or 0),
            -(r.attention.days_in_stage or 0),
            r.team.school.name,
            r.team.theme,
        )
    )
    return rows


def teams_needing_attention(user, school_year=None) -> list[TeamRow]:
    """The teams this person oversees that need attention, most urgent first.
    For the weekly digest and the oversight page alike."""
    return [
        row
        for row in team_rows(user, school_year=school_year, student_teachers=False)
        if row.attention.needed
    ]


def filter_rows(rows: list[TeamRow], *, school=None, stage=None, flag=None) -> list[TeamRow]:
    if school:
        rows = [r for r in rows if str(r.team.school_id) == str(school)]
    if stage:
        rows = [r for r in rows if r.state_code == stage]
    if flag == "any":
        rows = [r for r in rows if r.attention.needed]
    elif flag == "inactive":
        rows = [r for r in rows if r.attention.inactive]
    elif flag == "stuck":
        rows = [r for r in rows if r.attention.stuck]
    elif flag == "none":
        rows = [r for r in rows if not r.attention.needed]
    return rows


# --- Network view -----------------------------------------------------------


@dataclass
class StateCount:
    key: str
    label: str
    count: int


def stage_distribution(school_year, school_ids=None) -> list[StateCount]:
    """How many teams are in each stage; teams without a cycle and teams whose
    current cycle is completed are counted apart. Two queries."""
    stages = list(CycleStage.objects.order_by("order"))
    counts = (
        _scoped(ResearchTeam.objects.filter(school_year=school_year), school_ids)
        .order_by()
        .values("current_cycle__current_stage_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(current_cycle__completed_at__isnull=False)),
        )
    )
    per_stage: defaultdict[int | None, int] = defaultdict(int)
    completed, not_started = 0, 0
    for row in counts:
        stage_id = row["current_cycle__current_stage_id"]
        if stage_id is None:
            not_started += row["total"]
        else:
            per_stage[stage_id] += row["total"] - row["completed"]
            completed += row["completed"]
    return _distribution(stages, per_stage, not_started, completed)


def distribution_of(rows: list[TeamRow], stages: list[CycleStage]) -> list[StateCount]:
    """``stage_distribution`` counted from team rows the page has already read
    (the same teams: ``team_rows`` with the same school year and schools), so
    without a query."""
    per_stage: defaultdict[int | None, int] = defaultdict(int)
    completed, not_started = 0, 0
    for row in rows:
        if row.stage is None:
            not_started += 1
        elif row.completed:
            completed += 1
        else:
            per_stage[row.stage.pk] += 1
    return _distribution(stages, per_stage, not_started, completed)


def _distribution(stages, per_stage, not_started: int, completed: int) -> list[StateCount]:
    from django.utils.translation import gettext as _

    result = [StateCount("not_started", _("Not started"), not_started)]
    result += [StateCount(s.code, f"{s.order}. {s.name}", per_stage[s.pk]) for s in stages]
    result.append(StateCount("completed", _("Cycle completed"), completed))
    return result


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _per_day(*, year: int, start: datetime.date, end: datetime.date, schools=(), every: bool):
    entries = LogEntry.objects.filter(
        cycle__team__school_year=year, occurred_on__gte=start, occurred_on__lte=end
    )
    return (
        _of_schools(entries, schools, every, "cycle__team__school_id")
        .order_by()
        .values_list("occurred_on")
        .annotate(n=Count("pk"))
    )


def weekly_activity(school_year, school_ids=None) -> list[tuple[datetime.date, int]]:
    """Log entries per week (weeks start on Monday) over the whole school year,
    weeks without entries included. One kept query."""
    # Count per day in the database (native on every backend, at most ~300 rows),
    # then add the days up per week here: truncating to weeks in SQL is a Python
    # function per row on SQLite.
    per_day = kept_list(
        "oversight.per_day",
        _per_day,
        year=school_year.pk,
        start=school_year.starts_on,
        end=school_year.ends_on,
        **_schools_values(school_ids),
    )
    counts: defaultdict[datetime.date, int] = defaultdict(int)
    for day, n in per_day:
        counts[monday(day)] += n
    weeks = []
    week = monday(school_year.starts_on)
    while week <= school_year.ends_on:
        weeks.append((week, counts.get(week, 0)))
        week += datetime.timedelta(days=7)
    return weeks


def _communities(*, year: int):
    """Every learning community of the school year (a network admin's view: those
    without schools yet too)."""
    return (
        LearningCommunity.objects.filter(school_year=year)
        .select_related("process_facilitator")
        .order_by("name")
    )


def _community_schools(*, communities: list[int]):
    return (
        LearningCommunityMembership.objects.filter(community__in=communities)
        .select_related("school")
        .order_by("slot")
    )


def communities(school_year, rows: list[TeamRow], school_ids=None) -> list:
    """Learning communities with their schools, facilitator, learning questions and
    each school's team rows (rows are passed in). One kept query for these schools'
    communities; two for every community (a community without schools yet is only
    found from its own table)."""
    by_school = defaultdict(list)
    for row in rows:
        by_school[row.team.school_id].append(row)
    members: defaultdict[int, list[LearningCommunityMembership]] = defaultdict(list)
    if school_ids is None:
        result = kept_list("oversight.communities", _communities, year=school_year.pk)
        if not result:
            return result
        for m in kept_list(
            "oversight.community_schools", _community_schools, communities=[c.pk for c in result]
        ):
            members[m.community_id].append(m)
    else:
        result = communities_of_schools(school_year.pk, school_ids)
        for found in result:
            members[found.pk] = list(found.memberships.all())
    for community in result:
        community.school_states = [  # type: ignore[union-attr]  # shown by the template
            (m.school, sorted(by_school.get(m.school_id, []), key=lambda r: r.team.theme))
            for m in members[community.pk]
        ]
    return result


def sessions_installed() -> bool:
    """Hook for the learning-network sessions app (built in parallel): the
    participation table gets a "sessions attended" column once it is installed."""
    return apps.is_installed("network_sessions")


def _attended_per_school(year: int) -> Coalesce:
    """Per school (the outer row): how many network sessions of the school year at
    least one person with a role at the school attended (``Participation.attended``
    of a scheduled session)."""
    # One filter() call, so the three conditions hold for the same participation and
    # the count runs over that same join.
    attended = Q(
        user__session_participations__attended=True,
        user__session_participations__session__school_year=year,
        user__session_participations__session__status="scheduled",
    )
    memberships = RoleMembership.objects.filter(school_year=year).filter(attended)
    sessions = Count("user__session_participations__session", distinct=True)
    return _per_school(memberships, "school_id", sessions)


def _per_school(rows: QuerySet, school: str, count: Any = None) -> Coalesce:
    """``count`` (the number of rows) of the rows of the outer row's school: a
    subquery, 0 when there are none."""
    counted = (
        rows.filter(**{school: OuterRef("pk")})
        .order_by()
        .values(school)
        .annotate(n=count or Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


PARTICIPATION_ROLES = [
    Role.COACH,
    Role.RESEARCH_TEACHER,
    Role.STUDENT_TEACHER,
    Role.BRIDGE_BUILDER,
    Role.SCHOOL_LEADER,
]


@dataclass
class ParticipationRow:
    school: School
    members: dict  # role -> count
    studies_published: int
    cycles_completed: int
    sessions_attended: int | None

    def member_counts(self) -> list[int]:
        return [self.members.get(role, 0) for role in PARTICIPATION_ROLES]


def _participating_schools(*, year: int, sessions: bool, schools=(), every: bool):
    """The schools, each with its people per role (``n_<role>``, and
    ``has_members``: anyone with a role there), studies published, cycles completed
    and (with ``sessions``) network sessions attended in the school year: one query."""
    published = Study.objects.published().filter(school_year=year)
    completed = ResearchCycle.objects.filter(team__school_year=year, completed_at__isnull=False)
    roles = RoleMembership.objects.filter(school_year=year)
    counts: dict[str, Any] = {
        f"n_{role.value}": _per_school(
            roles.filter(role=role), "school_id", Count("user", distinct=True)
        )
        for role in PARTICIPATION_ROLES
    }
    counts["has_members"] = Exists(roles.filter(school=OuterRef("pk")))
    counts["n_studies"] = _per_school(published, "school_id")
    counts["n_cycles"] = _per_school(completed, "team__school_id")
    if sessions:
        counts["n_sessions"] = _attended_per_school(year)
    return (
        _of_schools(School.objects.all(), schools, every, "pk").annotate(**counts).order_by("name")
    )


def participation(school_year, school_ids=None) -> list[ParticipationRow]:
    """Per school: people per role, studies published and cycles completed in the
    school year (and sessions attended, once the sessions app is installed). One
    query: the schools with their counts."""
    values = {"year": school_year.pk, **_schools_values(school_ids)}
    sessions = sessions_installed()
    schools = kept_list(
        "oversight.participation_schools",
        _participating_schools,
        **{**values, "shape": {**values["shape"], "sessions": sessions}},
    )
    return [
        ParticipationRow(
            school=school,
            members={  # the roles someone has, as their counts
                role: n for role in PARTICIPATION_ROLES if (n := getattr(school, f"n_{role.value}"))
            },
            studies_published=school.n_studies,
            cycles_completed=school.n_cycles,
            sessions_attended=school.n_sessions if sessions else None,
        )
        for school in schools
        if school.is_active or school.has_members
    ]


# --- Agreements -------------------------------------------------------------


def _agreements(*, year: int, schools=(), every: bool):
    """The school year's agreements of these schools (or every school), with their
    number of items."""
    agreements = PartnershipAgreement.objects.filter(school_year=year)
    return (
        _of_schools(agreements, schools, every)
        .select_related("school", "school_agreed_by", "institution_agreed_by")
        .annotate(item_count=Count("items"))
        .order_by("school__name", "pk")
    )


def agreements_for(user, school_year) -> list[PartnershipAgreement]:
    """The agreements of the school year this person may read (the rule of
    ``PartnershipAgreement.objects.visible_to``, from the person's scope), by school
    name; compiled once per process (``config.kept_query``)."""
    schools = agreement_schools(user, school_year)
    if schools is not None and not schools:
        return []
    values = _schools_values(schools)
    return kept_list("oversight.agreements", _agreements, year=school_year.pk, **values)


def creatable_agreements(
    user, school_year, agreements: list[PartnershipAgreement]
) -> QuerySet[School] | None:
    """The schools this person may start an agreement for in the school year that
    have none yet (``oversight.create_agreement``), by name, as the start form's
    choices: read once, when the form renders. None when they may start none (no
    query: a school leader's schools come from their scope)."""
    schools = creatable_agreement_schools(user, school_year)
    taken = {a.school_id for a in agreements}
    if schools is None:
        return School.objects.active().exclude(pk__in=sorted(taken)).order_by("name", "pk")
    schools = schools - taken
    if not schools:
        return None
    return School.objects.filter(pk__in=sorted(schools)).order_by("name", "pk")


def measured_outcomes(agreement: PartnershipAgreement) -> dict[str, int | Decimal | None]:
    """What happened at the school in the agreement's year, per measure. Placements
    hosted and mentor hours come from the placement records (``internships``)."""
    rows = participation(agreement.school_year, frozenset([agreement.school_id]))
    hosted = hosting_by_school(agreement.school_year, [agreement.school_id])
    return outcomes_of(rows[0] if rows else None, hosted.get(agreement.school_id, Hosting()))


def outcomes_of(row: ParticipationRow | None, hosted: Hosting) -> dict[str, int | Decimal | None]:
    """A school's participation row and hosting figures as the measures agreement
    items compare with (the yearly review uses it for every school from one
    ``participation`` and one ``hosting_by_school`` call)."""
    members = row.members if row else {}
    return {
        AgreementItem.Measure.PLACEMENTS: hosted.placements,
        AgreementItem.Measure.MENTOR_HOURS: hosted.mentor_hours,
        AgreementItem.Measure.COACHES: members.get(Role.COACH, 0),
        AgreementItem.Measure.BRIDGE_BUILDERS: members.get(Role.BRIDGE_BUILDER, 0),
        AgreementItem.Measure.SESSIONS: row.sessions_attended if row else None,
        AgreementItem.Measure.CYCLES_COMPLETED: row.cycles_completed if row else 0,
        AgreementItem.Measure.STUDIES_PUBLISHED: row.studies_published if row else 0,
    }


@dataclass
class BalanceLine:
    item: AgreementItem
    actual: int | Decimal | None

    @property
    def status(self) -> str:
        """ "met", "short" or "" (not measurable)."""
        if self.actual is None or self.item.quantity is None or not self.item.measure:
            return ""
        return "met" if self.actual >= self.item.quantity else "short"


def agreement_balance(agreement: PartnershipAgreement) -> list[BalanceLine]:
    outcomes = measured_outcomes(agreement)
    return [
        BalanceLine(item=item, actual=outcomes.get(item.measure) if item.measure else None)
        for item in agreement.items.all()
    ]
