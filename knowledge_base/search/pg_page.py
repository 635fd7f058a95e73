"""The page query of a PostgreSQL search sorted by date (newest or oldest first):
the ids of one page of results, when the facet query did not return them
(docs/library.md, "How a search runs", step 3).

Results that are more than a quarter of the index (a very common word, the landing
page) are *dense*: walking the newest-first index finds a page after a few rows
and stops. Sparser ones are all taken from the GIN and btree indexes into a
materialized CTE first (which keeps the planner from walking the date index and
testing row after row, slow when the matches are old); counting them then costs
nothing more.

A sparse page after a sample reads only a *date window*: the sample reports the
publication dates that the newest ``WINDOW_FRACTIONS`` of the results are younger
than (the oldest: older than, for a page oldest first), and the window should
hold ``WINDOW_SAFETY`` times the rows the page needs, so the heap is read for
those only. The window is checked: when it holds fewer, the query runs again
without it, so the page is always exactly the first results in its order.
"""

import datetime

from psycopg import sql

from .pg_query import OLDEST_FIRST, PgSearch

WINDOW_FRACTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.35)
WINDOW_SAFETY = 2.5

# The newest ``limit`` results (after ``skip``), from the index ...
DENSE = sql.SQL("""
    c AS (SELECT e.study_id, e.published_at FROM knowledge_base_search_entry e
          WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {skip})""")
# ... or from all results, taken from the indexes first.
SPARSE = sql.SQL("""
    all_matches AS MATERIALIZED (
        SELECT e.study_id, e.published_at FROM knowledge_base_search_entry e WHERE {where}
    ),
    c AS (SELECT * FROM all_matches e ORDER BY {order} LIMIT {limit} OFFSET {skip})""")
NUMBERED = sql.SQL("SELECT e.study_id, row_number() OVER (ORDER BY {order}) FROM c e")
# Appended to a sparse query: how many results there are (the id column is NULL).
COUNTED = sql.SQL(" UNION ALL SELECT NULL, count(*) FROM all_matches")


def page_ids(
    search: PgSearch,
    offset: int,
    per_page: int,
    total: int,
    *,
    count: bool = False,
    newest: list[tuple[float, datetime.datetime]] | None = None,
) -> tuple[list[int], int | None]:
    """The ids of one page; and, with ``count``, the exact number of results when
    that comes for free (None when it does not). ``newest``: the sample's dates of
    the first results in the page's order, for a date window."""
    needed = offset + per_page
    dense = total * 4 > search.table_rows
    window = None
    if newest and not dense and not count:
        share = WINDOW_SAFETY * needed / max(total, 1)
        window = next((date for fraction, date in newest if fraction >= share), None)
    ids, exact = _page_query(search, offset, per_page, dense, count, window)
    if window is not None and (exact is None or exact < needed):
        ids, exact = _page_query(search, offset, per_page, dense, count, None)
    return ids, exact if count else None


def _page_query(
    search: PgSearch,
    offset: int,
    per_page: int,
    dense: bool,
    count: bool,
    window: datetime.datetime | None,
) -> tuple[list[int], int | None]:
    where = search.where()
    if window is not None:
        before = "<=" if search.order is OLDEST_FIRST else ">="
        where = sql.SQL("{} AND e.published_at {} {}").format(where, sql.SQL(before), window)
    ctes = (DENSE if dense else SPARSE).format(
        where=where, order=search.order, limit=per_page, skip=offset
    )
    page = NUMBERED.format(order=search.order)
    counted = (count or window is not None) and not dense
    query = sql.SQL("WITH {} ({})").format(ctes, page)
    if counted:
        query += COUNTED
    rows = search.execute(query)
    numbered = sorted((row for row in rows if row[0] is not None), key=lambda row: row[1])
    exact = next((n for pk, n in rows if pk is None), None) if counted else None
    return [pk for pk, _ in numbered], exact
