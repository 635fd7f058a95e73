"""``|date`` with a day's answers remembered per process (``config.cached_date``):
the same text as Django's filter for every day, format and language; a moment in
time follows the time zone."""

import datetime
import zoneinfo

import pytest
from django.template import defaultfilters, engines
from django.utils import timezone, translation

from config import cached_date

DAYS = [datetime.date(2026, 1, 1), datetime.date(2026, 3, 16), datetime.date(2025, 12, 31)]
FORMATS = ['"j F Y"', '"l j F"', '"DATE_FORMAT"', '"SHORT_DATE_FORMAT"', "'Y-m-d'", '"D"', ""]


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_page_templates_use_the_remembering_filter_without_a_load():
    template = engines["django"].from_string("{{ day|date }}")
    assert template.template.nodelist[0].filter_expression.filters[0][0] is cached_date.date


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_each_day_reads_as_django_writes_it_in_each_language(language, day):
    with translation.override(language):
        for fmt in FORMATS:
            arg = f":{fmt}" if fmt else ""
            twice = render(f"{{{{ day|date{arg} }}}}|{{{{ day|date{arg} }}}}", day=day)
            expected = defaultfilters.date(day, fmt.strip("\"'") or None)
            assert twice == f"{expected}|{expected}"


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


def test_a_moment_follows_the_time_zone_and_nothing_is_kept_of_it():
    moment = datetime.datetime(2026, 3, 16, 23, 30, tzinfo=datetime.UTC)
    cached_date._formatted.cache_clear()
    with translation.override("en"):
        with timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
            assert render('{{ moment|date:"j F H:i" }}', moment=moment) == "17 March 00:30"
        with timezone.override(zoneinfo.ZoneInfo("UTC")):
            assert render('{{ moment|date:"j F H:i" }}', moment=moment) == "16 March 23:30"
    assert cached_date._formatted.cache_info().currsize == 0


def test_nothing_and_text_read_as_in_django():
    assert render('{{ none|date:"j F Y" }}|{{ empty|date }}', none=None, empty="") == "|"
    assert render('{{ text|date:"j F Y" }}', text="morgen") == ""
