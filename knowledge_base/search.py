"""Search and facets of the public library (``/studies/`` and ``/api/studies/``).

PostgreSQL: searches read the narrow search index ``SearchEntry`` (one row per
published study: the stored, GIN-indexed Dutch search vector plus the facet values,
kept current by the triggers of migration 0004_search_entry). The words are
matched with a ``websearch`` query, ranked with ``ts_rank`` and highlighted with
``ts_headline`` on the page's rows only. SQLite: every word must occur (LIKE) in
one of the text fields; ordered by date, not highlighted, counts stop at
``COUNT_CAP``.

A search on PostgreSQL costs a fixed number of queries (docs/library.md,
docs/performance.md):
1. the planner's estimate of how many studies the words match (``EXPLAIN``);
2. few enough (``FACET_EXACT_LIMIT``): ONE query reads the matches once and
   returns the total, every facet's counts and the ids of the page;
   more: the facet counts are estimated from a ``TABLESAMPLE`` of about
   ``FACET_SAMPLE_ROWS`` rows and a second query finds the page (ranking only the
   ``RANK_CANDIDATES`` newest matches); a small sampled total is recounted exactly;
3. the page's 20 studies by primary key, with highlighted snippets, and their
   themes.
The facet counts and the page ids are cached under a library version that the
database bumps, in the same transaction, on every change that a search could show.

Facets are disjunctive: the counts of one facet honour the search words and the
*other* facets' filters, so ticking a second theme widens the results.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.pagination import requested_page
from partnership.models import SchoolYear
from research_cycle.models import Perspective

from .models import SearchEntry, Study, Theme, school_level_label
from .selectors import CardTheme, library_cards

TEXT_FIELDS = ("title", "summary", "research_question", "findings", "lessons")
SEARCH_CONFIG = "dutch"
COUNT_CAP = 1000  # default of settings.LIBRARY_COUNT_CAP
RANK_CANDIDATES = 500  # default of settings.LIBRARY_RANK_CANDIDATES
FACET_CACHE_SECONDS = 600  # settings.LIBRARY_FACET_CACHE_SECONDS (0: no cache)
FACET_EXACT_LIMIT = 5000  # settings.LIBRARY_FACET_EXACT_LIMIT
FACET_SAMPLE_ROWS = 3000  # settings.LIBRARY_FACET_SAMPLE_ROWS
# The page query's date window (see _Search.page_ids): shares of the results whose
# publication date the sample reports, and how many times the rows a page needs
# the window should hold.
WINDOW_FRACTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.35)
WINDOW_SAFETY = 2.5
CITY_FACET_SIZE = 15
PAGE_SIZE = 20
FACET_NAMES = ("theme", "level", "year", "perspective", "city")
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

    def selected(self) -> dict[str, list[str]]:
        return {
            "theme": self.themes,
            "level": self.levels,
            "year": self.years,
            "perspective": self.perspectives,
            "city": self.cities,
        }


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


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def count_cap() -> int:
    return _setting("LIBRARY_COUNT_CAP", COUNT_CAP)


def _round_estimate(value: float) -> int:
    """Two significant digits: an estimate should not look exact."""
    if value < 100:
        return round(value)
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))


def _headline(query: SearchQuery) -> SearchHeadline:
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


def _sorted_facets(found: dict[str, list[FacetValue]], params: SearchParams):
    """Order each facet; a ticked value stays visible (to untick it) even when
    nothing matches it any more."""
    for name, values in params.selected().items():
        shown = {f.value for f in found[name]}
        found[name] += [FacetValue(v, v, 0, True) for v in values if v not in shown]
    found["theme"].sort(key=lambda f: (-f.count, f.label))
    found["level"].sort(key=lambda f: f.value)
    found["year"].sort(key=lambda f: f.value, reverse=True)
    order = {value: index for index, value in enumerate(Perspective.values)}
    found["perspective"].sort(key=lambda f: order.get(f.value, 99))
    cities = sorted(found["city"], key=lambda f: (-f.count, f.label))
    found["city"] = cities[:CITY_FACET_SIZE] + [f for f in cities[CITY_FACET_SIZE:] if f.selected]
    return found


def _facet_value(name: str, value: str, name_nl: str, name_en: str, count: int, params):
    """A FacetValue with the label in the reader's language (None: not shown)."""
    if name == "theme":
        label = CardTheme(None, value, name_nl, name_en).name
    elif name == "level":
        label = school_level_label(value)
    elif name == "perspective":
        labels = dict(Perspective.choices)
        if value not in labels:
            return None
        label = str(labels[value])
    else:
        label = value
    return FacetValue(value, label, count, value in params.selected()[name])


