"""``|date`` in every template, a calendar day's answer remembered per process.

Formatting a date is slow for what it does: Django's ``date`` filter looks the
format up for the language, builds a ``DateFormat`` and translates the month's or
the day's name, about 0.03 ms each time. The team page wrote 15 dates for three
placements, the sessions and placement pages many more. For a ``datetime.date``
(no time, no time zone) the answer depends only on the day, the format and the
language, so it is kept under those (8,192 per process). A moment in time (an aware
``datetime``, which the template engine has put in the page's time zone before the
filter sees it) is kept under the moment, **its time zone** and offset, the format
and the language: two equal moments in different zones compare equal in Python, so
the zone must be in the key. A naive ``datetime`` and anything else (``None``,
text, a format that is not plain text, a zone that is not a ``ZoneInfo`` or a fixed
offset) is formatted every time. Errors are never kept: they are raised (or
answered) exactly as Django's own filter does.

Installed as a template builtin of the HTML engine (``config/settings/base.py``),
so it replaces Django's ``date`` filter without a ``{% load %}``;
``tests/test_cached_date.py`` holds it to Django's.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()


#: The zones whose name and offset say all a formatted moment reads of them.
_KEPT_ZONES = (zoneinfo.ZoneInfo, datetime.timezone)


@lru_cache(maxsize=8192)
def _formatted(day: datetime.date, arg: str | None, language: str | None) -> str:
    """Django's ``date`` filter, remembered (everything it reads is in the key)."""
    return defaultfilters.date(day, arg)


@lru_cache(maxsize=8192)
def _formatted_moment(
    moment: datetime.datetime,
    zone: object,
    offset: datetime.timedelta | None,
    arg: str | None,
    language: str | None,
) -> str:
    """Django's ``date`` filter for an aware moment, remembered. ``zone`` is in the
    key because moments in two zones compare by their instant (equal, yet written
    differently); ``offset`` because two moments in one zone compare by their wall
    time and ignore ``fold`` (the two 02:30s of the night summer time ends)."""
    return defaultfilters.date(moment, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """As Django's ``|date`` (same output)."""
    if arg is None or isinstance(arg, str):
        kind = type(value)
        if kind is datetime.date:
            return _formatted(value, arg, get_language())
        if kind is datetime.datetime and isinstance(value.tzinfo, _KEPT_ZONES):
            return _formatted_moment(value, value.tzinfo, value.utcoffset(), arg, get_language())
    return defaultfilters.date(value, arg)
