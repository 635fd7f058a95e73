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
the zone must be in the key. A moment written in a format of **the day only**
(``"j F Y"``, ``DATE_FORMAT``: no hour, zone or full timestamp; ``reads_only_the_day``)
reads nothing of it but its day on the wall clock, so it is written as that
``datetime.date`` and kept with the days: 95,000 studies were published at as
many moments but on 3,637 days, which the memo holds. Any other naive ``datetime`` and
anything else (``None``, text, a format that is not plain text, a zone that is not
a ``ZoneInfo`` or a fixed offset) is formatted every time. Errors are never kept:
they are raised (or answered) exactly as Django's own filter does.

Installed as a template builtin of the HTML engine (``config/settings/base.py``),
so it replaces Django's ``date`` filter without a ``{% load %}``;
``tests/test_cached_date.py`` holds it to Django's.
"""

import datetime
import zoneinfo
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.utils.formats import get_format
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


#: What ``django.utils.dateformat.DateFormat`` reads of the day alone: the day,
#: weekday, week, month and year. Every other letter reads the time, the zone or
#: the whole moment (``c``, ``r``, ``U``, ``I``) or is unknown.
_DAY_LETTERS = frozenset("bdDEFjlLmMnNoStwWyYz")


@lru_cache(maxsize=256)
def reads_only_the_day(arg: str | None, language: str | None) -> bool:
    """Whether the format ``arg`` (a format's name, resolved in ``language``, or
    the format itself; None is ``DATE_FORMAT``) writes nothing but the day: letters
    of ``_DAY_LETTERS``, other characters and backslash-escaped ones (literal)."""
    resolved = get_format(arg or "DATE_FORMAT")
    if not isinstance(resolved, str):
        return False
    escaped = False
    for character in resolved:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character.isalpha() and character not in _DAY_LETTERS:
            return False
    return True


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """As Django's ``|date`` (same output)."""
    if arg is None or isinstance(arg, str):
        kind = type(value)
        if kind is datetime.date:
            return _formatted(value, arg, get_language())
        if kind is datetime.datetime:
            language = get_language()
            if reads_only_the_day(arg, language):
                # The day on the wall clock of the moment's own zone (the engine
                # has put it in the page's zone, as Django's filter would see it).
                return _formatted(value.date(), arg, language)
            if isinstance(value.tzinfo, _KEPT_ZONES):
                return _formatted_moment(value, value.tzinfo, value.utcoffset(), arg, language)
    return defaultfilters.date(value, arg)


#: Settings that change how a format is resolved or written (tests override them).
_FORMAT_SETTINGS = frozenset(
    {
        "LANGUAGES",
        "LANGUAGE_CODE",
        "LOCALE_PATHS",
        "FORMAT_MODULE_PATH",
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "MONTH_DAY_FORMAT",
        "YEAR_MONTH_FORMAT",
    }
)


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting in _FORMAT_SETTINGS:
        for memo in (_formatted, _formatted_moment, reads_only_the_day):
            memo.cache_clear()
