"""Reads of the vacancy board, each scoped to who asks."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Value
from django.http import QueryDict
from django.utils import timezone

from access.roles import AnyUser, is_network_admin
from config.kept_query import kept_list
from config.pagination import requested_page
from schools.models import School

from .filters import VacancyFilter
from .models import Vacancy
from .permissions import (
    led_school_ids,
    manages_vacancy_condition,
    open_vacancies_seen_by,
    sees_every_open_vacancy,
)

PAGE_SIZE = 20


@dataclass
class Board:
    filter: VacancyFilter
    page: Page


def _page(queryset: QuerySet[Vacancy], number: object) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(requested_page(number))


def _open_seen(
    *, today: datetime.date, everyone: bool, level: str = "", city: str = ""
) -> QuerySet[Vacancy]:
    found = open_vacancies_seen_by(Vacancy.objects.all(), today=today, everyone=everyone)
    if level:
        found = found.filter(level=level)
    if city:
        found = found.filter(school__city=city)
    return found


def _cities(**values: Any) -> "QuerySet[Vacancy, str]":
    return _open_seen(**values).order_by().values_list("school__city", flat=True).distinct()


def _count(**values: Any) -> "QuerySet[Any, int]":
    # grouped by a constant: one row, the number of vacancies
    return (
        _open_seen(**values)
        .order_by()
        .values(one=Value(1))
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def _listed(*, start: int, stop: int, **values: Any) -> QuerySet[Vacancy]:
    return _open_seen(**values).select_related("school").order_by("closes_on", "pk")[start:stop]


def vacancy_board(user: AnyUser, params: QueryDict) -> Board:
    """The open vacancies this person may see, filtered and a page at a time. Four
    queries, each compiled once per process (``config.kept_query``): whether the
    person sees every open vacancy, the cities to filter on, the count and the page.
    A search on the subject (a pattern the database is given, not the words) runs
    as a plain queryset."""
    everyone = sees_every_open_vacancy(user)
    today = timezone.localdate()
    shape = {"everyone": everyone}
    cities = sorted(set(kept_list("vacancies.board_cities", _cities, today=today, shape=shape)))
    found = VacancyFilter(params, queryset=Vacancy.objects.none(), cities=cities)
    found.form.is_valid()  # as django-filter: the fields that are valid filter
    chosen = found.form.cleaned_data
    if chosen.get("subject"):
        return _plain_board(user, params, cities)
    filters = {name: chosen[name] for name in ("level", "city") if chosen.get(name)}
    counted = kept_list("vacancies.board_count", _count, today=today, shape=shape, **filters)
    paginator = Paginator(range(counted[0] if counted else 0), PAGE_SIZE)
    page = paginator.get_page(requested_page(params.get("page")))
    start = (page.number - 1) * PAGE_SIZE
    page.object_list = kept_list(
        "vacancies.board_page",
        _listed,
        today=today,
        shape={"everyone": everyone, "start": start, "stop": start + PAGE_SIZE},
        **filters,
    )
    return Board(filter=found, page=page)


def _plain_board(user: AnyUser, params: QueryDict, cities: list[str]) -> Board:
    open_vacancies = Vacancy.objects.visible_to(user).open_on()
    found = VacancyFilter(
        params,
        queryset=open_vacancies.select_related("school").order_by("closes_on", "pk"),
        cities=cities,
    )
    return Board(filter=found, page=_page(found.qs, params.get("page")))


def managed_vacancies(user: AnyUser, page: object) -> Page:
    """Every vacancy this person manages, expired and withdrawn ones included, newest
    first: the school's own list, from which it edits or posts again."""
    managed = Vacancy.objects.filter(manages_vacancy_condition(user))
    return _page(managed.select_related("school").order_by("-created_at", "-pk"), page)


def schools_to_post_for(user: AnyUser, *, keep: int | None = None) -> QuerySet[School]:
    """The schools this person posts for: where they lead this school year (every
    active school for a network admin), and ``keep``, the school of the vacancy being
    changed."""
    mine = Q(is_active=True) if is_network_admin(user) else Q(pk__in=led_school_ids(user))
    return School.objects.filter(mine | Q(pk=keep)).order_by("name")


def public_vacancies() -> QuerySet[Vacancy]:
    """The public feed's vacancies, newest first."""
    return Vacancy.objects.public().select_related("school").order_by("-created_at", "-pk")
