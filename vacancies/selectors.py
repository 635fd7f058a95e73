"""Reads of the vacancy board, each scoped to who asks."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import QueryDict

from access.roles import AnyUser, is_network_admin
from config.pagination import requested_page
from schools.models import School

from .filters import VacancyFilter
from .models import Vacancy
from .permissions import led_schools, manages_vacancy_condition

PAGE_SIZE = 20


@dataclass
class Board:
    filter: VacancyFilter
    page: Page


def _page(queryset: QuerySet[Vacancy], number: object) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(requested_page(number))


def vacancy_board(user: AnyUser, params: QueryDict) -> Board:
    """The open vacancies this person may see, filtered and a page at a time. Three
    queries: the cities to filter on, the count and the page."""
    open_vacancies = Vacancy.objects.visible_to(user).open_on()
    cities = sorted(set(open_vacancies.values_list("school__city", flat=True)))
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
    if is_network_admin(user):
        mine = Q(is_active=True)
    else:
        mine = Q(pk__in=led_schools(user).values("school"))
    return School.objects.filter(mine | Q(pk=keep)).order_by("name")


def public_vacancies() -> QuerySet[Vacancy]:
    """The public feed's vacancies, newest first."""
    return Vacancy.objects.public().select_related("school").order_by("-created_at", "-pk")
