"""The facet query of a PostgreSQL search: the total and every facet's counts in
ONE query, over the whole index or a ``TABLESAMPLE`` of it.

The rows matching the words are read once into a CTE ``m`` with one boolean per
active facet filter; each facet then counts the rows that pass the *other* filters
(disjunctive facets: ticking a second theme widens the results), in a pass of its
own over ``m`` that only counts those rows. With no filter, every facet counts
every row: they are then all counted in ONE pass (``GROUPING SETS``; a study's
themes and perspectives per combination first, a few hundred groups, then per
value), a third less PostgreSQL CPU for a common word. With a filter, the passes
that count only the rows passing the other filters cost less (docs/performance.md).
When counting exactly, the same query can also return the page of results.
"""

import datetime
import json
from dataclasses import dataclass, field

from psycopg import sql

from . import pg_page
from .facets import facet_value, sorted_facets
from .pg_query import PgSearch
from .types import FACET_NAMES, FacetValue, setting

# Every row: (kind, value, Dutch name, English name, number).
FACETS = sql.SQL("""
    WITH m AS MATERIALIZED (
        SELECT e.study_id AS id, e.published_at, e.school_level, e.city,
               e.school_year_id, e.theme_ids, e.perspectives{flags}
        FROM {source} WHERE {words} {limit}
    )
    SELECT 'total', '', '', '', count(*) FROM m WHERE {every}
    UNION ALL
    SELECT 'rows', '', '', '', count(*) FROM m
    UNION ALL
    SELECT 'theme', t.slug, t.name_nl, t.name_en, c.n FROM (
        SELECT u.theme_id, count(*) AS n
        FROM m CROSS JOIN unnest(m.theme_ids) AS u(theme_id)
        WHERE {theme} GROUP BY u.theme_id
    ) c JOIN knowledge_base_theme t ON t.id = c.theme_id
    UNION ALL
    SELECT 'level', m.school_level, '', '', count(*) FROM m
        WHERE {level} AND m.school_level <> '' GROUP BY m.school_level
    UNION ALL
    SELECT 'year', y.name, '', '', c.n FROM (
        SELECT m.school_year_id, count(*) AS n FROM m
        WHERE {year} GROUP BY m.school_year_id
    ) c JOIN partnership_schoolyear y ON y.id = c.school_year_id
    UNION ALL
    SELECT 'perspective', p.value, '', '', count(*)
        FROM m CROSS JOIN unnest(m.perspectives) AS p(value)
        WHERE {perspective} GROUP BY p.value
    UNION ALL
    SELECT 'city', m.city, '', '', count(*) FROM m
        WHERE {city} AND m.city <> '' GROUP BY m.city
""")
# The same with no facet filter: every facet counts every row of ``m``, in one
# pass. ``grouped`` is GROUPING(theme_ids, school_level, school_year_id,
# perspectives, city): the bit of the column a set groups by is 0.
ONE_PASS = sql.SQL("""
    WITH m AS (
        SELECT e.study_id AS id, e.published_at, e.school_level, e.city,
               e.school_year_id, e.theme_ids, e.perspectives
        FROM {source} WHERE {words} {limit}
    ), g AS MATERIALIZED (
        SELECT GROUPING(m.theme_ids, m.school_level, m.school_year_id, m.perspectives, m.city)
                   AS grouped,
               m.theme_ids, m.school_level, m.school_year_id, m.perspectives, m.city,
               count(*) AS n
        FROM m GROUP BY GROUPING SETS (
            (), (m.theme_ids), (m.school_level), (m.school_year_id), (m.perspectives), (m.city))
    )
    SELECT 'total', '', '', '', g.n FROM g WHERE g.grouped = 31
    UNION ALL
    SELECT 'rows', '', '', '', g.n FROM g WHERE g.grouped = 31
    UNION ALL
    SELECT 'theme', t.slug, t.name_nl, t.name_en, c.n FROM (
        SELECT u.theme_id, sum(g.n)::bigint AS n
        FROM g CROSS JOIN unnest(g.theme_ids) AS u(theme_id)
        WHERE g.grouped = 15 GROUP BY u.theme_id
    ) c JOIN knowledge_base_theme t ON t.id = c.theme_id
    UNION ALL
    SELECT 'level', g.school_level, '', '', g.n FROM g
        WHERE g.grouped = 23 AND g.school_level <> ''
    UNION ALL
    SELECT 'year', y.name, '', '', g.n
        FROM g JOIN partnership_schoolyear y ON y.id = g.school_year_id WHERE g.grouped = 27
    UNION ALL
    SELECT 'perspective', p.value, '', '', sum(g.n)::bigint
        FROM g CROSS JOIN unnest(g.perspectives) AS p(value)
        WHERE g.grouped = 29 GROUP BY p.value
    UNION ALL
    SELECT 'city', g.city, '', '', g.n FROM g WHERE g.grouped = 30 AND g.city <> ''
""")
# The page's ids from ``m``, numbered, newest first.
NEWEST_PAGE = sql.SQL("""
    UNION ALL (
        SELECT 'page', m.id::text, '', '', row_number() OVER (
            ORDER BY m.published_at DESC, m.id DESC)
        FROM m WHERE {every}
        ORDER BY 5 LIMIT {per_page} OFFSET {offset}
    )""")
