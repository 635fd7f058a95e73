"""Search and facets of the public library (``/studies/`` and ``/api/studies/``).

PostgreSQL: the stored, GIN-indexed ``Study.search_vector`` (kept current by the
trigger of migration 0003_search) is matched with a Dutch ``websearch`` query,
ranked with ``ts_rank`` and highlighted with ``ts_headline`` on the page's rows
only. SQLite: every word must occur (LIKE) in one of the text fields; results are
ordered by date and not highlighted.

Very common words can match most of the library. To keep those fast the number
of results is counted up to ``COUNT_CAP`` only ("more than 1,000 results"), and
relevance ranking is applied to at most ``RANK_CANDIDATES`` matches, taken newest
first (see docs/performance.md).

Facets are disjunctive: the counts of one facet honour the search words and the
*other* facets' filters, so ticking a second theme widens the results. Every
search costs the same, fixed number of SQL queries whatever the data.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from research_cycle.models import Perspective
from schools.models import School

from .models import Study
from .selectors import public_studies

TEXT_FIELDS = ("title", "summary", "research_question", "findings", "lessons")
SEARCH_CONFIG = "dutch"
COUNT_CAP = 1000  # default of settings.LIBRARY_COUNT_CAP
RANK_CANDIDATES = 1000  # default of settings.LIBRARY_RANK_CANDIDATES
CITY_FACET_SIZE = 15
PAGE_SIZE = 20
# Private-use characters mark the highlighted words; the study text is escaped
# first and only then are these turned into <mark>, so no user HTML gets through.
_START, _STOP = "\ue000", "\ue001"


@dataclass
class SearchParams:
    q: str = ""
    themes: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    perspectives: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    sort: str = "relevance"  # or "date"

    @property
    def ranked(self) -> bool:
        return bool(self.q) and self.sort != "date"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    page: Page
    total: int
    total_is_capped: bool
    facets: dict[str, list[FacetValue]]
    used_full_text: bool


class KnownCountPaginator(Paginator):
    """A paginator told its (capped) count instead of counting the queryset again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _is_postgres(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


def _perspective_q(qs: QuerySet, value: str) -> Q:
    if _is_postgres(qs):
        return Q(perspectives__contains=[value])
    # SQLite has no JSON containment; the list is stored as JSON text.
    return Q(perspectives__icontains=f'"{value}"')


def _text_filter(qs: QuerySet, q: str):
    if not q:
        return qs, None
    if _is_postgres(qs):
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        return qs.filter(search_vector=query), query
    for word in q.split()[:10]:
        condition = Q()
        for name in TEXT_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(condition)
    return qs, None


def _facet_filters(qs: QuerySet, params: SearchParams) -> dict[str, Q]:
    filters = {}
    if params.themes:
        through = Study.themes.through.objects.filter(theme__slug__in=params.themes)
        filters["theme"] = Q(pk__in=through.values("study_id"))
    if params.levels:
        filters["level"] = Q(school_level__in=params.levels)
    if params.years:
        filters["year"] = Q(school_year__name__in=params.years)
    if params.perspectives:
        condition = Q()
        for value in params.perspectives:
            condition |= _perspective_q(qs, value)
        filters["perspective"] = condition
    if params.cities:
        filters["city"] = Q(city__in=params.cities)
    return filters


def _without(qs: QuerySet, filters: dict[str, Q], facet: str | None) -> QuerySet:
    for name, condition in filters.items():
        if name != facet:
            qs = qs.filter(condition)
    return qs


def _facets(base: QuerySet, filters: dict[str, Q], params: SearchParams):
    """One query per facet (five in all)."""
    from django.utils.translation import get_language

    english = (get_language() or "nl")[:2] == "en"
    facets: dict[str, list[FacetValue]] = {}

    rows = (
        _without(base, filters, "theme")
        .filter(themes__isnull=False)
        .values("themes__slug", "themes__name_nl", "themes__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "themes__name_nl")
    )
    facets["theme"] = [
        FacetValue(
            r["themes__slug"],
            (r["themes__name_en"] if english and r["themes__name_en"] else r["themes__name_nl"]),
            r["n"],
            r["themes__slug"] in params.themes,
        )
        for r in rows
    ]

    level_labels = dict(School.Level.choices)
    rows = (
        _without(base, filters, "level")
        .exclude(school_level="")
        .values("school_level")
        .annotate(n=Count("pk"))
        .order_by("school_level")
    )
    facets["level"] = [
        FacetValue(
            r["school_level"],
            str(level_labels.get(r["school_level"], r["school_level"])),
            r["n"],
            r["school_level"] in params.levels,
        )
        for r in rows
    ]

    rows = (
        _without(base, filters, "year")
        .values("school_year__name")
        .annotate(n=Count("pk"))
        .order_by("-school_year__name")
    )
    facets["year"] = [
        FacetValue(
            r["school_year__name"],
            r["school_year__name"],
            r["n"],
            r["school_year__name"] in params.years,
        )
        for r in rows
    ]

    counts = _without(base, filters, "perspective").aggregate(
        **{value: Count("pk", filter=_perspective_q(base, value)) for value in Perspective.values}
    )
    facets["perspective"] = [
        FacetValue(value, str(label), counts[value], value in params.perspectives)
        for value, label in Perspective.choices
        if counts[value] or value in params.perspectives
    ]

    rows = list(
        _without(base, filters, "city")
        .exclude(city="")
        .values("city")
        .annotate(n=Count("pk"))
        .order_by("-n", "city")[: CITY_FACET_SIZE + len(params.cities)]
    )
    shown = rows[:CITY_FACET_SIZE] + [
        r for r in rows[CITY_FACET_SIZE:] if r["city"] in params.cities
    ]
    facets["city"] = [
        FacetValue(r["city"], r["city"], r["n"], r["city"] in params.cities)
        for r in sorted(shown, key=lambda r: (-r["n"], r["city"]))
    ]
    return facets


def highlight(text: str) -> SafeString:
    """Escape the study text, then turn the headline markers into <mark>."""
    return mark_safe(  # noqa: S308 - the text is escaped first
        escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def count_cap() -> int:
    return int(getattr(settings, "LIBRARY_COUNT_CAP", COUNT_CAP))


def search_studies(
    params: SearchParams, *, page_number=1, per_page: int = PAGE_SIZE
) -> SearchResult:
    """Published studies matching ``params``: one page, the (capped) total and the
    facet counts, in a fixed number of queries."""
    base, query = _text_filter(public_studies(), params.q)
    filters = _facet_filters(base, params)
    matches = _without(base, filters, None)
    results = matches

    if query is not None and params.ranked:
        # Rank only the newest RANK_CANDIDATES matches: ts_rank reads each row's
        # vector, which is what makes very common words slow.
        candidates = matches.order_by("-published_at", "-pk").values("pk")[
            : int(getattr(settings, "LIBRARY_RANK_CANDIDATES", RANK_CANDIDATES))
        ]
        results = (
            public_studies()
            .filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-pk")
        )
    else:
        results = results.order_by("-published_at", "-pk")
    if query is not None:
        results = results.annotate(
            headline=SearchHeadline(
                "summary",
                query,
                config=SEARCH_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
            )
        )

    # Count up to COUNT_CAP + 1 rows only: SELECT count(*) over a LIMIT subquery.
    cap = count_cap()
    counted = matches[: cap + 1].count()
    paginator = KnownCountPaginator(results, per_page, count=min(counted, cap))
    page = paginator.get_page(page_number)
    for study in page.object_list:
        study.snippet = highlight(study.headline) if query is not None else None
    return SearchResult(
        page=page,
        total=paginator.count,
        total_is_capped=counted > cap,
        facets=_facets(base, filters, params),
        used_full_text=query is not None,
    )
