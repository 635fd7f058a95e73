"""The library's facet checkboxes, built in Python.

A search lists ~36 facet values; as template markup that was ~300 variables to
resolve and escape, about half of the library page's template time
(docs/performance.md, issue 15). The HTML is the same. Only the texts are escaped
(the facet's name once, each value and label): the position and the count are
integers, and ``format_html_join`` escaping all nine parts of every box took four
times as long (0.67 against 0.16 ms for 36 boxes). A count of a thousand or more
has its thousands grouped as the reader's language writes them (15.000 in Dutch,
15,000 in English): humanize's ``intcomma``, as the total above the results.
"""

import html
from collections.abc import Iterable

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString, mark_safe

from ..search.types import FacetValue

register = template.Library()

CHECKBOX = (
    '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}"'
    ' value="{}" id="facet-{}-{}"{}><label class="form-check-label" for="facet-{}-{}">{}'
    ' <span class="text-body-secondary">({})</span></label></div>'
)


def _count(count: int) -> str:
    """A count as the reader's language writes it (``intcomma``, as the total);
    below a thousand the digits are the same in every language, so it is skipped."""
    count = int(count)
    if -1000 < count < 1000:
        return str(count)
    return html.escape(intcomma(count))


@register.filter
def facet_checkboxes(values: Iterable[FacetValue], name: str) -> SafeString:
    """One checkbox per facet value of facet ``name`` (every text escaped with
    ``html.escape``, as Django's ``escape`` does after its check for lazy strings)."""
    field = html.escape(str(name))
    return mark_safe(  # noqa: S308  # texts and counts escaped, the rest are integers
        "".join(
            CHECKBOX.format(
                field,
                html.escape(str(f.value)),
                field,
                i,
                " checked" if f.selected else "",
                field,
                i,
                html.escape(str(f.label)),
                _count(f.count),
            )
            for i, f in enumerate(values, 1)
        )
    )