# The publication dates that the first ``fractions`` of the results in the page's
# order are younger (newest first) or older (oldest first) than, for the page
# query's date window (pg_page.py); only for a page by date.
NEWEST_DATES = sql.SQL("""
    UNION ALL
    SELECT 'newest', to_json(percentile_disc({fractions}::float8[]) WITHIN GROUP (
        ORDER BY m.published_at {direction}))::text, '', '', 0
    FROM m WHERE {every}""")


@dataclass
class FacetAnswer:
    facets: dict[str, list[FacetValue]]
    total: int
    matches: int  # rows matching the words (before the facet filters)
    ids: list[int] = field(default_factory=list)  # the page, when asked for
    newest: list[tuple[float, datetime.datetime]] | None = None


def facet_query(
    search: PgSearch, source: sql.Composable, *, limit: int | None = None
) -> sql.Composed:
    """The facet query over ``source`` (the index, or a sample of it), reading at
    most ``limit`` matching rows."""
    rows = {
        "source": source,
        "words": search.where(facets=False),
        "limit": sql.SQL("LIMIT {}").format(limit) if limit else sql.SQL(""),
    }
    if not search.filters:  # (``m`` is kept when the page is read from it too)
        return ONE_PASS.format(**rows)
    flags = [
        sql.SQL(", ({}) AS f_{}").format(condition, sql.SQL(name))
        for name, condition in search.filters.items()
    ]
    parts = {name: search.passing(name) for name in FACET_NAMES}
    return FACETS.format(flags=sql.Composed(flags), every=search.passing(), **rows, **parts)


def page_branch(search: PgSearch, offset: int, per_page: int) -> sql.Composed:
    """The page's ids (newest first), to append to the exact facet query."""
    return NEWEST_PAGE.format(every=search.passing(), per_page=per_page, offset=offset)


def read_facets(search: PgSearch, query: sql.Composable, *, scale: float = 1) -> FacetAnswer:
    """Run a facet query and read its answer (counts scaled up by ``scale``)."""
    found: dict[str, list[FacetValue]] = {name: [] for name in FACET_NAMES}
    answer = FacetAnswer(found, 0, 0)
    page: list[tuple[int, int]] = []
    for kind, value, name_nl, name_en, count in search.execute(query):
        if kind == "page":
            page.append((count, int(value)))
        elif kind == "newest":
            dates = [datetime.datetime.fromisoformat(v) for v in json.loads(value or "[]")]
            answer.newest = list(zip(pg_page.WINDOW_FRACTIONS, dates, strict=False)) or None
        else:
            count = _round_estimate(count * scale) if scale != 1 else count
            if kind == "total":
                answer.total = count
            elif kind == "rows":
                answer.matches = count
            elif item := facet_value(kind, value, count, search.params, (name_nl, name_en)):
                found[kind].append(item)
    answer.facets = sorted_facets(found, search.params, search.theme_names)
    answer.ids = [pk for _, pk in sorted(page)]
    return answer


def exact_facets(
    search: PgSearch, *, limit: int | None, page: tuple[int, int] | None
) -> FacetAnswer:
    """Exact counts over the whole index (at most ``limit`` matches read), with the
    newest-first page (offset, per page) when asked for."""
    query = facet_query(search, sql.SQL("knowledge_base_search_entry e"), limit=limit)
    if page:
        query = query + page_branch(search, *page)
    return read_facets(search, query)


def sample_percent(search: PgSearch) -> float:
    """The share of the index's pages that holds about FACET_SAMPLE_ROWS rows."""
    rows = setting("LIBRARY_FACET_SAMPLE_ROWS")
    return min(100.0, max(0.1, 100 * rows / max(search.table_rows, 1)))


def sampled_facets(search: PgSearch, percent: float) -> FacetAnswer:
    """Facet counts and total estimated from a random share of the index's pages
    (``TABLESAMPLE SYSTEM``), scaled up; how many studies the words match,
    estimated the same way; and, for a page by date, the dates of the first results
    in its order (``newest``)."""
    source = sql.SQL("knowledge_base_search_entry e TABLESAMPLE SYSTEM ({}) REPEATABLE (1)").format(
        float(percent)
    )
    query = facet_query(search, source)
    if search.params.order in ("newest", "oldest"):
        query += NEWEST_DATES.format(
            fractions=sql.Literal(list(pg_page.WINDOW_FRACTIONS)),
            direction=sql.SQL("DESC" if search.params.order == "newest" else "ASC"),
            every=search.passing(),
        )
    return read_facets(search, query, scale=100 / percent)


def exact_count(search: PgSearch, cap: int) -> int:
    """The number of results, counting at most ``cap`` + 1."""
    query = sql.SQL(
        "SELECT count(*) FROM (SELECT 1 FROM knowledge_base_search_entry e WHERE {} LIMIT {}) AS x"
    ).format(search.where(), cap + 1)
    return search.execute(query)[0][0]


def _round_estimate(value: float) -> int:
    """Two significant digits: an estimate should not look exact."""
    if value < 100:
        return round(value)
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))
