"""The review's reads. Every function here runs a fixed number of queries, whatever
the number of schools: the figures of one partnership and school year are counted
in the database per school (or per kind), then added up here.

The prefilled parts are built as :mod:`partnership.yearly_review` sections, the same
shape the other apps contribute, so the page, the CSV and the PDF lay out one list."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access.roles import AnyUser
from internships.selectors import Hosting, hosting_by_school
from network_sessions.models import NetworkSession, Participation
from oversight.charts import Chart, horizontal_bars
from oversight.models import AgreementItem, PartnershipAgreement
from oversight.selectors import BalanceLine, ParticipationRow, outcomes_of, participation
from partnership import yearly_review
from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import Figure, Section, Table
from research_cycle.models import ResearchCycle, ResearchTeam
from schools.models import Role, RoleMembership, School

from .models import (
    Criterion,
    CriterionScore,
    Framework,
    SchoolNeeds,
    Score,
    SelfAssessment,
    SupportKind,
)
from .permissions import Audience

Cell = int | Decimal | float | str | None

#: The roles the review counts people in, in this order.
REVIEW_ROLES = [
    Role.SCHOOL_LEADER,
    Role.COACH,
    Role.RESEARCH_TEACHER,
    Role.TEACHER,
    Role.STARTING_TEACHER,
    Role.CAREER_CHANGER,
    Role.STUDENT_TEACHER,
    Role.BRIDGE_BUILDER,
    Role.PROCESS_FACILITATOR,
    Role.PLACEMENT_COORDINATOR,
]


def school_year_named(name: str) -> SchoolYear | None:
    return SchoolYear.objects.filter(name=name).first()


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


# --- The prefilled sections --------------------------------------------------------


@dataclass
class _Counts:
    """What the sections share, counted once."""

    schools: list[School]
    rows: list[ParticipationRow]
    teams: dict[int, int]
    cycles_started: dict[int, int]


def _counts(partnership: Partnership, school_year: SchoolYear) -> _Counts:
    schools = list(School.objects.filter(partnership=partnership).order_by("name"))
    ids = frozenset(s.pk for s in schools)
    rows = participation(school_year, ids) if ids else []
    teams = dict(
        ResearchTeam.objects.filter(school_year=school_year, school__partnership=partnership)
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    started = dict(
        ResearchCycle.objects.filter(
            team__school_year=school_year, team__school__partnership=partnership
        )
        .order_by()
        .values("team__school_id")
        .annotate(n=Count("pk"))
        .values_list("team__school_id", "n")
    )
    return _Counts(schools=schools, rows=rows, teams=teams, cycles_started=started)


def _people_section(
    partnership: Partnership, school_year: SchoolYear, counts: _Counts, *, details: bool
) -> Section:
    """Schools taking part and people by role (a person counted once per role)."""
    memberships = RoleMembership.objects.filter(school_year=school_year).filter(
        Q(school__partnership=partnership) | Q(institution=partnership.institution_id, school=None)
    )
    per_role = dict(
        memberships.order_by()
        .values("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    people = memberships.order_by().values("user").distinct().count()
    taking_part = [row for row in counts.rows if row.members]
    active = sum(1 for s in counts.schools if s.is_active)
    tables = [
        Table(
            caption=_("People per role"),
            header=[_("Role"), _("People")],
            rows=[[str(Role(r).label), per_role.get(r, 0)] for r in REVIEW_ROLES],
            chart_column=1,
        )
    ]
    if details:
        tables.append(
            Table(
                caption=_("People per school"),
                header=[_("School")] + [str(Role(r).label) for r in REVIEW_ROLES[:7]],
                rows=[
                    [row.school.name] + [row.members.get(r, 0) for r in REVIEW_ROLES[:7]]
                    for row in taking_part
                ],
            )
        )
    return Section(
        key="people",
        title=_("Schools and people taking part"),
        figures=[
            Figure(_("Schools taking part"), len(taking_part)),
            Figure(_("Partner schools"), active, _("active partner schools of the partnership")),
            Figure(_("People taking part"), people, _("everyone with a role, counted once")),
        ],
        tables=tables,
        source=_(
            "From the roles held in this school year at the partnership's schools and for its "
            "institution. A school takes part when someone holds a role there."
        ),
    )


def _research_section(counts: _Counts, *, details: bool) -> Section:
    by_level: dict[str, Counter[str]] = defaultdict(Counter)
    per_school: list[list[Cell]] = []
    for row in counts.rows:
        school = row.school
        line = Counter(
            teams=counts.teams.get(school.pk, 0),
            started=counts.cycles_started.get(school.pk, 0),
            completed=row.cycles_completed,
            published=row.studies_published,
        )
        by_level[school.level].update(line)
        if any(line.values()):
            per_school.append([school.name, line["started"], line["completed"], line["published"]])
    total: Counter[str] = sum(by_level.values(), Counter())
    header = [_("Cycles started"), _("Cycles completed"), _("Studies published")]
    tables = [
        Table(
            caption=_("Research per school level"),
            header=[_("School level"), _("Research teams"), *header],
            rows=[
                [
                    str(level.label),
                    by_level[level]["teams"],
                    by_level[level]["started"],
                    by_level[level]["completed"],
                    by_level[level]["published"],
                ]
                for level in School.Level
            ],
            chart_column=3,
        )
    ]
    if details:
        tables.append(
            Table(
                caption=_("Research per school"),
                header=[_("School"), *header],
                rows=per_school,
                chart_column=2,
            )
        )
    return Section(
        key="research",
        title=_("Practitioner research"),
        figures=[
            Figure(_("Research teams"), total["teams"]),
            Figure(_("Cycles started"), total["started"]),
            Figure(_("Cycles completed"), total["completed"]),
            Figure(_("Studies published"), total["published"]),
        ],
        tables=tables,
        source=_(
            "Research cycles of the teams of this school year; studies published in the "
            "knowledge base for this school year."
        ),
    )


def partnership_sessions(
    partnership: Partnership, school_year: SchoolYear
) -> QuerySet[NetworkSession]:
    """The sessions the partnership held in the school year: not cancelled, ended by
    now, and the partnership's by their audience (one of its schools or learning
    communities) or by their people (organised by, answered or attended by someone
    with a role at its schools or institution that year)."""
    people = (
        RoleMembership.objects.filter(school_year=school_year)
        .filter(Q(school__partnership=partnership) | Q(institution=partnership.institution_id))
        .values("user")
    )
    by_school = NetworkSession.audience_schools.through.objects.filter(
        networksession=OuterRef("pk"), school__partnership=partnership
    )
    by_community = NetworkSession.audience_communities.through.objects.filter(
        networksession=OuterRef("pk"), learningcommunity__partnership=partnership
    )
    by_people = Participation.objects.filter(session=OuterRef("pk"), user__in=people)
    return NetworkSession.objects.filter(
        Q(Exists(by_school))
        | Q(Exists(by_community))
        | Q(organiser__in=people)
        | Q(Exists(by_people)),
        school_year=school_year,
        status=NetworkSession.Status.SCHEDULED,
        ends_at__lte=timezone.now(),
    )


def _sessions_section(partnership: Partnership, school_year: SchoolYear) -> Section:
    sessions = partnership_sessions(partnership, school_year)
    held = dict(sessions.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    attendances: dict[str, int] = dict(
        Participation.objects.filter(session__in=sessions.values("pk"), attended=True)
        .order_by()
        .values("session__kind")
        .annotate(n=Count("pk"))
        .values_list("session__kind", "n")
    )
    totals = Participation.objects.filter(session__in=sessions.values("pk")).aggregate(
        n_recorded=Count("pk", filter=Q(attended__isnull=False)),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_people=Count("user", filter=Q(attended=True), distinct=True),
    )
    return Section(
        key="sessions",
        title=_("Network sessions"),
        figures=[
            Figure(_("Sessions held"), sum(held.values())),
            Figure(_("Attendances"), totals["n_attended"], _("one person at one session")),
            Figure(_("People who attended"), totals["n_people"]),
            Figure(
                _("Attendance rate (%)"),
                _percent(totals["n_attended"], totals["n_recorded"]),
                _("of the invitees whose attendance was recorded"),
            ),
        ],
        tables=[
            Table(
                caption=_("Sessions per kind"),
                header=[_("Kind"), _("Sessions held"), _("Attendances")],
                rows=[
                    [str(kind.label), held.get(kind, 0), attendances.get(kind, 0)]
                    for kind in NetworkSession.Kind
                ],
                chart_column=1,
            )
        ],
        source=_(
            "Sessions that took place and were not cancelled, for the partnership's schools, "
            "learning communities or people; attendance as the organisers recorded it."
        ),
    )


def _reciprocity_section(
    partnership: Partnership, school_year: SchoolYear, counts: _Counts, *, details: bool
) -> Section:
    agreements = list(
        PartnershipAgreement.objects.filter(
            school_year=school_year, school__partnership=partnership
        )
        .select_related("school")
        .prefetch_related("items")
        .order_by("school__name")
    )
    rows_by_school = {row.school.pk: row for row in counts.rows}
    hosting = hosting_by_school(school_year, [a.school_id for a in agreements])
    per_party: Counter[tuple[str, str]] = Counter()
    measured = met = 0
    per_school: list[list[Cell]] = []
    for agreement in agreements:
        outcomes = outcomes_of(
            rows_by_school.get(agreement.school_id),
            hosting.get(agreement.school_id, Hosting()),
        )
        lines = [
            BalanceLine(item=item, actual=outcomes.get(item.measure) if item.measure else None)
            for item in agreement.items.all()
        ]
        school_measured = [line for line in lines if line.status]
        school_met = sum(1 for line in school_measured if line.status == "met")
        measured += len(school_measured)
        met += school_met
        per_party.update((line.item.party, line.item.kind) for line in lines)
        per_school.append(
            [
                agreement.school.name,
                _("yes") if agreement.is_agreed else _("no"),
                len(lines),
                len(school_measured),
                school_met,
            ]
        )
    Party, Kind = AgreementItem.Party, AgreementItem.Kind
    tables = [
        Table(
            caption=_("What each partner brings and gets back"),
            header=[_("Partner"), _("Contributions"), _("Returns")],
            rows=[
                [
                    str(party.label),
                    per_party[(party, Kind.CONTRIBUTION)],
                    per_party[(party, Kind.RETURN)],
                ]
                for party in Party
            ],
            chart_column=1,
        )
    ]
    if details:
        tables.append(
            Table(
                caption=_("Agreements per school"),
                header=[
                    _("School"),
                    _("Agreed by both sides"),
                    _("Items"),
                    _("Measured items"),
                    _("Achieved"),
                ],
                rows=per_school,
            )
        )
    return Section(
        key="reciprocity",
        title=_("Reciprocity"),
        figures=[
            Figure(_("Schools with an agreement"), len(agreements)),
            Figure(
                _("Agreed by both sides"), sum(1 for agreement in agreements if agreement.is_agreed)
            ),
            Figure(
                _("Measured items achieved"), met, _("of %(count)d measured") % {"count": measured}
            ),
        ],
        tables=tables,
        source=_(
            "The partnership agreements of this school year: what each partner contributes "
            "and gets in return, and, where the platform can count it, whether it happened."
        ),
    )


def core_sections(
    partnership: Partnership, school_year: SchoolYear, *, details: bool = True
) -> list[Section]:
    """The figures the platform already holds. ``details``: the per-school tables."""
    counts = _counts(partnership, school_year)
    return [
        _people_section(partnership, school_year, counts, details=details),
        _research_section(counts, details=details),
        _sessions_section(partnership, school_year),
        _reciprocity_section(partnership, school_year, counts, details=details),
    ]


# --- Layout: a chart beside each table that asks for one ----------------------------


@dataclass
class TableView:
    table: Table
    chart: Chart | None


@dataclass
class SectionView:
    section: Section
    tables: list[TableView]
    contributed: bool = False


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def table_chart(table: Table) -> Chart | None:
    """The bar chart of a table's chart column (a cell that is not a number, such as
    a suppressed one, draws no bar)."""
    column = table.chart_column
    if column is None or not table.rows:
        return None
    items = [(str(row[0]), _number(row[column])) for row in table.rows]
    return horizontal_bars(items)  # type: ignore[arg-type]  # floats draw as well as ints


def lay_out(sections: list[Section], *, contributed: bool = False) -> list[SectionView]:
    return [
        SectionView(
            section=s,
            tables=[TableView(t, table_chart(t)) for t in s.tables],
            contributed=contributed,
        )
        for s in sections
    ]


# --- Self-assessment and needs ------------------------------------------------------


@dataclass
class ScoredCriterion:
    criterion: Criterion
    score: CriterionScore | None

    @property
    def label(self) -> str:
        return str(Score(self.score.score).label) if self.score else ""


@dataclass
class AssessmentView:
    framework: Framework | None
    assessment: SelfAssessment | None
    criteria: list[ScoredCriterion] = field(default_factory=list)

    @property
    def scored(self) -> int:
        return sum(1 for c in self.criteria if c.score)

    @property
    def chart(self) -> Chart | None:
        if not self.scored:
            return None
        return horizontal_bars(
            [(c.criterion.title, c.score.score if c.score else 0) for c in self.criteria],
            max_value=max(Score.values),
        )


def assessment_for(partnership: Partnership, school_year: SchoolYear) -> AssessmentView:
    """The year's self-assessment with its scores, or, before the first score, the
    framework it will use (the newest one in use). Three queries at most."""
    assessment = (
        SelfAssessment.objects.filter(partnership=partnership, school_year=school_year)
        .select_related("framework")
        .first()
    )
    framework = (
        assessment.framework
        if assessment
        else Framework.objects.filter(is_active=True).order_by("-created_at", "-pk").first()
    )
    if framework is None:
        return AssessmentView(framework=None, assessment=None)
    scores = {}
    if assessment is not None:
        scores = {s.criterion_id: s for s in assessment.scores.select_related("scored_by")}
    return AssessmentView(
        framework=framework,
        assessment=assessment,
        criteria=[ScoredCriterion(c, scores.get(c.pk)) for c in framework.criteria.all()],
    )


def needs_for(partnership: Partnership, school_year: SchoolYear) -> list[SchoolNeeds]:
    return list(
        SchoolNeeds.objects.filter(school__partnership=partnership, school_year=school_year)
        .select_related("school", "filled_by")
        .order_by("school__name")
    )


def needs_table(needs: list[SchoolNeeds]) -> Table:
    """How many schools ask for each kind of support: network-level, for every reader."""
    asked = Counter(kind for n in needs for kind in n.support)
    return Table(
        caption=_("Schools asking for each kind of support next year"),
        header=[_("Kind of support"), _("Schools")],
        rows=[[str(kind.label), asked.get(kind, 0)] for kind in SupportKind],
        chart_column=1,
    )


# --- The whole review -----------------------------------------------------------------


@dataclass
class Review:
    partnership: Partnership
    school_year: SchoolYear
    audience: Audience
    sections: list[SectionView]
    assessment: AssessmentView
    needs: list[SchoolNeeds]
    needs_summary: TableView

    @property
    def details(self) -> bool:
        return self.audience == Audience.FULL


def review_for(partnership: Partnership, school_year: SchoolYear, audience: Audience) -> Review:
    details = audience == Audience.FULL
    contributed = yearly_review.sections(partnership=partnership, school_year=school_year)
    needs = needs_for(partnership, school_year)
    summary = needs_table(needs)
    return Review(
        partnership=partnership,
        school_year=school_year,
        audience=audience,
        sections=lay_out(core_sections(partnership, school_year, details=details))
        + lay_out(contributed, contributed=True),
        assessment=assessment_for(partnership, school_year),
        needs=needs if details else [],
        needs_summary=TableView(summary, table_chart(summary)),
    )


# --- The dashboard panel ----------------------------------------------------------------


@dataclass
class DashboardPanel:
    """Links to the reviews this person may read and the needs they may fill in."""

    reviews: list[tuple[SchoolYear, Partnership]]
    needs_schools: list[School]
    school_year: SchoolYear | None

    def __bool__(self) -> bool:
        return bool(self.reviews or self.needs_schools)


def dashboard_panel(
    user: AnyUser, school_year: SchoolYear | None, roles: list[RoleMembership]
) -> DashboardPanel:
    """This year's and last year's review (a reader this year reads last year's too),
    and the schools whose needs this person says. ``roles``: the person's roles this
    year, as the dashboard already holds them (with their schools), so someone who
    reads no review costs no query; a reader two."""
    from access.roles import is_network_admin

    from .permissions import NEEDS_ROLES, STAFF_ROLES, ReviewablePartnerships

    if school_year is None:
        return DashboardPanel([], [], school_year)
    needs = {m.school for m in roles if m.role in NEEDS_ROLES and m.school is not None}
    reads = is_network_admin(user) or any(
        m.role in (*STAFF_ROLES, Role.SCHOOL_LEADER) for m in roles
    )
    reviews = []
    if reads:
        visible = ReviewablePartnerships(school_year).visible_to(user)
        partnership = visible.order_by("name").first()
        earlier = SchoolYear.objects.filter(starts_on__lt=school_year.starts_on)
        previous = earlier.order_by("-starts_on").first()
        if partnership is not None:
            reviews = [(year, partnership) for year in [school_year, previous] if year is not None]
    return DashboardPanel(reviews, sorted(needs, key=lambda s: s.name), school_year)
