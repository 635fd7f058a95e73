"""Public library views (no login). Machine endpoints live in api.py, oai.py, feeds.py."""

from dataclasses import replace

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .feeds import feed_query
from .forms import SORT_ALIASES, SORT_CHOICES, StudySearchForm
from .search import search_studies
from .search.spelling import suggestion
from .search.suggest import suggestions

FACET_LEGENDS = ("theme", "level", "year", "perspective", "city")


@require_safe
def study_list(request):
    form = StudySearchForm(request.GET)
    params = form.params()
    if request.headers.get("HX-Target") == "q-suggestions":
        # Search-as-you-type (htmx): only the list under the search box.
        response = render(
            request, "knowledge_base/_suggestions.html", {"suggestions": suggestions(params.q)}
        )
        patch_vary_headers(response, ["HX-Target"])
        return response
    page_number = request.GET.get("page") or 1
    result = search_studies(params, page_number=page_number)
    # Typos tolerated: nothing found, but the words are near words the library
    # has: show what those find, and offer the words as typed.
    typed, corrected = None, None
    if params.q and not result.total and (better := suggestion(params.q)):
        found = search_studies(replace(params, q=better), page_number=page_number)
        if found.total:
            typed, corrected, params, result = params.q, better, replace(params, q=better), found
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    if corrected:
        query_without_page["q"] = corrected
    facets = [(name, form[name].label, result.facets[name]) for name in FACET_LEGENDS]
    response = render(
        request,
        "knowledge_base/study_list.html",
        {
            "form": form,
            "params": params,
            "result": result,
            "page_obj": result.page,
            "facets": facets,
            "typed": typed,
            "corrected": corrected,
            "query_without_page": query_without_page.urlencode(),
            "active_filters": sum(facet.selected for _n, _l, values in facets for facet in values),
            "sort_choices": [c for c in SORT_CHOICES if c[0] not in SORT_ALIASES],
            "feed_query": feed_query(params).lstrip("?"),
            "filtered": bool(
                params.q
                or params.themes
                or params.levels
                or params.years
                or params.perspectives
                or params.cities
            ),
        },
    )
    patch_vary_headers(response, ["HX-Target"])
    return response
