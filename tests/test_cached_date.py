"""``|date`` with a day's answers remembered per process (``config.cached_date``):
the same text as Django's filter for every day, format and language; a moment in
time follows the time zone."""

import datetime
import zoneinfo

import pytest
from django.template import defaultfilters, engines
from django.test import override_settings
from django.utils import formats, timezone, translation

from config import cached_date

DAYS = [datetime.date(2026, 1, 1), datetime.date(2026, 3, 16), datetime.date(2025, 12, 31)]
FORMATS = ['"j F Y"', '"l j F"', '"DATE_FORMAT"', '"SHORT_DATE_FORMAT"', "'Y-m-d'", '"D"', ""]


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_page_templates_use_the_remembering_filter_without_a_load():
    template = engines["django"].from_string("{{ day|date }}")
    assert template.template.nodelist[0].filter_expression.filters[0][0] is cached_date.date


def assert_reads_as_django(value, formats, local=None):
    """``value|date`` in each of ``formats``, twice (the second from the memo), reads
    as Django's filter writes ``local`` (the value as the engine hands it over)."""
    for fmt in formats:
        arg = f":{fmt}" if fmt else ""
        twice = render(f"{{{{ v|date{arg} }}}}|{{{{ v|date{arg} }}}}", v=value)
        expected = defaultfilters.date(value if local is None else local, fmt.strip("\"'") or None)
        assert twice == f"{expected}|{expected}"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_each_day_reads_as_django_writes_it_in_each_language(language, day):
    with translation.override(language):
        assert_reads_as_django(day, FORMATS)


def test_a_kept_day_is_written_in_the_language_of_the_page():
    day = datetime.date(2026, 3, 16)
    cached_date._formatted.cache_clear()
    with translation.override("nl"):
        assert render('{{ day|date:"l j F Y" }}', day=day) == "maandag 16 maart 2026"
    with translation.override("en"):
        assert render('{{ day|date:"l j F Y" }}', day=day) == "Monday 16 March 2026"
    with translation.override("nl"):
        assert render('{{ day|date:"l j F Y" }}', day=day) == "maandag 16 maart 2026"
    assert cached_date._formatted.cache_info().hits == 1  # the third was kept


MOMENT_FORMATS = [
    '"j F H:i"',
    '"DATETIME_FORMAT"',
    '"l j F Y, G:i T O e I"',
    "'c'",
    '"P"',
    "",
    # the day only: written as the moment's day on the wall clock
    '"j F Y"',
    '"l j F Y"',
    '"SHORT_DATE_FORMAT"',
    '"D N S W z"',
    '"j F Y H"',  # one letter of the time: written as a moment
]
ZONES = ["Europe/Brussels", "UTC", "America/New_York"]
#: Around the end of summer time in Brussels (25 Oct 2026, 03:00 CEST -> 02:00 CET):
#: 00:30 and 01:30 UTC are both 02:30 on the wall, once in summer and once in winter.
MOMENTS = [
    datetime.datetime(2026, 3, 16, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("zone", ZONES)
def test_each_moment_reads_as_django_writes_it_in_each_zone_and_language(language, zone):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        for moment in MOMENTS:
            assert_reads_as_django(moment, MOMENT_FORMATS, timezone.localtime(moment))


def test_a_moment_follows_the_time_zone_of_the_page_though_it_is_kept():
    moment = datetime.datetime(2026, 3, 16, 23, 30, tzinfo=datetime.UTC)
    cached_date._formatted_moment.cache_clear()
    with translation.override("en"):
        for _ in range(2):
            with timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
                assert render('{{ moment|date:"j F H:i" }}', moment=moment) == "17 March 00:30"
            with timezone.override(zoneinfo.ZoneInfo("UTC")):
                assert render('{{ moment|date:"j F H:i" }}', moment=moment) == "16 March 23:30"
    with translation.override("nl"), timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
        assert render('{{ moment|date:"j F H:i" }}', moment=moment) == "17 maart 00:30"
    info = cached_date._formatted_moment.cache_info()
    assert (info.hits, info.currsize) == (2, 3)  # the second round was kept


class Fixed(datetime.tzinfo):
    """A zone the filter does not keep answers for (not a ZoneInfo)."""

    def utcoffset(self, dt):
        return datetime.timedelta(hours=5)

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "X"


def test_a_moment_in_another_kind_of_zone_is_formatted_every_time():
    cached_date._formatted_moment.cache_clear()
    moment = datetime.datetime(2026, 3, 16, 23, 30, tzinfo=Fixed())
    assert cached_date.date(moment, "H:i") == "23:30"
    assert cached_date._formatted_moment.cache_info().currsize == 0


def test_nothing_and_text_read_as_in_django():
    assert render('{{ none|date:"j F Y" }}|{{ empty|date }}', none=None, empty="") == "|"
    assert render('{{ text|date:"j F Y" }}', text="morgen") == ""


@pytest.mark.parametrize(
    ("fmt", "only_the_day"),
    [
        ("j F Y", True),
        (None, True),  # DATE_FORMAT
        ("DATE_FORMAT", True),
        ("SHORT_DATE_FORMAT", True),
        ("l j F Y", True),
        ("\\H j", True),  # an escaped letter is written as it is
        ("j F Y, H:i", False),
        ("j F Y H", False),
        ("DATETIME_FORMAT", False),
        ("c", False),
        ("r", False),
        ("U", False),
        ("I", False),  # summer time depends on the hour
        ("e", False),
        ("j é", False),  # a letter it does not know: formatted as a moment
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_format_reads_only_the_day_when_it_names_nothing_of_the_time(fmt, only_the_day, language):
    with translation.override(language):
        assert cached_date.reads_only_the_day(fmt, language) is only_the_day


def test_moments_of_one_day_in_a_format_of_the_day_are_written_once():
    """Publication dates: many moments, far fewer days."""
    cached_date._formatted.cache_clear()
    cached_date._formatted_moment.cache_clear()
    morning = datetime.datetime(2026, 3, 16, 7, 5, tzinfo=datetime.UTC)
    evening = datetime.datetime(2026, 3, 16, 22, 59, tzinfo=datetime.UTC)
    with translation.override("nl"), timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
        written = [render('{{ m|date:"j F Y" }}', m=m) for m in (morning, evening)]
        # 23:59 in Brussels is still the 16th; 23:00 UTC would be the 17th there
        late = render('{{ m|date:"j F Y" }}', m=evening + datetime.timedelta(minutes=1))
    assert written == ["16 maart 2026", "16 maart 2026"]
    assert late == "17 maart 2026"
    assert cached_date._formatted.cache_info().hits == 1
    assert cached_date._formatted_moment.cache_info().currsize == 0


def test_a_changed_format_setting_is_read_anew():
    """Nothing kept under the old settings answers (tests override them)."""
    day = datetime.date(2026, 3, 16)
    moment = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)
    source = "{{ d|date }}|{{ m|date }}"
    with translation.override("en"):
        assert render(source, d=day, m=moment) == "16 March 2026|16 March 2026"
        try:
            with override_settings(FORMAT_MODULE_PATH=None):  # Django's own English formats
                formats.reset_format_cache()  # Django resets it for FORMAT_SETTINGS only
                assert render(source, d=day, m=moment) == "March 16, 2026|March 16, 2026"
        finally:
            formats.reset_format_cache()
        assert render(source, d=day, m=moment) == "16 March 2026|16 March 2026"
