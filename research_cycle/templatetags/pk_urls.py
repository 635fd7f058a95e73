"""``{% pk_url name pk %}``: the URL of an object by its primary key, reversed once.

The team page links every log entry and attachment (comment, edit, delete, view,
preview, download), and ``{% url %}`` resolved each link through the URL
resolver again: about a seventh of the page's CPU. A URL whose only argument is
the primary key is the same text around it for every object, so it is reversed
once per name, URL conf and script prefix (with a marker number in the pk's
place) and each object's pk is put where the marker was.
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_MARKER = "918273645"


@lru_cache(maxsize=256)
def _around(name: str, urlconf: str | None, script_prefix: str) -> tuple[str, str]:
    """The URL's text before and after the pk (the script prefix is in the key:
    ``reverse`` reads it)."""
    before, _, after = reverse(name, urlconf=urlconf, args=[int(_MARKER)]).partition(_MARKER)
    return before, after


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    """As ``{% url name pk %}`` for a URL with the primary key as its only argument."""
    before, after = _around(name, get_urlconf(), get_script_prefix())
    return f"{before}{int(pk)}{after}"
