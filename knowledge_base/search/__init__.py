"""Search and facets of the public library (``/studies/`` and ``/api/studies/``).

One interface, ``search_studies(params) -> SearchResult``, and one backend per
database, chosen by the vendor of the studies' database:

- ``postgres.py``: the search index (a narrow table kept by database triggers),
  ``websearch_to_tsquery`` matching, ``ts_rank``, highlighted snippets, exact or
  sampled facet counts in a fixed number of queries, both caches. Its planner is
  in ``pg_query.py`` (conditions), ``pg_facets.py`` (counting) and ``pg_page.py``
  (the page of results).
- ``sqlite.py``: a simple ``LIKE`` fallback for the embedded default.

Shared: ``types.py`` (what a search asks and answers, the settings),
``words.py`` (the search syntax: words, "phrases", -exclusions, or) and
``facets.py`` (labels and order of facet values). Both backends read only
published studies (the search index holds nothing else; the fallback starts from
``Study.objects.published()``), and build result cards with
``selectors.library_cards``. docs/library.md and docs/performance.md explain the
design.
"""

from collections.abc import Callable

from django.db import connections

from ..models import Study
from . import postgres, sqlite
from .types import PAGE_SIZE, FacetValue, SearchParams, SearchResult, count_cap

__all__ = ["FacetValue", "SearchParams", "SearchResult", "count_cap", "search_studies"]

Backend = Callable[[SearchParams, object, int], SearchResult]
BACKENDS: dict[str, Backend] = {"postgresql": postgres.search, "sqlite": sqlite.search}


def search_studies(
    params: SearchParams, *, page_number: object = 1, per_page: int = PAGE_SIZE
) -> SearchResult:
    """Published studies matching ``params``: one page (``page_number`` as given
    in the URL; out of range shows the last page), the total and the facet
    counts, in a fixed number of queries."""
    vendor = connections[Study.objects.db].vendor
    return BACKENDS.get(vendor, sqlite.search)(params, page_number, per_page)
