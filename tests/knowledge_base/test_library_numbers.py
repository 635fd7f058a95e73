"""The library's counts as the reader's language writes them: the thousands grouped
(87.000 in Dutch, 87,000 in English), in the total above the results and in the
facets' counts. The library reaches 100,000 studies; "87000" reads as a code."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from knowledge_base.search.types import FacetValue
from knowledge_base.templatetags.library_facets import facet_checkboxes


def result_count(language: str, total: int, *, estimate=False, capped=False) -> str:
    result = SimpleNamespace(total=total, counts_are_estimates=estimate, total_is_capped=capped)
    with translation.override(language):
        html = render_to_string("knowledge_base/study_list.html#result_count", {"result": result})
    return " ".join(html.split())


@pytest.mark.parametrize(
    ("language", "total", "estimate", "capped", "shown"),
    [
        ("nl", 87_000, True, False, "Ongeveer 87.000 onderzoeken gevonden"),
        ("en", 87_000, True, False, "About 87,000 studies found"),
        ("nl", 12_345, False, False, "> 12.345 onderzoeken gevonden"),
        ("en", 12_345, False, False, "> 12,345 studies found"),
        ("nl", 1_000, False, True, "Meer dan 1.000 onderzoeken gevonden"),
        ("en", 1_000, False, True, "More than 1,000 studies found"),
        ("nl", 999, False, False, "> 999 onderzoeken gevonden"),
        ("nl", 1, False, False, "> 1 onderzoek gevonden"),
        ("en", 1, True, False, "About 1 study found"),
    ],
)
def test_the_total_groups_its_thousands_as_the_readers_language_does(
    language, total, estimate, capped, shown
):
    assert shown in result_count(language, total, estimate=estimate, capped=capped)


@pytest.mark.parametrize(("language", "big"), [("nl", "(15.000)"), ("en", "(15,000)")])
def test_a_facets_counts_group_their_thousands_as_the_readers_language_does(language, big):
    values = [
        FacetValue("Aalst", "Aalst", 15_000, False),
        FacetValue("Gent", "Gent", 999, True),
    ]
    with translation.override(language):
        html = facet_checkboxes(values, "city")
    assert f'Aalst <span class="text-body-secondary">{big}</span>' in html
    assert 'Gent <span class="text-body-secondary">(999)</span>' in html
    assert html.count('type="checkbox"') == 2 and html.count(" checked") == 1
