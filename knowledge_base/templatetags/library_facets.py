"""The library's facet checkboxes, built in Python.

A search lists ~36 facet values; as template markup that was ~300 variables to
resolve and escape, about half of the library page's template time
(docs/performance.md, issue 15). The HTML is the same.
"""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from ..search.types import FacetValue

register = template.Library()

CHECKBOX = (
    '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}"'
    ' value="{}" id="facet-{}-{}"{}><label class="form-check-label" for="facet-{}-{}">{}'
    ' <span class="text-body-secondary">({})</span></label></div>'
)


@register.filter
def facet_checkboxes(values: Iterable[FacetValue], name: str) -> SafeString:
    """One checkbox per facet value of facet ``name`` (every part escaped)."""
    return format_html_join(
        "",
        CHECKBOX,
        (
            (name, f.value, name, i, " checked" if f.selected else "", name, i, f.label, f.count)
            for i, f in enumerate(values, 1)
        ),
    )
