"""The PostgreSQL backend of the library search: the search index, exact or
sampled facet counts, the page, the cards; both caches.

A search costs a fixed number of queries (docs/library.md, "How a search runs"):
1. the prelude (pg_query.py): library version, size of the index, chosen ids;
2. the counting (pg_facets.py): exact in one query that also returns the page, or
   from a sample when the words match more than ``LIBRARY_FACET_EXACT_LIMIT``;
3. the page (pg_page.py), when the counting did not return it;
4. the cards: the page's studies by primary key with highlighted snippets, and
   their themes (``selectors.library_cards``).
Facet counts and page ids are cached under the library version, which the
database bumps in the same transaction as every change a search could show.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import F, Func
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.pagination import requested_page

from ..models import Study
from ..selectors import LibraryCard, library_cards
from .pg_facets import exact_count, exact_facets, sample_percent, sampled_facets
from .pg_heads import schedule_rebuild
from .pg_order import ordered_ids
from .pg_page import page_ids
from .pg_query import PgSearch
from .types import (
    FacetValue,
    KnownCountPaginator,
    SearchParams,
    SearchResult,
    count_cap,
    setting,
)
from .words import websearch

# Private-use characters mark the highlighted words; the study text is escaped
# first and only then are these turned into <mark>, so no user HTML gets through.
_START, _STOP = "\ue000", "\ue001"


@dataclass
class Counts:
    """The facet counts and total of a search (what the facet cache holds)."""

    facets: dict[str, list[FacetValue]]
    total: int
    estimated: bool  # the total is an estimate ("about N")
    sampled: bool  # the facet counts are estimates
    recount: bool = False  # a small estimated total, still to be counted exactly
    newest: list[tuple[float, datetime.datetime]] | None = None  # the page's date window
    matches: int = 0  # studies the words match before the facet filters (maybe estimated)

    def recounted(self, exact: int, cap: int) -> "Counts":
        if exact <= cap:
            return replace(
                self, total=exact, estimated=False, recount=False, facets=self._chosen(exact)
            )
        return replace(self, total=max(self.total, cap + 1), estimated=True, recount=False)

    def _chosen(self, exact: int) -> dict[str, list[FacetValue]]:
        """The facets, with the one value ticked in a facet counted exactly: it
        counts the studies passing the other filters and holding that value, which
        are the results (``exact``). The sample's estimate could say 410 beside a
        ticked box while the page says 529 found."""
        facets = {}
        for name, values in self.facets.items():
            ticked = [value for value in values if value.selected]
            if len(ticked) == 1:
                values = [replace(v, count=exact) if v.selected else v for v in values]
            facets[name] = values
        return facets


def count(
    search: PgSearch, cap: int, page: tuple[int, int] | None
) -> tuple[Counts, list[int] | None]:
    """The counts, and the ids of the page when they came with them (else None).

    A library no bigger than the sample is counted exactly in one query, page
    included. A bigger one is sampled first; when the sample says the words match
    few enough studies, they are counted exactly after all (one query, page
    included; a LIMIT bounds it should the sample have been wrong). Otherwise the
    sample's estimates stand, and a small total is to be recounted exactly."""
    exact_limit = setting("LIBRARY_FACET_EXACT_LIMIT")
    percent = sample_percent(search)

    def sampled() -> tuple[Counts, int]:
        sample = sampled_facets(search, percent)
        counts = Counts(
            sample.facets, sample.total, True, True, sample.total <= 2 * cap, sample.newest,
            sample.matches,
        )  # fmt: skip
        return counts, sample.matches

    counts = None
    # The index's word counts may already say the words match few studies (the
    # prelude's bound): then no sample is needed to find that out.
    few = search.match_bound is not None and search.match_bound <= exact_limit
    if percent < 100 and not few:
        counts, matches = sampled()
        if matches > exact_limit:
            return counts, None
    # The whole library is no bigger than the sample (no LIMIT then), or the
    # sample or the word counts say the words match few studies.
    exact = exact_facets(search, limit=exact_limit + 1 if percent < 100 else None, page=page)
    if percent < 100 and exact.matches > exact_limit:
        # The sample (or the word counts, older than the library) was wrong.
        return counts or sampled()[0], None
    counted = Counts(exact.facets, exact.total, False, False, matches=exact.matches)
    return counted, (exact.ids if page else None)


