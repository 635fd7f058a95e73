"""Who may see and post vacancies. One place, enforced on the server.

| persona                                      | sees open vacancies | posts, edits, withdraws |
|----------------------------------------------|---------------------|-------------------------|
| anyone, logged in or not                     | the public ones     | –                       |
| anyone with a role this school year (student | all                 | –                       |
| and starting teachers, career changers,      |                     |                         |
| school staff, institution staff)             |                     |                         |
| school leader of the school (this year)      | all                 | its school's, expired   |
|                                              |                     | and withdrawn ones too  |
| network admin                                | all                 | every school's          |

Coaches do not post: hiring is the school leader's responsibility, the coach leads
the research team. Outsiders get 404 on vacancies they may not see; people who see a
vacancy but may not manage it get 403 on its edit and withdraw pages.
"""

import datetime
from typing import TYPE_CHECKING

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in, memberships
from schools.models import Role, RoleMembership

if TYPE_CHECKING:
    from .models import Vacancy, VacancyQuerySet


def _current(queryset: QuerySet[RoleMembership]) -> QuerySet[RoleMembership]:
    return queryset.filter(school_year__is_current=True)


def led_schools(user: AnyUser) -> QuerySet[RoleMembership]:
    """The person's school-leader memberships this school year: the schools they post for."""
    return _current(memberships(user, [Role.SCHOOL_LEADER]))


def manages_vacancy_condition(user: AnyUser) -> Q:
    """Over vacancies: those the person manages (all, for a network admin)."""
    if is_network_admin(user):
        return Q()
    if not is_signed_in(user):
        return Q(pk__in=[])
    return Q(Exists(led_schools(user).filter(school=OuterRef("school"))))


def _current_roles(*, user: int) -> "QuerySet[RoleMembership, str]":
    return (
        RoleMembership.objects.filter(user=user, school_year__is_current=True)
        .order_by()
        .values_list("role", flat=True)
    )


def sees_every_open_vacancy(user: AnyUser) -> bool:
    """The person's part of ``visible_vacancies`` for open vacancies: whether they see
    every open one (a network admin, or a role in the network this school year) or
    only the public ones (anyone else). The school leaders' expired and withdrawn
    vacancies are not open, and leading a school is a role this year, so for open
    vacancies the rule is ``open_vacancies_seen_by(everyone=…)``. One query, compiled
    once per process; it answers ``can_post_vacancies`` for the request as well."""
    from config.kept_query import kept_list

    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    roles = kept_list("vacancies.current_roles", _current_roles, user=user.pk)
    cache: dict[str, bool] = user.__dict__.setdefault("_vacancy_poster", {})
    cache.setdefault("value", Role.SCHOOL_LEADER in roles)
    return bool(roles)


def open_vacancies_seen_by(
    queryset: "VacancyQuerySet", *, today: datetime.date, everyone: bool
) -> "VacancyQuerySet":
    """The open vacancies (on ``today``) of ``visible_vacancies``, from the person's
    part of the rule (``sees_every_open_vacancy``): a pure function of its values."""
    open_vacancies = queryset.open_on(today)
    return open_vacancies if everyone else open_vacancies.filter(is_public=True)


def visible_vacancies(queryset: "VacancyQuerySet", user: AnyUser) -> "VacancyQuerySet":
    """Public open vacancies for everyone; every open vacancy for people with a role
    in the network this school year; and, for who manages them, expired and
    withdrawn vacancies too (to post them again)."""
    if not is_signed_in(user):
        return queryset.public()
    if is_network_admin(user):
        return queryset.all()
    in_network = Exists(_current(memberships(user)))
    open_vacancies = queryset.open_on()
    readable = Q(pk__in=open_vacancies.filter(in_network).values("pk")) | Q(
        pk__in=open_vacancies.filter(is_public=True).values("pk")
    )
    return queryset.filter(readable | manages_vacancy_condition(user))


@rules.predicate
def can_post_vacancies(user: AnyUser) -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    cache: dict[str, bool] = user.__dict__.setdefault("_vacancy_poster", {})
    if "value" not in cache:
        cache["value"] = led_schools(user).exists()
    return cache["value"]


@rules.predicate
def can_manage_vacancy(user: AnyUser, vacancy: "Vacancy") -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return led_schools(user).filter(school_id=vacancy.school_id).exists()


rules.add_perm("vacancies.post_vacancy", can_post_vacancies)
rules.add_perm("vacancies.manage_vacancy", can_manage_vacancy)
