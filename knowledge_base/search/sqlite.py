"""The SQLite backend of the library search (the embedded default of ``make run``):
a simple fallback for small libraries, with the ORM.

Every term of the search syntax (words.py) must occur (``LIKE``, any case) in one
of the searched texts: the study's title, summary, research question, findings
and lessons, its city, its school's name and its themes' names in both
languages; a phrase as it is written, an excluded term nowhere. Ordered by date
(newest first, also for "relevance") or title, no highlighting, counts stop at
``LIBRARY_COUNT_CAP``. The facets take one query each (five): fine for the
libraries SQLite serves.
"""

from django.core.paginator import EmptyPage
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from config.pagination import requested_page
from research_cycle.models import Perspective

from ..models import Study, Theme
from ..selectors import library_cards
from .facets import facet_value, sorted_facets
from .types import (
    FACET_NAMES,
    FacetValue,
    KnownCountPaginator,
    SearchParams,
    SearchResult,
    count_cap,
)
from .words import parse

ORDERS = {
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "title": (Lower("title"), "title", "pk"),
}
TEXT_FIELDS = ("title", "summary", "research_question", "findings", "lessons", "city",
               "school__name")  # fmt: skip


def _found(term: str) -> Q:
    """The study's texts, its school's name or one of its themes' names hold
    ``term``."""
    condition = Q()
    for name in TEXT_FIELDS:
        condition |= Q(**{f"{name}__icontains": term})
    themes = Study.themes.through.objects.filter(study_id=OuterRef("pk")).filter(
        Q(theme__name_nl__icontains=term) | Q(theme__name_en__icontains=term)
    )
    return condition | Q(Exists(themes))


def _filters(params: SearchParams) -> dict[str, Q]:
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


def _matches(params: SearchParams, filters: dict[str, Q], except_facet=None) -> QuerySet:
    qs = Study.objects.published()
    terms = parse(params.q)
    for alternatives in terms.required:
        condition = Q()
        for term in alternatives:
            condition |= _found(term)
        qs = qs.filter(condition)
    for term in terms.excluded:
        qs = qs.exclude(_found(term))
    for name, condition in filters.items():
        if name != except_facet:
            # A subquery per filter, so a theme filter never multiplies rows.
            qs = qs.filter(pk__in=Study.objects.filter(condition).values("pk"))
    return qs


def _facets(params: SearchParams, filters: dict[str, Q]) -> dict[str, list[FacetValue]]:
    found: dict[str, list[FacetValue]] = {name: [] for name in FACET_NAMES}

    def add(facet: str, rows, value: str, names: tuple[str, str] | None = None):
        for row in rows:
            theme = (row[names[0]], row[names[1]]) if names else None
            item = facet_value(facet, row[value], row["n"], params, theme)
            if item and row[value]:
                found[facet].append(item)

    def grouped(facet: str, *fields: str):
        return _matches(params, filters, facet).values(*fields).annotate(n=Count("pk"))

    theme_names = ("themes__name_nl", "themes__name_en")
    add("theme", grouped("theme", "themes__slug", *theme_names), "themes__slug", theme_names)
    add("level", grouped("level", "school_level"), "school_level")
    add("year", grouped("year", "school_year__name"), "school_year__name")
    counts = _matches(params, filters, "perspective").aggregate(
        **{v: Count("pk", filter=Q(perspectives__icontains=f'"{v}"')) for v in Perspective.values}
    )
    add("perspective", [{"p": v, "n": n} for v, n in counts.items() if n], "p")
    add("city", grouped("city", "city"), "city")
    return sorted_facets(found, params, _unmatched_theme_names(params, found["theme"]))


def _unmatched_theme_names(params: SearchParams, counted: list[FacetValue]):
    """The names of the chosen themes nothing matches (to label them): a query
    only when there are such themes."""
    missing = set(params.themes) - {f.value for f in counted}
    if not missing:
        return {}
    rows = Theme.objects.filter(slug__in=missing).values_list("slug", "name_nl", "name_en")
    return {slug: (name_nl, name_en) for slug, name_nl, name_en in rows}


def search(params: SearchParams, page_number, per_page: int) -> SearchResult:
    filters = _filters(params)
    matches = _matches(params, filters)
    cap = count_cap()
    # Count up to the cap + 1 rows only: SELECT count(*) over a LIMIT subquery.
    counted = matches.order_by()[: cap + 1].count()
    paginator = KnownCountPaginator(
        matches.order_by(*ORDERS.get(params.order, ORDERS["newest"])).values_list("pk", flat=True),
        per_page,
        count=min(counted, cap),
    )
    try:
        page = paginator.page(requested_page(page_number))
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    page.object_list = library_cards(list(page.object_list))  # no snippets here
    return SearchResult(
        page=page,
        total=min(counted, cap),
        total_is_capped=counted > cap,
        counts_are_estimates=False,
        facet_counts_sampled=False,
        ranked_newest_only=False,
        facets=_facets(params, filters),
        used_full_text=False,
    )