# --- PostgreSQL: the search index ---------------------------------------------------

ENTRY = SearchEntry._meta.db_table
TSQUERY = "websearch_to_tsquery('pg_catalog.dutch', %s)"


@dataclass
class _Sql:
    sql: str
    params: list


class _Search:
    """One library search on PostgreSQL (see the module's docstring)."""

    def __init__(self, params: SearchParams, db: str):
        self.params = params
        self.db = db
        self.text = _Sql(f"e.search_vector @@ {TSQUERY}", [params.q]) if params.q else None
        self.filters: dict[str, _Sql] = {}
        self.table_rows = 0
        self.newest: list[tuple[float, datetime.datetime]] | None = None

    def cursor(self):
        return connections[self.db].cursor()

    # Step 1: the prelude ------------------------------------------------------------

    def prelude(self, *, version: bool) -> int | None:
        """ONE small query for what every search needs first: the library version
        (which keys the caches), the planner's row count of the index (which sizes
        the sample) and the ids of the chosen themes and school years (so the
        planner sees constants). Returns the version."""
        p = self.params
        sql = [
            f"SELECT 'rows', greatest(reltuples, 0)::bigint FROM pg_class "  # noqa: S608
            f"WHERE oid = '{ENTRY}'::regclass"
        ]
        params = []
        if version:
            sql.append("SELECT 'version', version FROM knowledge_base_library_version WHERE id = 1")
        themes, years = Theme._meta.db_table, SchoolYear._meta.db_table
        if p.themes:
            sql.append(f"SELECT 'theme', id FROM {themes} WHERE slug = ANY(%s::text[])")  # noqa: S608
            params.append(p.themes)
        if p.years:
            sql.append(f"SELECT 'year', id FROM {years} WHERE name = ANY(%s::text[])")  # noqa: S608
            params.append(p.years)
        found = {"theme": [], "year": [], "version": [None], "rows": [0]}
        with self.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql), params)
            for kind, value in cursor.fetchall():
                found[kind] = [value] if kind in ("version", "rows") else [*found[kind], value]
        self.table_rows = found["rows"][0]
        filters = {}
        if p.themes:
            filters["theme"] = _Sql("e.theme_ids && %s::bigint[]", [found["theme"]])
        if p.levels:
            filters["level"] = _Sql("e.school_level = ANY(%s::text[])", [p.levels])
        if p.years:
            filters["year"] = _Sql("e.school_year_id = ANY(%s::bigint[])", [found["year"]])
        if p.perspectives:
            filters["perspective"] = _Sql("e.perspectives && %s::text[]", [p.perspectives])
        if p.cities:
            filters["city"] = _Sql("e.city = ANY(%s::text[])", [p.cities])
        self.filters = filters
        return found["version"][0]

    def where(self, *, text: bool = True, facets: bool = True) -> _Sql:
        parts = ([self.text] if text and self.text else []) + (
            list(self.filters.values()) if facets else []
        )
        if not parts:
            return _Sql("TRUE", [])
        return _Sql(" AND ".join(part.sql for part in parts), [v for p in parts for v in p.params])

    def passing(self, except_facet: str | None = None) -> str:
        """In the facet query's CTE ``m``: the row passes every active facet filter
        (but ``except_facet``'s)."""
        return " AND ".join(f"m.f_{n}" for n in self.filters if n != except_facet) or "TRUE"

    def order(self, alias: str = "e") -> str:
        return f"{alias}.published_at DESC, {alias}.study_id DESC"

    # Step 2: facets, total and (when counting exactly) the page ----------------------

    def facet_sql(self, source: str, *, limit: int | None = None) -> _Sql:
        """The facet query: the rows matching the words are read ONCE into a
        materialized CTE with a boolean per active facet filter; each facet then
        counts the rows that pass the *other* filters."""
        flags = self.filters
        flag_columns = "".join(f", ({c.sql}) AS f_{name}" for name, c in flags.items())
        where = self.where(facets=False)
        passing = self.passing

        sql = f"""
            WITH m AS MATERIALIZED (
                SELECT e.study_id AS id, e.published_at, e.school_level, e.city,
                       e.school_year_id, e.theme_ids, e.perspectives{flag_columns}
                FROM {source} WHERE {where.sql} {f"LIMIT {int(limit)}" if limit else ""}
            )
            SELECT 'total', '', '', '', count(*) FROM m WHERE {passing()}
            UNION ALL
            SELECT 'rows', '', '', '', count(*) FROM m
            UNION ALL
            SELECT 'theme', t.slug, t.name_nl, t.name_en, c.n FROM (
                SELECT u.theme_id, count(*) AS n
                FROM m CROSS JOIN unnest(m.theme_ids) AS u(theme_id)
                WHERE {passing("theme")} GROUP BY u.theme_id
            ) c JOIN {Theme._meta.db_table} t ON t.id = c.theme_id
            UNION ALL
            SELECT 'level', m.school_level, '', '', count(*) FROM m
                WHERE {passing("level")} AND m.school_level <> '' GROUP BY m.school_level
            UNION ALL
            SELECT 'year', y.name, '', '', c.n FROM (
                SELECT m.school_year_id, count(*) AS n FROM m
                WHERE {passing("year")} GROUP BY m.school_year_id
            ) c JOIN {SchoolYear._meta.db_table} y ON y.id = c.school_year_id
            UNION ALL
            SELECT 'perspective', p.value, '', '', count(*)
                FROM m CROSS JOIN unnest(m.perspectives) AS p(value)
                WHERE {passing("perspective")} GROUP BY p.value
            UNION ALL
            SELECT 'city', m.city, '', '', count(*) FROM m
                WHERE {passing("city")} AND m.city <> '' GROUP BY m.city
        """  # noqa: S608 - names come from model meta, values are parameters
        params = [v for c in flags.values() for v in c.params] + where.params
        return _Sql(sql, params)

    def page_branch(self, offset: int, per_page: int, candidates: int) -> _Sql:
        """The page's ids from the facet query's CTE (exact path), numbered."""
        everything = self.passing()
        if self.params.ranked:
            # Rank the newest matches only (all of them when there are few).
            return _Sql(
                f"""
                UNION ALL (
                    SELECT 'page', e.study_id::text, '', '', row_number() OVER (
                        ORDER BY ts_rank(e.search_vector, {TSQUERY}) DESC, {self.order()})
                    FROM (SELECT m.id FROM m WHERE {everything}
                          ORDER BY m.published_at DESC, m.id DESC LIMIT {int(candidates)}) c
                    JOIN {ENTRY} e ON e.study_id = c.id
                    ORDER BY 5 LIMIT {int(per_page)} OFFSET {int(offset)}
                )""",  # noqa: S608
                [self.params.q],
            )
        return _Sql(
            f"""
            UNION ALL (
                SELECT 'page', m.id::text, '', '', row_number() OVER (
                    ORDER BY m.published_at DESC, m.id DESC)
                FROM m WHERE {everything}
                ORDER BY 5 LIMIT {int(per_page)} OFFSET {int(offset)}
            )""",  # noqa: S608
            [],
        )

    def run_facets(self, sql: _Sql, *, scale: float = 1):
        """(facets, total, rows read, page ids) from the facet query's answer."""
        with self.cursor() as cursor:
            cursor.execute(sql.sql, sql.params)
            rows = cursor.fetchall()
        found: dict[str, list[FacetValue]] = {name: [] for name in FACET_NAMES}
        total = read = 0
        page: list[tuple[int, int]] = []
        self.newest = None
        for facet, value, name_nl, name_en, count in rows:
            if facet == "page":
                page.append((count, int(value)))
                continue
            if facet == "newest":
                dates = [datetime.datetime.fromisoformat(v) for v in json.loads(value or "[]")]
                self.newest = list(zip(WINDOW_FRACTIONS, dates, strict=False)) or None
                continue
            count = _round_estimate(count * scale) if scale != 1 else count
            if facet == "total":
                total = count
            elif facet == "rows":
                read = count
            elif item := _facet_value(facet, value, name_nl, name_en, count, self.params):
                found[facet].append(item)
        ids = [pk for _, pk in sorted(page)]
        return _sorted_facets(found, self.params), total, read, ids

    def sample_percent(self) -> float:
        """The share of the index's pages that holds about FACET_SAMPLE_ROWS rows."""
        rows = _setting("LIBRARY_FACET_SAMPLE_ROWS", FACET_SAMPLE_ROWS)
        return min(100.0, max(0.1, 100 * rows / max(self.table_rows, 1)))

    def sampled_facets(self, percent: float):
        """Facet counts and total estimated from a random share of the index's pages
        (``TABLESAMPLE SYSTEM``), scaled up; how many studies the words match,
        estimated the same way; and the publication dates that the newest
        ``WINDOW_FRACTIONS`` of the sampled results are younger than (for the page
        query's date window)."""
        source = f"{ENTRY} e TABLESAMPLE SYSTEM ({float(percent)}) REPEATABLE (1)"
        sql = self.facet_sql(source)
        newest = f"""
            UNION ALL
            SELECT 'newest', to_json(percentile_disc(%s::float8[]) WITHIN GROUP (
                ORDER BY m.published_at DESC))::text, '', '', 0
            FROM m WHERE {self.passing()}"""  # noqa: S608
        sql = _Sql(sql.sql + newest, [*sql.params, list(WINDOW_FRACTIONS)])
        facets, total, read, _ = self.run_facets(sql, scale=100 / percent)
        return facets, total, read, self.newest

    def exact_count(self, cap: int) -> int:
        where = self.where()
        with self.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {ENTRY} e WHERE {where.sql} "  # noqa: S608
                f"LIMIT {int(cap) + 1}) AS x",
                where.params,
            )
            return cursor.fetchone()[0]

    # Step 2b: the page, when the facet query did not give it -------------------------

    def page_ids(
        self,
        offset: int,
        per_page: int,
        candidates: int,
        total: int,
        *,
        count: bool = False,
        newest: list[tuple[float, datetime.datetime]] | None = None,
    ) -> tuple[list[int], int | None]:
        """The ids of one page, when the facet query did not give them; and, with
        ``count``, the exact number of results when that comes for free (None when
        it does not).

        Results that are more than a quarter of the index (a very common word, the
        landing page) are found by walking the date index newest first, which stops
        after a page (or the rank candidates). Sparser ones are all taken from the
        indexes first (a materialized CTE keeps the planner from walking the date
        index and testing row after row, which is slow when the matches are old);
        counting them then costs nothing more.

        ``newest`` (from the sample: fractions of the results and the publication
        date each is younger than) narrows a sparse page to a *date window* that
        should hold a few times the rows the page needs, so the heap is read for
        those only. The window is checked: when it holds fewer, the query runs
        again without it, so the page is always exactly the newest results."""
        ranked = self.params.ranked
        needed = candidates if ranked else offset + per_page
        dense = total * 4 > self.table_rows
        window = None
        if newest and not dense and not count:
            share = WINDOW_SAFETY * needed / max(total, 1)
            window = next((date for fraction, date in newest if fraction >= share), None)
        ids, exact = self._page_query(offset, per_page, candidates, dense, count, window)
        if window is not None and (exact is None or exact < needed):
            ids, exact = self._page_query(offset, per_page, candidates, dense, count, None)
        return ids, exact if count else None

    def _page_query(self, offset, per_page, candidates, dense, count, window):
        where = self.where()
        if window is not None:
            where = _Sql(where.sql + " AND e.published_at >= %s", [*where.params, window])
        ranked = self.params.ranked
        limit, skip = (candidates, 0) if ranked else (per_page, offset)
        newest = f"ORDER BY {self.order()} LIMIT {int(limit)} OFFSET {int(skip)}"
        if dense:
            ctes = (
                f"c AS (SELECT e.study_id, e.published_at FROM {ENTRY} e "  # noqa: S608
                f"WHERE {where.sql} {newest})"
            )
        else:
            ctes = f"""
                all_matches AS MATERIALIZED (
                    SELECT e.study_id, e.published_at FROM {ENTRY} e WHERE {where.sql}
                ),
                c AS (SELECT * FROM all_matches e {newest})
            """  # noqa: S608
        params = list(where.params)
        if ranked:
            # Rank only the newest matches (ts_rank reads the vector of every row it
            # ranks): all of them when there are few.
            page = f"""
                SELECT e.study_id, row_number() OVER (
                    ORDER BY ts_rank(e.search_vector, {TSQUERY}) DESC, {self.order()})
                FROM c JOIN {ENTRY} e ON e.study_id = c.study_id
                ORDER BY 2 LIMIT {int(per_page)} OFFSET {int(offset)}
            """  # noqa: S608
            params.append(self.params.q)
        else:
            page = f"SELECT e.study_id, row_number() OVER (ORDER BY {self.order()}) FROM c e"  # noqa: S608
        counted = (count or window is not None) and not dense
        sql = f"WITH {ctes} ({page})"
        if counted:
            sql += " UNION ALL SELECT NULL, count(*) FROM all_matches"
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        ranked_rows = sorted((row for row in rows if row[0] is not None), key=lambda row: row[1])
        exact = next((n for pk, n in rows if pk is None), None) if counted else None
        return [pk for pk, _ in ranked_rows], exact