def search(params: SearchParams, page_number, per_page: int) -> SearchResult:
    query = PgSearch(params, Study.objects.db)
    cap = count_cap()
    requested = requested_page(page_number)
    offset = (requested - 1) * per_page

    # Cached under the library version: a study that is published, withdrawn or
    # edited changes the version, so a cached count or page is never stale.
    seconds = setting("LIBRARY_FACET_CACHE_SECONDS")
    version = query.prelude(version=bool(seconds))
    if query.heads_stale:
        schedule_rebuild()
    facets_key = page_key = None
    cached = {}
    if version is not None:
        facets_key = f"kb:facets:v5:{version}:{_fingerprint(asdict(params), get_language())}"
        page_key = f"kb:page:v3:{version}:{_fingerprint(asdict(params), requested, per_page)}"
        cached = cache.get_many([facets_key, page_key])

    to_cache: dict[str, Any] = {}
    ids = cached.get(page_key)
    if facets_key in cached:
        counts = cached[facets_key]
    else:
        # Newest first, the exact count can bring the page along.
        newest = params.order == "newest" and not ids
        counts, exact_ids = count(query, cap, page=(offset, per_page) if newest else None)
        if ids is None and exact_ids is not None and (exact_ids or requested == 1):
            ids = exact_ids
        if counts.recount:
            # Few results: a page by date counts them for free when it takes them
            # all from the indexes; else one small count.
            exact = None
            if params.order in ("newest", "oldest"):
                found, exact = page_ids(query, offset, per_page, counts.total, count=True)
                ids = found if ids is None else ids
            if exact is None:
                exact = exact_count(query, cap)
            counts = counts.recounted(exact, cap)
        if facets_key:
            to_cache[facets_key] = counts

    paginator = KnownCountPaginator([], per_page, count=counts.total)
    number = paginator.get_page(requested).number
    if number != requested:
        ids = None  # asked for a page past the end: show the last one
    if ids is None:
        ids = ordered_ids(
            query, (number - 1) * per_page, per_page, counts.total, counts.newest, counts.matches
        )
        if page_key and number == requested:
            to_cache[page_key] = ids
    elif page_key and page_key not in cached:
        to_cache[page_key] = ids
    if to_cache:
        cache.set_many(to_cache, seconds)  # the counts and the page: one round trip

    return SearchResult(
        page=Page(_cards(ids, params), number, paginator),
        total=counts.total,
        total_is_capped=False,
        counts_are_estimates=counts.estimated,
        facet_counts_sampled=counts.sampled,
        ranked_newest_only=False,
        facets=counts.facets,
        used_full_text=bool(params.q),
    )


def _cards(ids: list[int], params: SearchParams) -> list[LibraryCard]:
    """The page's result cards; with words, each with its highlighted snippet and
    title (``ts_headline`` runs on these rows only, in the study's language)."""
    if not params.q:
        return library_cards(ids)
    cards = library_cards(ids, words=websearch(params.q), headlines=_headlines)
    for card in cards:
        card.snippet = highlight(card.headline or "")
        card.marked_title = highlight(card.title_headline or card.title)
    return cards


def _headlines(text: str) -> dict[str, SearchHeadline]:
    """The card's snippet and title with the words of ``text`` marked."""
    words = SearchQuery(text, config="dutch", search_type="websearch") | SearchQuery(
        text, config="english", search_type="websearch"
    )
    config = Func(F("language"), function="knowledge_base_search_config")
    return {
        "headline": SearchHeadline(
            "summary", words, config=config, start_sel=_START, stop_sel=_STOP,
            max_words=40, min_words=20, max_fragments=2,
        ),
        "title_headline": SearchHeadline(
            "title", words, config=config, start_sel=_START, stop_sel=_STOP, highlight_all=True
        ),
    }  # fmt: skip


def highlight(text: str) -> SafeString:
    """Escape the study text, then turn the headline markers into <mark>."""
    marked = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our <mark> tags added


def _fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
