"""The page of a search in the order chosen, on PostgreSQL (by date: pg_page.py).

By relevance, EVERY match is ranked by
``ts_rank_cd`` (cover density: words close together in the title count most),
ties newest first.

Ranking reads each match's vector, which is slow when a word is in most of the
100,000 studies. With the RUM index (extension ``rum``, Debian's
``postgresql-15-rum``; migration 0006) the index itself holds the word positions
and returns the matches in order of its own cover-density distance
(``<=>``) without reading the table; the best ``offset + per page + RUM_MARGIN``
of them are then ranked exactly by ``ts_rank_cd``. That is NOT always the exact
page: RUM's order among studies of equal rank is arbitrary (a word's matches
take only a handful of rank values, so hundreds tie), and for a ``tsquery`` of
several lexemes (``'vak' | 'vaak'``) its distance is not even monotone in
``ts_rank_cd``; measured at 100,000 studies, single words with 4,000 or more
matches and two words with a stop word got pages that differ from ranking every
match. So results up to ``LIBRARY_EXACT_RANK_LIMIT`` are ranked every one
(``EXACT``, ~3-5 µs a match); a common word's page comes from its head
(pg_heads.py), exact at any size; RUM is left for large results of several words
(docs/performance.md). Without the extension (or when it cannot load) the GIN
index finds the matches and every one of them is ranked: exact, slower for very
common words.
"""

import datetime

from psycopg import sql

from .pg_heads import head_ids
from .pg_page import page_ids
from .pg_query import NEWEST_FIRST, PgSearch
from .types import setting

RUM_INDEX = "knowledge_base_search_entry_vector_rum"
# How many more than the page the RUM index hands over for exact ranking.
RUM_MARGIN = 100

EXACT = sql.SQL("""
    SELECT e.study_id FROM knowledge_base_search_entry e WHERE {where}
    ORDER BY ts_rank_cd(e.search_vector, {tsquery}) DESC, {newest_first}
    LIMIT {per_page} OFFSET {offset}""")
VIA_RUM = sql.SQL("""
    WITH c AS MATERIALIZED (
        SELECT e.study_id, e.published_at, e.search_vector
        FROM knowledge_base_search_entry e WHERE {where}
        ORDER BY e.search_vector <=> {tsquery} LIMIT {candidates}
    )
    SELECT e.study_id FROM c e
    ORDER BY ts_rank_cd(e.search_vector, {tsquery}) DESC, {newest_first}
    LIMIT {per_page} OFFSET {offset}""")


# ``-word`` whose words match a study holding none of the query's lexemes (a pure
# exclusion in one language: ``een -oudercafé``, ``een`` a Dutch stop word) matches
# nearly every study, and RUM orders all of them (130-200 ms). ``ts_rank_cd`` is 0
# for a study holding none of the lexemes (the left-out ones included: a study
# holding a left-out word in the other language's form ranks above 0), so the page
# is the results ranking above 0, ranked ...
HELD = sql.SQL("""
    WITH r AS MATERIALIZED (
        SELECT e.study_id, e.published_at, ts_rank_cd(e.search_vector, {tsquery}) AS rank
        FROM knowledge_base_search_entry e
        WHERE e.search_vector @@@ ({tsquery} && (
                SELECT string_agg(m[1], ' | ')::tsquery
                FROM regexp_matches(({tsquery})::text, {operand}, 'g') AS m))
          AND {filters}
    )
    SELECT e.study_id, count(*) OVER () FROM r e WHERE e.rank > 0
    ORDER BY e.rank DESC, {newest_first} LIMIT {needed}""")
# ... then all the others (rank 0, a tie) newest first: walking the date index
# when the filters leave many (as pg_page.py's dense pages) or have no index (a
# perspective), else taken from the filters' indexes first (a school year walked
# newest first reads every newer study: 250 ms).
UNHELD = sql.SQL("""
    WITH m AS {materialized} (
        SELECT e.study_id, e.published_at FROM knowledge_base_search_entry e
        WHERE ts_match_vq(e.search_vector, {tsquery}) AND {filters}
          AND e.study_id <> ALL({ranked}::bigint[])
    )
    SELECT e.study_id FROM m e ORDER BY {newest_first} LIMIT {limit} OFFSET {skip}""")
# Neither may put the pure exclusion in an index scan: GIN reads every entry for
# one, and a RUM bitmap scan of one beside a second ``@@`` condition grew to 24 GB
# (docs/performance.md). So ``@@@`` (which only GIN's operator class has, not
# RUM's) finds the ranked ones, for the query ANDed with "holds one of its
# operands" (each quoted lexeme with its ``:*`` or weights), which GIN answers
# from the posting lists of those lexemes alone; and ``ts_match_vq`` (``@@`` as a
# function: no index) tests the rows of the walk.
OPERAND = sql.Literal("('(?:[^']|'')*'(?::[*A-D]+)?)")
# Up to this many studies holding a lexeme (the index's counts) ranked exactly
# cost less than RUM ordering every match (the results among them are read and
# ranked, ~6 µs each: ``of -zindoos``, 10,325 of them, 40-60 ms against RUM's 126).
HELD_LIMIT = 20_000


