"""Public library views (no login). Machine endpoints live in api.py, oai.py, feeds.py."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import StudySearchForm
from .search import search_studies

FACET_LEGENDS = ("theme", "level", "year", "perspective", "city")


@require_safe
def study_list(request):
    form = StudySearchForm(request.GET)
    params = form.params()
    result = search_studies(params, page_number=request.GET.get("page") or 1)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    facets = [(name, form[name].label, result.facets[name]) for name in FACET_LEGENDS]
    return render(
        request,
        "knowledge_base/study_list.html",
        {
            "form": form,
            "params": params,
            "result": result,
            "page_obj": result.page,
            "facets": facets,
            "query_without_page": query_without_page.urlencode(),
            "active_filters": sum(facet.selected for _n, _l, values in facets for facet in values),
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
