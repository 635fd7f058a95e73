"""Reads of the public school pages: only what the school chose to show
(``SchoolPublicity``, safe defaults without a row), and never anything about
people. A fixed number of queries whatever the school has."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from knowledge_base.models import Study
from knowledge_base.public import public_studies
from partnership.models import SchoolYear
from research_cycle.models import ResearchTeam

from .models import School, SchoolPublicity

#: The newest published studies listed on a school's page (the library has the rest).
STUDIES_SHOWN = 30


@dataclass
class SchoolPage:
    school: School
    publicity: SchoolPublicity
    studies: list[Study] = field(default_factory=list)
    study_count: int = 0
    current_themes: list[str] = field(default_factory=list)
    partner_years: int | None = None


def publicity_of(school: School) -> SchoolPublicity:
    """The school's settings, or the defaults when it never changed them."""
    try:
        return school.publicity
    except SchoolPublicity.DoesNotExist:
        return SchoolPublicity(school=school)


def public_school(slug: str) -> School | None:
    return School.objects.select_related("publicity", "partnership").filter(slug=slug).first()


def _school_year_of(day: datetime.date) -> int:
    """The calendar year a day's school year starts in (school years start in September)."""
    return day.year if day.month >= 9 else day.year - 1


def partner_years(school: School, today: datetime.date) -> int | None:
    """The school years from ``active_since`` to ``active_until`` (or today), counted
    as begun (a school that joined this year has one)."""
    if school.active_since is None:
        return None
    end = min(school.active_until or today, today)
    return max(1, _school_year_of(end) - _school_year_of(school.active_since) + 1)


def school_page(school: School) -> SchoolPage:
    publicity = publicity_of(school)
    page = SchoolPage(school=school, publicity=publicity)
    if publicity.show_partnership_years:
        page.partner_years = partner_years(school, timezone.localdate())
    if publicity.show_studies:
        studies: QuerySet[Study] = public_studies().filter(school=school)
        page.studies = list(studies[:STUDIES_SHOWN])
        page.study_count = studies.count()
    if publicity.show_current_theme:
        current = SchoolYear.objects.filter(is_current=True).values("pk")
        page.current_themes = list(
            ResearchTeam.objects.filter(school=school, school_year__in=current)
            .order_by("theme")
            .values_list("theme", flat=True)
        )
    return page
