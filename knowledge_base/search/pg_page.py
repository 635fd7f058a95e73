"""The page query of a PostgreSQL search: the ids of one page of results, when the
facet query did not return them (docs/library.md, "How a search runs", step 3).

Results that are more than a quarter of the index (a very common word, the landing
page) are *dense*: walking the newest-first index finds a page after a few rows
and stops. Sparser ones are all taken from the GIN and btree indexes into a
materialized CTE first (which keeps the planner from walking the date index and
testing row after row, slow when the matches are old); counting them then costs
nothing more.

A sparse page after a sample reads only a *date window*: the sample reports the
publication dates that the newest ``WINDOW_FRACTIONS`` of the results are younger
than, and the window should hold ``WINDOW_SAFETY`` times the rows the page needs,
so the heap is read for those only. The window is checked: when it holds fewer,
the query runs again without it, so the page is always exactly the newest results.
"""

import datetime

from psycopg import sql

from .pg_query import NEWEST_FIRST, PgSearch

WINDOW_FRACTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.35)
WINDOW_SAFETY = 2.5

# The newest ``limit`` results (after ``skip``), from the index ...
DENSE = sql.SQL("""
    c AS (SELECT e.study_id, e.published_at FROM knowledge_base_search_entry e
          WHERE {where} ORDER BY {newest_first} LIMIT {limit} OFFSET {skip})""")
# ... or from all results, taken from the indexes first.
SPARSE = sql.SQL("""
    all_matches AS MATERIALIZED (
        SELECT e.study_id, e.published_at FROM knowledge_base_search_entry e WHERE {where}
    ),
    c AS (SELECT * FROM all_matches e ORDER BY {newest_first} LIMIT {limit} OFFSET {skip})""")
# Ranked: only the newest matches ``c`` are ranked (ts_rank reads the vector of
# every row it ranks), all of them when there are few.
RANKED = sql.SQL("""
    SELECT e.study_id, row_number() OVER (ORDER BY {rank} DESC, {newest_first})
    FROM c JOIN knowledge_base_search_entry e ON e.study_id = c.study_id
    ORDER BY 2 LIMIT {per_page} OFFSET {offset}""")
NEWEST = sql.SQL("SELECT e.study_id, row_number() OVER (ORDER BY {newest_first}) FROM c e")
# Appended to a sparse query: how many results there are (the id column is NULL).
COUNTED = sql.SQL(" UNION ALL SELECT NULL, count(*) FROM all_matches")


def page_ids(
    search: PgSearch,
    offset: int,
    per_page: int,
    candidates: int,
    total: int,
    *,
    count: bool = False,
    newest: list[tuple[float, datetime.datetime]] | None = None,
) -> tuple[list[int], int | None]:
    """The ids of one page; and, with ``count``, the exact number of results when
    that comes for free (None when it does not). ``newest``: the sample's dates of
    the newest results, for a date window."""
    needed = candidates if search.params.ranked else offset + per_page
    dense = total * 4 > search.table_rows
    window = None
    if newest and not dense and not count:
        share = WINDOW_SAFETY * needed / max(total, 1)
        window = next((date for fraction, date in newest if fraction >= share), None)
    ids, exact = _page_query(search, offset, per_page, candidates, dense, count, window)
    if window is not None and (exact is None or exact < needed):
        ids, exact = _page_query(search, offset, per_page, candidates, dense, count, None)
    return ids, exact if count else None


def _page_query(
    search: PgSearch,
    offset: int,
    per_page: int,
    candidates: int,
    dense: bool,
    count: bool,
    window: datetime.datetime | None,
) -> tuple[list[int], int | None]:
    where = search.where()
    if window is not None:
        where = sql.SQL("{} AND e.published_at >= {}").format(where, window)
    ranked = search.params.ranked
    limit, skip = (candidates, 0) if ranked else (per_page, offset)
    ctes = (DENSE if dense else SPARSE).format(
        where=where, newest_first=NEWEST_FIRST, limit=limit, skip=skip
    )
    if ranked:
        page = RANKED.format(
            rank=search.rank(), newest_first=NEWEST_FIRST, per_page=per_page, offset=offset
        )
    else:
        page = NEWEST.format(newest_first=NEWEST_FIRST)
    counted = (count or window is not None) and not dense
    query = sql.SQL("WITH {} ({})").format(ctes, page)
    if counted:
        query += COUNTED
    rows = search.execute(query)
    ranked_rows = sorted((row for row in rows if row[0] is not None), key=lambda row: row[1])
    exact = next((n for pk, n in rows if pk is None), None) if counted else None
    return [pk for pk, _ in ranked_rows], exact
