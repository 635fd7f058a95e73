"""Results of the questionnaire rounds at one level (a school, a learning
community, the network), computed in the database over complete batches only.

Three queries, whatever the number of schools, rounds and respondents: the rounds
(with their invitation counts), the subscales, and the scores summed per round and
subscale (count, sum, sum of squares). Higher levels add those sums up, which gives
the exact mean and standard deviation of all their respondents.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext as _

from access.roles import is_network_admin
from accounts.models import User
from config.kept_query import kept_list
from partnership.models import LearningCommunity, Partnership, SchoolYear
from schools.models import RoleMembership, School

from .models import MIN_RESPONDENTS, MOMENT_ORDER, Instrument, Moment, Round, Score, Subscale
from .permissions import (
    communities_with_results_for,
    partnerships_with_results_for,
    result_communities,
    result_partnerships,
    result_schools,
    schools_with_results_for,
)


@dataclass
class Sums:
    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, n: int, total: float, squares: float) -> None:
        self.n += n
        self.total += total
        self.squares += squares

    @property
    def mean(self) -> float:
        return self.total / self.n

    @property
    def sd(self) -> float | None:
        """Sample standard deviation (None for one respondent, which never shows)."""
        if self.n < 2:
            return None
        variance = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(variance, 0.0))


@dataclass
class SubscaleResult:
    subscale: Subscale
    mean: float | None
    sd: float | None
    change: float | None = None


@dataclass
class PeriodResult:
    """The results of one moment of one school year with one instrument, at one
    level: all the rounds of that level's schools then."""

    school_year: SchoolYear
    moment: str
    instrument: Instrument
    invited: int = 0
    answered: int = 0
    #: Answers in complete batches: what the means are computed from.
    counted: int = 0
    open_rounds: int = 0
    school_ids: set[int] = field(default_factory=set)
    subscales: list[SubscaleResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.counted >= MIN_RESPONDENTS

    @property
    def moment_label(self) -> str:
        return str(Moment(self.moment).label)

    @property
    def label(self) -> str:
        return f"{self.moment_label} {self.school_year.name}"

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def sort_key(self) -> tuple:
        return (self.instrument.pk, self.school_year.starts_on, MOMENT_ORDER[self.moment])


def period_results(rounds: QuerySet[Round]) -> list[PeriodResult]:
    """The results per period of these rounds taken together, oldest first, with the
    change since the previous period shown (same instrument)."""
    found = list(
        rounds.select_related("school_year", "instrument").annotate(
            invited=Count("invitations", distinct=True)
        )
    )
    if not found:
        return []
    subscales: dict[int, list[Subscale]] = defaultdict(list)
    for subscale in Subscale.objects.filter(instrument__in={r.instrument_id for r in found}):
        subscales[subscale.instrument_id].append(subscale)
    sums: dict[tuple[int, int], Sums] = {}
    counted_scores = (
        Score.objects.filter(
            response__round__in=rounds.values("pk"),
            # Complete batches only (see the package docstring).
            response__batch__lt=F("response__round__response_count") / MIN_RESPONDENTS,
        )
        .values("response__round", "subscale")
        .annotate(n=Count("pk"), total=Sum("value"), squares=Sum(F("value") * F("value")))
        .order_by()
    )
    for row in counted_scores:
        sums[row["response__round"], row["subscale"]] = Sums(row["n"], row["total"], row["squares"])

    periods: dict[tuple[int, int, str], PeriodResult] = {}
    period_sums: dict[tuple[int, int, str], dict[int, Sums]] = defaultdict(
        lambda: defaultdict(Sums)
    )
    for one in found:
        key = (one.instrument_id, one.school_year_id, one.moment)
        period = periods.get(key)
        if period is None:
            period = periods[key] = PeriodResult(one.school_year, one.moment, one.instrument)
        period.invited += one.invited
        period.answered += one.response_count
        period.counted += one.counted
        period.open_rounds += one.is_open
        period.school_ids.add(one.school_id)
        for subscale in subscales[one.instrument_id]:
            part = sums.get((one.pk, subscale.pk))
            if part is not None:
                period_sums[key][subscale.pk].add(part.n, part.total, part.squares)

    ordered = sorted(periods.values(), key=lambda p: p.sort_key)
    previous: dict[int, dict[int, float]] = {}
    for period in ordered:
        key = (period.instrument.pk, period.school_year.pk, period.moment)
        means = previous.setdefault(period.instrument.pk, {})
        for subscale in subscales[period.instrument.pk]:
            part = period_sums[key].get(subscale.pk)
            if not period.shown or part is None or part.n == 0:
                period.subscales.append(SubscaleResult(subscale, None, None))
                continue
            mean = part.mean
            change = mean - means[subscale.pk] if subscale.pk in means else None
            period.subscales.append(SubscaleResult(subscale, mean, part.sd, change))
            means[subscale.pk] = mean
    return ordered


def school_rounds(school: School) -> QuerySet[Round]:
    return Round.objects.filter(school=school)


def community_rounds(community: LearningCommunity) -> QuerySet[Round]:
    """The rounds of the community's schools in the community's school year."""
    return Round.objects.filter(
        school__learning_community_memberships__community=community,
        school_year=community.school_year_id,
    )


def network_rounds(partnership: Partnership) -> QuerySet[Round]:
    return Round.objects.filter(school__partnership=partnership)


def csv_rows(periods: Iterable[PeriodResult]) -> tuple[list[str], list[list[object]]]:
    """The results as a table: one row per period and subscale; suppressed figures
    are empty with the reason in the last column."""
    header = [
        _("School year"),
        _("Round"),
        _("Questionnaire"),
        _("Invited"),
        _("Answered"),
        _("Response rate (%)"),
        _("Answers counted"),
        _("Subscale"),
        _("Mean"),
        _("Standard deviation"),
        _("Change since the previous round"),
        _("Note"),
    ]
    rows: list[list[object]] = []
    for period in periods:
        rate = period.response_rate
        note = "" if period.shown else suppression_note()
        for result in period.subscales:
            rows.append(
                [
                    period.school_year.name,
                    period.moment_label,
                    period.instrument.name,
                    period.invited,
                    period.answered,
                    _rounded(rate * 100 if rate is not None else None, 0),
                    period.counted,
                    result.subscale.name,
                    _rounded(result.mean),
                    _rounded(result.sd),
                    _rounded(result.change),
                    note,
                ]
            )
    return header, rows


def as_json(level: str, name: str, periods: Iterable[PeriodResult]) -> dict[str, object]:
    """The results for the JSON endpoint: the same figures, the same suppression."""
    return {
        "level": level,
        "name": name,
        "minimum_respondents": MIN_RESPONDENTS,
        "rounds": [
            {
                "school_year": period.school_year.name,
                "moment": period.moment,
                "instrument": period.instrument.name,
                "invited": period.invited,
                "answered": period.answered,
                "counted": period.counted,
                "suppressed": not period.shown,
                "subscales": [
                    {
                        "subscale": result.subscale.name,
                        "mean": _rounded(result.mean),
                        "sd": _rounded(result.sd),
                        "change": _rounded(result.change),
                    }
                    for result in period.subscales
                ],
            }
            for period in periods
        ],
    }


def suppression_note() -> str:
    return _("Not shown: fewer than %(min)d answers counted.") % {"min": MIN_RESPONDENTS}


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


#: The learning communities on the monitoring page: this year's first.
COMMUNITY_ORDER = ("-school_year__starts_on", "name")


@dataclass
class Landing:
    """What the monitoring page lists: the schools, learning communities and
    partnerships whose results this person may see, the current school year and
    their roles in it (for the retention and review panels)."""

    schools: list[School]
    communities: list[LearningCommunity]
    partnerships: list[Partnership]
    school_year: SchoolYear | None
    roles: list[RoleMembership]


def landing(user: User) -> Landing:
    """The monitoring page's lists, each rule as in ``permissions`` (a network admin
    sees everything); for everyone else read with SQL compiled once per process
    (``config.kept_query``)."""
    if is_network_admin(user):
        schools = list(result_schools(user).order_by("name"))
        communities = list(result_communities(user).order_by(*COMMUNITY_ORDER))
        partnerships = list(result_partnerships(user))
    else:
        schools = kept_list("monitoring.schools", _schools, user=user.pk)
        communities = kept_list("monitoring.communities", _communities, user=user.pk)
        partnerships = kept_list(
            "monitoring.partnerships", partnerships_with_results_for, user=user.pk
        )
    roles = kept_list("monitoring.roles", _roles_this_year, user=user.pk)
    school_year = roles[0].school_year if roles else SchoolYear.objects.current()
    return Landing(schools, communities, partnerships, school_year, roles)


def _schools(*, user: int) -> QuerySet[School]:
    return schools_with_results_for(user=user).order_by("name")


def _communities(*, user: int) -> QuerySet[LearningCommunity]:
    return communities_with_results_for(user=user).order_by(*COMMUNITY_ORDER)


def _roles_this_year(*, user: int) -> QuerySet[RoleMembership]:
    return RoleMembership.objects.filter(user=user, school_year__is_current=True).select_related(
        "school", "school_year"
    )
