"""One library search on PostgreSQL, as conditions on the search index
``knowledge_base_search_entry`` (alias ``e``; model ``SearchEntry``, kept by the
triggers of migrations 0004 and 0005).

SQL is composed with ``psycopg.sql``: fixed fragments are ``sql.SQL``, every value
from the visitor is a ``sql.Literal`` (quoted by psycopg), so the planner sees
constants, as it needs to choose between the indexes (docs/performance.md).
"""

from django.db import connections
from psycopg import sql

from .types import SearchParams
from .words import parse, websearch

# A study's vector is in the configuration of its language (migration 0006): the
# words are read as Dutch or as English, either may match.
TSQUERY = sql.SQL(
    "(websearch_to_tsquery('pg_catalog.dutch', {q})"
    " || websearch_to_tsquery('pg_catalog.english', {q}))"
)
NEWEST_FIRST = sql.SQL("e.published_at DESC, e.study_id DESC")
OLDEST_FIRST = sql.SQL("e.published_at, e.study_id")

# What every search needs first, in ONE query (kind, number, slug, Dutch and
# English name): the planner's row count of the index (which sizes the sample) ...
_ROWS = sql.SQL(
    "SELECT 'rows', greatest(reltuples, 0)::bigint, '', '', '' FROM pg_class "
    "WHERE oid = 'knowledge_base_search_entry'::regclass"
)
# ... whether the RUM index is there (pg_order.py) ...
_RUM = sql.SQL(
    "SELECT 'rum', (to_regclass('knowledge_base_search_entry_vector_rum') IS NOT NULL)::int, "
    "'', '', ''"
)
# ... the library version (which keys the caches) ...
_VERSION = sql.SQL(
    "SELECT 'version', version, '', '', '' FROM knowledge_base_library_version WHERE id = 1"
)
# ... whether the heads of common words (pg_heads.py) are as fresh as the library
# (read in the same snapshot), and whether the search's words have one ...
FRESH_HEADS = sql.SQL(
    "(SELECT version FROM knowledge_base_search_head_version WHERE id = 1)"
    " = (SELECT version FROM knowledge_base_library_version WHERE id = 1)"
)
_HEADS = sql.SQL(
    "SELECT 'heads', ({fresh})::int, coalesce((SELECT 'head' FROM knowledge_base_search_head"
    " WHERE query = ({tsquery})::text), ''), '', ''"
)
# ... at most how many studies the words can match, from the index's own word
# counts (migration 0011), when the words are all required (no ``-word``, no
# ``OR``): for each language, the fewest studies holding one of its lexemes (a
# study must hold them all), summed over both. The counts are refreshed nightly,
# so a word new since may be missing (counted 0): the bound only chooses the
# plan, and the facet query checks it (pg_facets.py, postgres.count) ...
_BOUND = sql.SQL(
    "SELECT 'bound', coalesce(sum((SELECT min(coalesce(l.documents, 0)) FROM"
    " unnest(tsvector_to_array(to_tsvector(c.config, {text}))) AS x(lexeme)"
    " LEFT JOIN knowledge_base_search_lexeme l ON l.lexeme = x.lexeme)), 0)::bigint, '', '', ''"
    " FROM (VALUES ('pg_catalog.dutch'::regconfig), ('pg_catalog.english'::regconfig)) AS c(config)"
    " WHERE EXISTS (SELECT 1 FROM knowledge_base_search_lexeme)"
)
# ... with ``-word``, when the words match a study holding none of their lexemes
# (a pure exclusion in one language: ``een -oudercafé`` is ``!'oudercaf'`` in
# Dutch, where ``een`` is a stop word), how many studies hold one of the query's
# lexemes, from the same nightly counts (NULL without counts or with a phrase,
# whose studies holding its words but not the phrase are all results to rank;
# -1 when every match holds one of the words): pg_order.held_ids ranks those and
# no others ...
LEXEME = sql.Literal("'((?:[^']|'')*)'")  # a lexeme in a tsquery's text, quotes doubled
_HELD = sql.SQL(
    "SELECT 'held', CASE WHEN NOT (''::tsvector @@ {tsquery}) THEN -1"
    " WHEN strpos(({tsquery})::text, '<') > 0 THEN NULL"
    " WHEN EXISTS (SELECT 1 FROM knowledge_base_search_lexeme) THEN"
    " coalesce((SELECT sum(l.documents) FROM (SELECT DISTINCT replace(m[1], {two}, {one}) AS lexeme"
    " FROM regexp_matches(({tsquery})::text, {lexeme}, 'g') AS m) AS x"
    " JOIN knowledge_base_search_lexeme l ON l.lexeme = x.lexeme), 0)"
    " END::bigint, '', '', ''"
)
# ... and the chosen themes and school years as ids (constants for the planner);
# the themes with their names, for the label of a chosen theme nothing matches.
_THEMES = sql.SQL(
    "SELECT 'theme', id, slug, name_nl, name_en FROM knowledge_base_theme "
    "WHERE slug = ANY({}::text[])"
)
_YEARS = sql.SQL(
    "SELECT 'year', id, '', '', '' FROM partnership_schoolyear WHERE name = ANY({}::text[])"
)


