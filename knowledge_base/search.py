"""Search and facets of the public library (``/studies/`` and ``/api/studies/``).

PostgreSQL: the stored, GIN-indexed ``Study.search_vector`` (kept current by the
trigger of migration 0003_search) is matched with a Dutch ``websearch`` query,
ranked with ``ts_rank`` and highlighted with ``ts_headline`` on the page's rows.
All facets and the total come from one query, cached under a library version
that database triggers bump on every change. SQLite: every word must occur
(LIKE) in one of the text fields; ordered by date, not highlighted, counts stop
at ``COUNT_CAP``.

Very common words stay fast (docs/library.md, docs/performance.md):
- more than ``RANK_CANDIDATES`` matches: only the newest ones are ranked;
- more than ``FACET_EXACT_LIMIT`` matches: facet counts are estimated from a
  ``TABLESAMPLE`` of about ``FACET_SAMPLE_ROWS`` rows, and the total is exact up
  to ``COUNT_CAP``, estimated above.

Facets are disjunctive: the counts of one facet honour the search words and the
*other* facets' filters, so ticking a second theme widens the results.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from partnership.models import SchoolYear
from research_cycle.models import Perspective
from schools.models import School

from .models import Study, Theme
from .selectors import public_studies

TEXT_FIELDS = ("title", "summary", "research_question", "findings", "lessons")
SEARCH_CONFIG = "dutch"
COUNT_CAP = 1000  # default of settings.LIBRARY_COUNT_CAP
RANK_CANDIDATES = 500  # default of settings.LIBRARY_RANK_CANDIDATES
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
    ranked_newest_only: bool
    counts_are_estimates: bool
    facet_counts_sampled: bool
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


# Matches no study, yet compiles to a real boolean (an empty IN list would not,
# inside the facet query's flag columns).
NOTHING = Q(pk__isnull=True)


def _facet_filters(qs: QuerySet, params: SearchParams) -> dict[str, Q]:
    """The filter of each active facet. Theme slugs and school-year names are
    turned into ids first (one small query each, only when used), so the planner
    sees constants: a single school year then walks its own (year, date) index."""
    filters = {}
    if params.themes:
        theme_ids = list(Theme.objects.filter(slug__in=params.themes).values_list("pk", flat=True))
        # EXISTS probes the (study, theme) unique index per candidate row instead
        # of hashing every study of the theme (which grows with the library).
        through = Study.themes.through.objects.filter(
            study_id=OuterRef("pk"), theme_id__in=theme_ids
        )
        filters["theme"] = Q(Exists(through)) if theme_ids else NOTHING
    if params.levels:
        filters["level"] = Q(school_level__in=params.levels)
    if params.years:
        year_ids = SchoolYear.objects.filter(name__in=params.years).values_list("pk", flat=True)
        year_ids = list(year_ids)
        filters["year"] = Q(school_year_id__in=year_ids) if year_ids else NOTHING
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


def _facets_postgres(
    base: QuerySet, filters: dict[str, Q], params: SearchParams, *, sample_percent: float = 0
):
    """All five facets and the total in ONE query (PostgreSQL).

    The rows matching the search words are read once into a materialized CTE with
    one boolean per active facet filter; each facet then counts the CTE rows that
    pass the *other* filters. Reading the (wide) study rows once instead of six
    times is what keeps a search with a common word affordable.

    With ``sample_percent`` the CTE reads a random ``TABLESAMPLE SYSTEM`` share of
    the table's pages instead of every match, and counts are scaled up: used when
    the words match so many studies that counting them all would be slow.
    """
    flags = {
        f"flag_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in filters.items()
    }
    columns = ["pk", "school_level", "city", "school_year_id", "perspectives"]
    inner = base.order_by().annotate(**flags).values(*columns, *flags)
    inner_sql, inner_params = inner.query.sql_with_params()
    if sample_percent:
        table = f'FROM "{Study._meta.db_table}" '
        if inner_sql.count(table) != 1:  # the sample must apply to the main table only
            raise RuntimeError(f"Cannot place TABLESAMPLE in: {inner_sql}")
        inner_sql = inner_sql.replace(
            table, f"{table}TABLESAMPLE SYSTEM ({float(sample_percent)}) REPEATABLE (1) "
        )
    aliases = ["id", "school_level", "city", "school_year_id", "perspectives", *flags]

    def passing(except_facet: str | None) -> str:
        conditions = [f"m.flag_{n}" for n in filters if n != except_facet]
        return " AND ".join(conditions) or "TRUE"

    themes = Study.themes.through._meta.db_table
    theme_table = Theme._meta.db_table
    year_table = SchoolYear._meta.db_table
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT * FROM ({inner_sql}) AS s ({", ".join(aliases)})
        )
        SELECT 'total', '', '', '', count(*) FROM m WHERE {passing(None)}
        UNION ALL
        SELECT 'theme', t.slug, t.name_nl, t.name_en, count(*)
            FROM m JOIN {themes} st ON st.study_id = m.id JOIN {theme_table} t ON t.id = st.theme_id
            WHERE {passing("theme")} GROUP BY t.slug, t.name_nl, t.name_en
        UNION ALL
        SELECT 'level', m.school_level, '', '', count(*) FROM m
            WHERE {passing("level")} AND m.school_level <> '' GROUP BY m.school_level
        UNION ALL
        SELECT 'year', y.name, '', '', count(*)
            FROM m JOIN {year_table} y ON y.id = m.school_year_id
            WHERE {passing("year")} GROUP BY y.name
        UNION ALL
        SELECT 'perspective', p.value, '', '', count(*)
            FROM m CROSS JOIN LATERAL jsonb_array_elements_text(m.perspectives) AS p(value)
            WHERE {passing("perspective")} GROUP BY p.value
        UNION ALL
        SELECT 'city', m.city, '', '', count(*) FROM m
            WHERE {passing("city")} AND m.city <> '' GROUP BY m.city
    """  # noqa: S608 - table names come from model meta, values are parameters
    with connections[base.db].cursor() as cursor:
        cursor.execute(sql, inner_params)
        rows = cursor.fetchall()

    english = (get_language() or "nl")[:2] == "en"
    level_labels = dict(School.Level.choices)
    perspective_labels = dict(Perspective.choices)
    selected = {
        "theme": params.themes,
        "level": params.levels,
        "year": params.years,
        "perspective": params.perspectives,
        "city": params.cities,
    }
    total = 0
    scale = 100 / sample_percent if sample_percent else 1
    facets: dict[str, list[FacetValue]] = {name: [] for name in selected}
    for facet, value, name_nl, name_en, count in rows:
        count = _round_estimate(count * scale) if sample_percent else count
        if facet == "total":
            total = count
            continue
        if facet == "theme":
            label = name_en if english and name_en else name_nl
        elif facet == "level":
            label = str(level_labels.get(value, value))
        elif facet == "perspective":
            if value not in perspective_labels:
                continue
            label = str(perspective_labels[value])
        else:
            label = value
        facets[facet].append(FacetValue(value, label, count, value in selected[facet]))
    for facet, values in selected.items():
        # A ticked value must stay visible (to untick it) even when nothing matches.
        shown = {f.value for f in facets[facet]}
        facets[facet] += [FacetValue(v, v, 0, True) for v in values if v not in shown]
    facets["theme"].sort(key=lambda f: (-f.count, f.label))
    facets["level"].sort(key=lambda f: f.value)
    facets["year"].sort(key=lambda f: f.value, reverse=True)
    order = {value: index for index, value in enumerate(Perspective.values)}
    facets["perspective"].sort(key=lambda f: order.get(f.value, 99))
    cities = sorted(facets["city"], key=lambda f: (-f.count, f.label))
    facets["city"] = cities[:CITY_FACET_SIZE] + [f for f in cities[CITY_FACET_SIZE:] if f.selected]
    return facets, total


