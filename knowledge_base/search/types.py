"""What a library search asks (``SearchParams``) and answers (``SearchResult``),
the settings that tune it, and the paging helpers both backends share."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 20
FACET_NAMES = ("theme", "level", "year", "perspective", "city")

# The settings of the library search, with their defaults (docs/library.md).
DEFAULTS = {
    # Totals above this are shown as "more than" (SQLite) or "about" (PostgreSQL).
    "LIBRARY_COUNT_CAP": 1000,
    # Facet counts and page ids are cached this long under the library version
    # (0: no cache).
    "LIBRARY_FACET_CACHE_SECONDS": 600,
    # Up to this many matches the facets are counted exactly, else from a sample
    # (issue 15: reading 4,000 matching rows cost ~36 ms of CPU, the sample ~8) ...
    "LIBRARY_FACET_EXACT_LIMIT": 1500,
    # ... of about this many rows of the search index.
    "LIBRARY_FACET_SAMPLE_ROWS": 3000,
    # Results up to this many are ranked every one (exact); more go through the RUM
    # index, which is faster but may order ties and multi-lexeme searches
    # differently (search/pg_order.py).
    "LIBRARY_EXACT_RANK_LIMIT": 2000,
    # Words in at least this percentage of the library get their head precomputed
    # (the first LIBRARY_HEAD_SIZE studies by relevance; search/pg_heads.py) ...
    "LIBRARY_HEAD_MIN_PERCENT": 2,
    "LIBRARY_HEAD_SIZE": 1000,
    # ... rebuilt this many seconds after a search first finds them stale.
    "LIBRARY_HEAD_REBUILD_DELAY": 60,
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def count_cap() -> int:
    return setting("LIBRARY_COUNT_CAP")


@dataclass
class SearchParams:
    q: str = ""
    themes: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    perspectives: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    sort: str = "relevance"  # or one of SORTS

    @property
    def order(self) -> str:
        """The order of the results: relevance (only with words), newest, oldest or
        title ("date", in links from before issue 15, is newest)."""
        if self.sort in ("oldest", "title"):
            return self.sort
        return "relevance" if self.q and self.sort == "relevance" else "newest"

    @property
    def ranked(self) -> bool:
        return self.order == "relevance"

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

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
