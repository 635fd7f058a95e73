"""English as the network writes it: day before month ("3 December 2026",
"3 Dec 2026"), a 24-hour clock and weeks from Monday, as on the Dutch pages.
Django's "en" formats are American (month first, "2 p.m."); its en_GB ones are
close, so they are the base and only the display formats differ."""

from django.conf.locale.en_GB.formats import (  # noqa: F401 (re-exported for Django)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    NUMBER_GROUPING,
    THOUSAND_SEPARATOR,
)

DATE_FORMAT = "j F Y"  # 3 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 3 December 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 3 December
SHORT_DATE_FORMAT = "j M Y"  # 3 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