FACET_CACHE_SECONDS = 600
FACET_EXACT_LIMIT = 5000  # settings.LIBRARY_FACET_EXACT_LIMIT
FACET_SAMPLE_ROWS = 3000  # settings.LIBRARY_FACET_SAMPLE_ROWS


def _round_estimate(value: float) -> int:
    """Two significant digits: an estimate should not look exact."""
    if value < 100:
        return round(value)
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))


def _sample_percent(base: QuerySet) -> tuple[float, float]:
    """0 when the words match few enough studies to count them all, else the share
    of the table's pages to sample (about LIBRARY_FACET_SAMPLE_ROWS rows)."""
    exact_limit = int(getattr(settings, "LIBRARY_FACET_EXACT_LIMIT", FACET_EXACT_LIMIT))
    probe_sql, probe_params = (
        base.order_by().values("pk")[: exact_limit + 1].query.sql_with_params()
    )
    with connections[base.db].cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({probe_sql}) AS p), "  # noqa: S608
            "(SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
            [*probe_params, Study._meta.db_table],
        )
        matches, table_rows = cursor.fetchone()
    if matches <= exact_limit:
        return 0, table_rows
    rows = int(getattr(settings, "LIBRARY_FACET_SAMPLE_ROWS", FACET_SAMPLE_ROWS))
    return min(100.0, max(0.1, 100 * rows / max(table_rows, 1))), table_rows


def _library_version(db: str) -> int | None:
    """Changes (transactionally, by the triggers of migration 0003_search) whenever
    a study, its themes, a theme or a school year changes."""
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT version FROM knowledge_base_library_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _sampled_or_exact_facets(base: QuerySet, filters: dict[str, Q], params: SearchParams):
    """(facets, total, total_is_estimate, facets_are_sampled, rows in the table).
    Two queries, the
    probe and the facets; when sampling, a third recounts a total that may be
    small (the sample estimates at most twice the count cap) exactly."""
    percent, table_rows = _sample_percent(base)
    facets, total = _facets_postgres(base, filters, params, sample_percent=percent)
    if not percent:
        return facets, total, False, False, table_rows
    cap = count_cap()
    if total > 2 * cap:
        # Clearly many: "about N" from the sample, no need to count.
        return facets, total, True, True, table_rows
    exact = _without(base, filters, None).order_by()[: cap + 1].count()
    total = exact if exact <= cap else max(total, cap + 1)
    return facets, total, exact > cap, True, table_rows


