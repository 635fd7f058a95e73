"""The head of a common word: its first studies by relevance, precomputed.

Ranking a word found in most of the library scores every one of its matches
(``leerlingen``: ~90,000 at 100,000 studies, ~65 ms through RUM). For every word
in at least ``LIBRARY_HEAD_MIN_PERCENT`` of the library the tables of migration
0010 hold the first ``LIBRARY_HEAD_SIZE`` studies of the one-word search in the
page's exact order (``ts_rank_cd`` descending, newest first, id descending), with
their facet columns, keyed by the search's ``tsquery`` as text. A search that
parses to that ``tsquery``, with any facet filters, takes its page from the head:
the filters are applied to the head in order (walking its primary key, reading
no study), and when at least ``offset + per page`` rows pass they ARE the page,
since every match outside the head ranks after all of it. Otherwise the page is
ranked as before (pg_order.py).

The heads are used only while the library version (migration 0003) is the one
they were built at: any change a search could show bumps it in the same
transaction, so a stale head is never read, whether or not the rebuild ran. A
search that finds them stale schedules the rebuild (Celery, debounced); the
nightly vocabulary refresh and ``generate_studies`` rebuild them too.
"""

from django.core.cache import cache
from django.db import connections, transaction
from psycopg import sql

from ..models import Study
from .pg_query import FRESH_HEADS, PgSearch
from .types import setting

# The head's rows are aliased ``e``: they have the search index's facet columns.
# The head is found by its words again (a rebuild since the prelude renumbers them).
PAGE = sql.SQL("""
    SELECT e.study_id FROM knowledge_base_search_head_row e
    WHERE e.head_id = (SELECT h.id FROM knowledge_base_search_head h
                       WHERE h.query = ({tsquery})::text)
      AND {fresh} AND {filters}
    ORDER BY e.position LIMIT {per_page} OFFSET {offset}""")

REBUILD_KEY = "kb:heads:rebuild"


def head_ids(search: PgSearch, offset: int, per_page: int) -> list[int] | None:
    """The page from the head of the search's words, or None when the head does
    not hold a whole page that passes the filters (or has gone stale)."""
    query = PAGE.format(
        tsquery=search.tsquery,
        fresh=FRESH_HEADS,
        filters=search.where(text=False),
        per_page=per_page,
        offset=offset,
    )
    ids = [row[0] for row in search.execute(query)]
    return ids if len(ids) == per_page else None


def heads_are_fresh() -> bool:
    """Whether the heads were built at the current library version (False on
    SQLite, which has none)."""
    connection = connections[Study.objects.db]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT {}").format(FRESH_HEADS))
        return bool(cursor.fetchone()[0])


def refresh_heads() -> int:
    """Rebuild every head (seconds at 100,000 studies); returns how many words
    have one. Nothing to do on SQLite."""
    connection = connections[Study.objects.db]
    if connection.vendor != "postgresql":
        return 0
    cache.delete(REBUILD_KEY)  # a change from now on schedules the next build
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT knowledge_base_refresh_heads(%s, %s)",
            [setting("LIBRARY_HEAD_MIN_PERCENT") / 100, setting("LIBRARY_HEAD_SIZE")],
        )
        return cursor.fetchone()[0]


def schedule_rebuild() -> None:
    """Rebuild the heads ``LIBRARY_HEAD_REBUILD_DELAY`` seconds from now, once for
    a burst of changes (the first search to find them stale schedules it)."""
    from ..tasks import refresh_search_heads  # noqa: PLC0415 - the tasks import the search

    delay = setting("LIBRARY_HEAD_REBUILD_DELAY")
    if cache.add(REBUILD_KEY, True, delay + 600):  # expires should the worker be down
        transaction.on_commit(lambda: refresh_search_heads.apply_async(countdown=delay))
