"""``|date`` in every template, a calendar day's answer remembered per process.

Formatting a date is slow for what it does: Django's ``date`` filter looks the
format up for the language, builds a ``DateFormat`` and translates the month's or
the day's name, about 0.03 ms each time. The team page wrote 15 dates for three
placements, the sessions and placement pages many more. For a ``datetime.date``
(no time, no time zone) the answer depends only on the day, the format and the
language, so it is kept under those (8,192 per process). A ``datetime`` depends on
the time zone too and is formatted every time, as is anything else (``None``, text,
a format that is not plain text). Errors are never kept: they are raised (or
answered) exactly as Django's own filter does.

Installed as a template builtin of the HTML engine (``config/settings/base.py``),
so it replaces Django's ``date`` filter without a ``{% load %}``;
``tests/test_cached_date.py`` holds it to Django's.
"""

import datetime
from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=8192)
def _formatted(day: datetime.date, arg: str | None, language: str | None) -> str:
    """Django's ``date`` filter, remembered (everything it reads is in the key)."""
    return defaultfilters.date(day, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """As Django's ``|date`` (same output)."""
    if type(value) is datetime.date and (arg is None or isinstance(arg, str)):
        return _formatted(value, arg, get_language())
    return defaultfilters.date(value, arg)