def _cache_seconds() -> int:
    return int(getattr(settings, "LIBRARY_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS))


def _fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _cached_facets_postgres(
    base: QuerySet, filters: dict[str, Q], params: SearchParams, version: int | None
):
    """The facet query's answer, cached under the library version: a study that is
    published, withdrawn or edited changes the version, so a cached count is never
    stale; it only saves recounting the same search (the landing page, popular
    words) while nothing changed."""
    if version is None:
        return _sampled_or_exact_facets(base, filters, params)
    fingerprint = _fingerprint(asdict(params), get_language())
    key = f"kb:facets:v2:{version}:{fingerprint}"  # bump v2 when the cached shape changes
    cached = cache.get(key)
    if cached is None:
        cached = _sampled_or_exact_facets(base, filters, params)
        cache.set(key, cached, _cache_seconds())
    return cached


def _cached_page_rows(version: int | None, params: SearchParams, page: Page, query) -> bool:
    """Fill ``page.object_list`` with the rows of this page, in order. The ids of a
    page are cached under the library version like the facets (any change to a
    study, its themes, a theme or a school year changes the version, so the ids
    are never stale): a repeated search then reads its 20 rows by primary key
    instead of finding and ranking the candidates again. The rows themselves (and
    the highlighted snippets) are always read fresh, through ``public_studies()``."""
    if version is None:
        page.object_list = list(page.object_list)
        return False
    fingerprint = _fingerprint(asdict(params), page.number, page.paginator.per_page)
    key = f"kb:page:v1:{version}:{fingerprint}"
    ids = cache.get(key)
    if ids is None:
        page.object_list = list(page.object_list)
        cache.set(key, [study.pk for study in page.object_list], _cache_seconds())
        return False
    rows = public_studies().filter(pk__in=ids)
    if query is not None:
        rows = rows.annotate(headline=_headline(query))
    position = {pk: index for index, pk in enumerate(ids)}
    page.object_list = sorted(rows, key=lambda study: position[study.pk])
    return True


def _headline(query) -> SearchHeadline:
    return SearchHeadline(
        "summary",
        query,
        config=SEARCH_CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=40,
        min_words=20,
        max_fragments=2,
    )


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

    version = None
    if _is_postgres(base):
        version = _library_version(base.db) if _cache_seconds() else None
        facets, counted, estimated, sampled, table_rows = _cached_facets_postgres(
            base, filters, params, version
        )
        cap = counted  # exact, or an estimate above the count cap
    else:
        # Count up to COUNT_CAP + 1 rows only: SELECT count(*) over a LIMIT subquery.
        cap = count_cap()
        counted = matches.order_by()[: cap + 1].count()
        estimated = sampled = False
        table_rows = 0
        facets = _facets(base, filters, params)

    pageable = min(counted, cap)
    ranked_newest_only = False
    if query is not None and params.ranked:
        candidates = int(getattr(settings, "LIBRARY_RANK_CANDIDATES", RANK_CANDIDATES))
        if counted > candidates:
            ranked_newest_only = True
            pageable = candidates
            # A common word: rank only the newest matches. ts_rank reads every
            # ranked row's vector, which is what makes ranking everything slow.
            # Dense matches (a word in most studies): walk the published_at index
            # newest first and stop after `candidates` hits. Sparser ones: take
            # them all from the GIN index and sort; an expression the btree index
            # cannot serve keeps the planner from walking it and testing each row.
            dense = counted * 4 > table_rows
            newest_first = (
                F("published_at").desc() if dense else Coalesce("published_at", "created_at").desc()
            )
            newest = matches.order_by(newest_first, "-pk").values("pk")[:candidates]
            results = public_studies().filter(pk__in=newest)
        results = results.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", "-published_at", "-pk"
        )
    else:
        results = results.order_by("-published_at", "-pk")
    if query is not None:
        results = results.annotate(headline=_headline(query))

    paginator = KnownCountPaginator(results, per_page, count=pageable)
    page = paginator.get_page(page_number)
    _cached_page_rows(version, params, page, query)
    for study in page.object_list:
        study.snippet = highlight(study.headline) if query is not None else None
    return SearchResult(
        page=page,
        total=min(counted, cap),
        total_is_capped=counted > cap,
        counts_are_estimates=estimated,
        facet_counts_sampled=sampled,
        ranked_newest_only=ranked_newest_only,
        facets=facets,
        used_full_text=query is not None,
    )