def _cache_seconds() -> int:
    return _setting("LIBRARY_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)


def _fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass
class _Counts:
    facets: dict[str, list[FacetValue]]
    total: int
    estimated: bool  # the total is an estimate ("about N")
    sampled: bool  # the facet counts are estimates
    recount: bool = False  # a small estimated total, still to be counted exactly
    newest: list[tuple[float, datetime.datetime]] | None = None  # the page's date window

    def recounted(self, exact: int, cap: int) -> "_Counts":
        if exact <= cap:
            return _Counts(self.facets, exact, False, self.sampled, newest=self.newest)
        return _Counts(
            self.facets, max(self.total, cap + 1), True, self.sampled, newest=self.newest
        )


def _count(search: _Search, cap: int, page: tuple[int, int, int] | None):
    """The facet counts and total, and the ids of the page when they came with them.

    A library no bigger than the sample is counted exactly in one query, page
    included. A bigger one is sampled first; when the sample says the words match
    few enough studies, they are counted exactly after all (one query, page
    included; a LIMIT bounds it should the sample have been wrong). Otherwise the
    sample's estimates stand, and a small total is to be recounted exactly."""
    exact_limit = _setting("LIBRARY_FACET_EXACT_LIMIT", FACET_EXACT_LIMIT)
    percent = search.sample_percent()
    if percent < 100:
        facets, total, matches, newest = search.sampled_facets(percent)
        sampled = _Counts(facets, total, True, True, recount=total <= 2 * cap, newest=newest)
        if matches > exact_limit:
            return sampled, None
    # The whole library is no bigger than the sample (no LIMIT then), or the
    # sample says the words match few studies.
    sql = search.facet_sql(f"{ENTRY} e", limit=exact_limit + 1 if percent < 100 else None)
    if page:
        branch = search.page_branch(*page)
        sql = _Sql(sql.sql + branch.sql, sql.params + branch.params)
    facets, total, matches, ids = search.run_facets(sql)
    if percent < 100 and matches > exact_limit:
        return sampled, None  # the sample was wrong after all
    return _Counts(facets, total, False, False), (ids if page else None)


def _search_postgres(params: SearchParams, page_number, per_page: int) -> SearchResult:
    search = _Search(params, Study.objects.db)
    cap = count_cap()
    candidates = _setting("LIBRARY_RANK_CANDIDATES", RANK_CANDIDATES)
    requested = requested_page(page_number)
    offset = (requested - 1) * per_page

    # Cached under the library version: a study that is published, withdrawn or
    # edited changes the version, so a cached count or page is never stale.
    seconds = _cache_seconds()
    version = search.prelude(version=bool(seconds))
    facets_key = page_key = None
    cached = {}
    if version is not None:
        facets_key = f"kb:facets:v3:{version}:{_fingerprint(asdict(params), get_language())}"
        page_key = f"kb:page:v2:{version}:{_fingerprint(asdict(params), requested, per_page)}"
        cached = cache.get_many([facets_key, page_key])

    ids = cached.get(page_key)
    if facets_key in cached:
        counts = cached[facets_key]
    else:
        counts, exact_ids = _count(
            search, cap, page=None if ids else (offset, per_page, candidates)
        )
        if ids is None and exact_ids is not None and (exact_ids or requested == 1):
            ids = exact_ids
        if counts.recount:
            # Few results: the page query counts them for free when it takes them
            # all from the indexes; else one small count.
            page_ids, exact = search.page_ids(
                offset, per_page, candidates, counts.total, count=True
            )
            ids = page_ids if ids is None else ids
            if exact is None:
                exact = search.exact_count(cap)
            counts = counts.recounted(exact, cap)
        if facets_key:
            cache.set(facets_key, counts, seconds)
    total, estimated, sampled = counts.total, counts.estimated, counts.sampled
    facets = counts.facets

    # Exact counts are shown as they are; estimates say "about".
    pageable = total
    ranked_newest_only = params.ranked and total > candidates
    if ranked_newest_only:
        pageable = candidates
    paginator = KnownCountPaginator([], per_page, count=pageable)
    number = paginator.get_page(requested).number
    if number != requested:
        ids = None  # asked for a page past the end: show the last one
    if ids is None:
        ids, _ = search.page_ids(
            (number - 1) * per_page, per_page, candidates, total, newest=counts.newest
        )
        if page_key and number == requested:
            cache.set(page_key, ids, seconds)
    elif page_key and page_key not in cached:
        cache.set(page_key, ids, seconds)

    headline = None
    if params.q:
        headline = _headline(SearchQuery(params.q, config=SEARCH_CONFIG, search_type="websearch"))
    studies = library_cards(ids, headline=headline)
    for study in studies:
        study.snippet = highlight(study.headline) if params.q else None
    return SearchResult(
        page=Page(studies, number, paginator),
        total=total,
        total_is_capped=False,
        counts_are_estimates=estimated,
        facet_counts_sampled=sampled,
        ranked_newest_only=ranked_newest_only,
        facets=facets,
        used_full_text=bool(params.q),
    )


# --- SQLite: a simple fallback ------------------------------------------------------


def _sqlite_filters(params: SearchParams) -> dict[str, Q]:
    filters = {}
    if params.themes:
        filters["theme"] = Q(themes__slug__in=params.themes)
    if params.levels:
        filters["level"] = Q(school_level__in=params.levels)
    if params.years:
        filters["year"] = Q(school_year__name__in=params.years)
    if params.perspectives:
        condition = Q()
        for value in params.perspectives:
            # No JSON containment on SQLite; the list is stored as JSON text.
            condition |= Q(perspectives__icontains=f'"{value}"')
        filters["perspective"] = condition
    if params.cities:
        filters["city"] = Q(city__in=params.cities)
    return filters


def _sqlite_matches(params: SearchParams, filters: dict[str, Q], except_facet=None) -> QuerySet:
    qs = Study.objects.published()
    for word in params.q.split()[:10]:
        condition = Q()
        for name in TEXT_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(condition)
    for name, condition in filters.items():
        if name != except_facet:
            # A subquery per filter, so a theme filter never multiplies rows.
            qs = qs.filter(pk__in=Study.objects.filter(condition).values("pk"))
    return qs


def _sqlite_facets(params: SearchParams, filters: dict[str, Q]):
    """One query per facet (five in all): fine for the small libraries SQLite runs."""
    found: dict[str, list[FacetValue]] = {name: [] for name in FACET_NAMES}

    def add(name, rows, value, name_nl=None, name_en=None):
        for row in rows:
            item = _facet_value(
                name,
                row[value],
                row.get(name_nl, "") if name_nl else "",
                row.get(name_en, "") if name_en else "",
                row["n"],
                params,
            )
            if item and row[value]:
                found[name].append(item)

    def grouped(name, *fields):
        return _sqlite_matches(params, filters, name).values(*fields).annotate(n=Count("pk"))

    add("theme", grouped("theme", "themes__slug", "themes__name_nl", "themes__name_en"),
        "themes__slug", "themes__name_nl", "themes__name_en")  # fmt: skip
    add("level", grouped("level", "school_level"), "school_level")
    add("year", grouped("year", "school_year__name"), "school_year__name")
    counts = _sqlite_matches(params, filters, "perspective").aggregate(
        **{v: Count("pk", filter=Q(perspectives__icontains=f'"{v}"')) for v in Perspective.values}
    )
    add("perspective", [{"p": v, "n": n} for v, n in counts.items() if n], "p")
    add("city", grouped("city", "city"), "city")
    return _sorted_facets(found, params)


def _search_sqlite(params: SearchParams, page_number, per_page: int) -> SearchResult:
    filters = _sqlite_filters(params)
    matches = _sqlite_matches(params, filters)
    cap = count_cap()
    # Count up to COUNT_CAP + 1 rows only: SELECT count(*) over a LIMIT subquery.
    counted = matches.order_by()[: cap + 1].count()
    paginator = KnownCountPaginator(
        matches.order_by("-published_at", "-pk").values_list("pk", flat=True),
        per_page,
        count=min(counted, cap),
    )
    try:
        page = paginator.page(requested_page(page_number))
    except (EmptyPage, PageNotAnInteger):
        page = paginator.page(paginator.num_pages)
    page.object_list = library_cards(list(page.object_list))  # no snippets here
    return SearchResult(
        page=page,
        total=min(counted, cap),
        total_is_capped=counted > cap,
        counts_are_estimates=False,
        facet_counts_sampled=False,
        ranked_newest_only=False,
        facets=_sqlite_facets(params, filters),
        used_full_text=False,
    )


def search_studies(
    params: SearchParams, *, page_number=1, per_page: int = PAGE_SIZE
) -> SearchResult:
    """Published studies matching ``params``: one page, the (capped) total and the
    facet counts, in a fixed number of queries."""
    if connections[Study.objects.db].vendor == "postgresql":
        return _search_postgres(params, page_number, per_page)
    return _search_sqlite(params, page_number, per_page)