class PgSearch:
    """The parts of one search: the words as a ``tsquery``, one condition per
    active facet filter, and what the prelude learned."""

    def __init__(self, params: SearchParams, db: str):
        self.params = params
        self.db = db
        self.tsquery = TSQUERY.format(q=sql.Literal(websearch(params.q))) if params.q else None
        self.filters: dict[str, sql.Composable] = {}
        self.table_rows = 0
        self.has_rum = False
        self.theme_names: dict[str, tuple[str, str]] = {}
        self.heads_stale = False  # the heads must be rebuilt (pg_heads.py)
        self.has_head = False  # the words have a fresh head
        # At most this many studies match the words (None: not known); _BOUND.
        self.match_bound: int | None = None
        self.excludes = False  # the words leave some out (``-word``)
        # With ``-word`` that a study holding none of the words matches: at most
        # this many studies hold one of the query's lexemes (None: not so); _HELD.
        self.held: int | None = None
        # With ``-word``: whether a study holding none of the words may match
        # (the answer when not known).
        self.void = True

    def execute(self, query: sql.Composable) -> list[tuple]:
        """Run ``query`` (composed into text once here: the connection's write
        watcher, ``config.page_cache.track_writes``, reads the text it is given,
        and would compose it a second time)."""
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(query.as_string(connection.connection))
            return cursor.fetchall()

    def prelude(self, *, version: bool) -> int | None:
        """Run the prelude (one small query) and build the filters from its answer.
        Returns the library version (None when not asked for)."""
        p = self.params
        parts: list[sql.Composable] = [_ROWS, _RUM]
        if version:
            parts.append(_VERSION)
        if self.tsquery:
            parts.append(_HEADS.format(fresh=FRESH_HEADS, tsquery=self.tsquery))
            terms = parse(p.q)
            self.excludes = bool(terms.excluded)
            if self.excludes:
                held = _HELD.format(
                    tsquery=self.tsquery, lexeme=LEXEME, two=sql.Literal("''"), one=sql.Literal("'")
                )
                parts.append(held)
            if terms.required and not terms.excluded and all(len(g) == 1 for g in terms.required):
                text = " ".join(group[0] for group in terms.required)
                parts.append(_BOUND.format(text=sql.Literal(text)))
        if p.themes:
            parts.append(_THEMES.format(sql.Literal(p.themes)))
        if p.years:
            parts.append(_YEARS.format(sql.Literal(p.years)))
        library_version = None
        theme_ids: list[int] = []
        year_ids: list[int] = []
        for kind, number, slug, name_nl, name_en in self.execute(
            sql.SQL(" UNION ALL ").join(parts)
        ):
            if kind == "rows":
                self.table_rows = number
            elif kind == "rum":
                self.has_rum = bool(number)
            elif kind == "version":
                library_version = number
            elif kind == "heads":
                self.heads_stale = not number
                self.has_head = bool(number) and slug == "head"
            elif kind == "bound":
                self.match_bound = number
            elif kind == "held":
                self.void = number != -1
                self.held = number if self.void else None
            elif kind == "theme":
                theme_ids.append(number)
                self.theme_names[slug] = (name_nl, name_en)
            else:
                year_ids.append(number)
        conditions = {
            "theme": ("e.theme_ids && {}::bigint[]", theme_ids),
            "level": ("e.school_level = ANY({}::text[])", p.levels),
            "year": ("e.school_year_id = ANY({}::bigint[])", year_ids),
            "perspective": ("e.perspectives && {}::text[]", p.perspectives),
            "city": ("e.city = ANY({}::text[])", p.cities),
        }
        self.filters = {
            name: sql.SQL(condition).format(sql.Literal(values))
            for name, (condition, values) in conditions.items()
            if p.selected()[name]  # a filter asked for, even if it matches nothing
        }
        return library_version

    def where(self, *, text: bool = True, facets: bool = True, gin: bool = False) -> sql.Composable:
        """The search as one condition on ``e``: the words, the facet filters.
        ``gin``: the words through the GIN index only (``@@@``: not RUM's)."""
        parts: list[sql.Composable] = []
        if text and self.tsquery:
            match = "e.search_vector @@@ {}" if gin else "e.search_vector @@ {}"
            parts.append(sql.SQL(match).format(self.tsquery))
        if facets:
            parts += self.filters.values()
        return sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")

    def passing(self, except_facet: str | None = None) -> sql.Composable:
        """In the facet query's CTE ``m``: the row passes every active facet filter
        (but ``except_facet``'s)."""
        flags = [sql.SQL(f"m.f_{name}") for name in self.filters if name != except_facet]
        return sql.SQL(" AND ").join(flags) if flags else sql.SQL("TRUE")

    @property
    def order(self) -> sql.Composable:
        """The order of a page that is not ranked: newest or oldest first."""
        return OLDEST_FIRST if self.params.sort == "oldest" else NEWEST_FIRST