def held_ids(search: PgSearch, offset: int, per_page: int, total: int) -> list[int]:
    """The page of a search that matches studies holding none of its lexemes
    (``total`` results, maybe estimated)."""
    needed = offset + per_page
    filters = search.where(text=False)
    held = HELD.format(
        tsquery=search.tsquery,
        operand=OPERAND,
        filters=filters,
        newest_first=NEWEST_FIRST,
        needed=needed,
    )
    rows = search.execute(held)
    ranked = [row[0] for row in rows]
    above_zero = rows[0][1] if rows else 0
    if above_zero >= needed:
        return ranked[offset:]
    indexed = any(name != "perspective" for name in search.filters)
    sparse = indexed and total * 4 <= search.table_rows
    unheld = UNHELD.format(
        materialized=sql.SQL("MATERIALIZED" if sparse else "NOT MATERIALIZED"),
        tsquery=search.tsquery,
        filters=filters,
        ranked=sql.Literal(ranked),
        newest_first=NEWEST_FIRST,
        limit=needed - max(offset, above_zero),
        skip=max(0, offset - above_zero),
    )
    return ranked[offset:] + [row[0] for row in search.execute(unheld)]


def ranked_ids(
    search: PgSearch, offset: int, per_page: int, total: int, matches: int = 0
) -> list[int]:
    """The ids of one page of results, most relevant first: from the head of a
    common word when it holds the page (pg_heads.py), else ranked here; every
    match when there are at most ``LIBRARY_EXACT_RANK_LIMIT`` (``total``, the
    count or the sample's estimate) or when the filters leave few of the words'
    ``matches`` (``rum_costs_more``), through RUM otherwise; ``held_ids`` for a
    search that matches studies holding none of its lexemes."""
    if search.has_head:
        ids = head_ids(search, offset, per_page)
        if ids is not None:
            return ids
    if search.held is not None and search.held <= HELD_LIMIT:
        return held_ids(search, offset, per_page, total)
    exact = (
        not search.has_rum
        or total <= setting("LIBRARY_EXACT_RANK_LIMIT")
        or rum_costs_more(search, total, max(matches, search.match_bound or 0))
    )
    template = EXACT if exact else VIA_RUM
    # ``-word`` ranked exactly for its filters: through GIN (never a RUM bitmap
    # scan of an exclusion).
    gin = exact and search.excludes and rum_costs_more(search, total, matches)
    query = template.format(
        where=search.where(gin=gin),
        tsquery=search.tsquery,
        newest_first=NEWEST_FIRST,
        candidates=offset + per_page + RUM_MARGIN,
        per_page=per_page,
        offset=offset,
    )
    return [row[0] for row in search.execute(query)]


# RUM orders every match of the WORDS by its distance before any facet filter
# applies (~1 µs a match: ``leerlingen``, 90,000 matches, 60-110 ms); ranking
# exactly reads only the matches that pass the filters, found by ANDing the GIN
# bitmap with a filter's index (~0.15 µs a match of the words, ~4 µs a result:
# ``leerlingen`` in one city, 3,588 results, 27 ms against RUM's 60-115). So
# filters that leave fewer than one result in ``EXACT_PER_RUM`` matches are
# ranked exactly, and exactly right. Not with a perspective (no index: the rows
# it leaves out are read all the same) nor with ``-word`` that a study holding
# none of the words may match (a Dutch stop word and ``-word`` is a pure
# exclusion, which GIN answers by reading every entry: held_ids above).
EXACT_PER_RUM = 10


def rum_costs_more(search: PgSearch, total: int, matches: int) -> bool:
    """Whether ranking the ``total`` results exactly costs less than RUM ordering
    the words' ``matches`` (before the filters; 0 when not known)."""
    if "perspective" in search.filters or not search.filters:
        return False
    if search.excludes and search.void:
        return False
    return total * EXACT_PER_RUM <= matches


# By title, results in a large share of the library walk the published studies
# in title order (index of migration 0008) and stop after the page ...
TITLE_DENSE = sql.SQL("""
    SELECT s.id FROM knowledge_base_study s
    WHERE s.status = 'published' AND s.published_at IS NOT NULL AND EXISTS (
        SELECT 1 FROM knowledge_base_search_entry e WHERE e.study_id = s.id AND {where})
    ORDER BY lower(s.title), s.title, s.id LIMIT {per_page} OFFSET {offset}""")
# ... fewer are taken from the indexes first and sorted, each title looked up by
# primary key (the LIMIT keeps the planner from hashing the whole study table).
TITLE_SPARSE = sql.SQL("""
    WITH m AS MATERIALIZED (SELECT e.study_id FROM knowledge_base_search_entry e WHERE {where})
    SELECT m.study_id FROM m CROSS JOIN LATERAL (
        SELECT s.title FROM knowledge_base_study s WHERE s.id = m.study_id LIMIT 1) s
    ORDER BY lower(s.title), s.title, m.study_id LIMIT {per_page} OFFSET {offset}""")
# Walking reads about ``needed / share`` studies (each checked against the search),
# sorting reads every result (each title looked up): measured, a row costs about
# the same either way, so the page walks when that reads fewer rows.


def title_ids(search: PgSearch, offset: int, per_page: int, total: int) -> list[int]:
    """The ids of one page sorted by title."""
    needed = offset + per_page
    dense = total * total >= needed * max(search.table_rows, 1)
    template = TITLE_DENSE if dense else TITLE_SPARSE
    query = template.format(where=search.where(), per_page=per_page, offset=offset)
    return [row[0] for row in search.execute(query)]


def ordered_ids(
    search: PgSearch,
    offset: int,
    per_page: int,
    total: int,
    newest: list[tuple[float, datetime.datetime]] | None,
    matches: int = 0,
) -> list[int]:
    """The ids of one page in the order the visitor chose: by relevance, by title
    (``title_ids``), or by date
    (pg_page.py, with the sample's date window ``newest``)."""
    order = search.params.order
    if order == "relevance":
        return ranked_ids(search, offset, per_page, total, matches)
    if order == "title":
        return title_ids(search, offset, per_page, total)
    return page_ids(search, offset, per_page, total, newest=newest)[0]
