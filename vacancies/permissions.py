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
from django.db.models import Q

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import scope_of
from schools.models import Role

if TYPE_CHECKING:
    from .models import Vacancy, VacancyQuerySet


def led_school_ids(user: AnyUser) -> list[int]:
    """The schools the person leads this school year: the schools they post for. From
    their scope (``access.scope``: read once per request, no query of its own)."""
    if not is_signed_in(user):
        return []
    return scope_of(user).school_ids_now([Role.SCHOOL_LEADER])


def manages_vacancy_condition(user: AnyUser) -> Q:
    """Over vacancies: those the person manages (all, for a network admin)."""
    if is_network_admin(user):
        return Q()
    return Q(school__in=led_school_ids(user))


def sees_every_open_vacancy(user: AnyUser) -> bool:
    """The person's part of ``visible_vacancies`` for open vacancies: whether they see
    every open one (a network admin, or a role in the network this school year) or
    only the public ones (anyone else). The school leaders' expired and withdrawn
    vacancies are not open, and leading a school is a role this year, so for open
    vacancies the rule is ``open_vacancies_seen_by(everyone=…)``. From the person's
    scope: no query of its own."""
    if not is_signed_in(user):
        return False
    if is_network_admin(user):
        return True
    return bool(scope_of(user).held_now())


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
    open_vacancies = queryset.open_on()
    if not sees_every_open_vacancy(user):
        open_vacancies = open_vacancies.filter(is_public=True)
    readable = Q(pk__in=open_vacancies.values("pk"))
    return queryset.filter(readable | manages_vacancy_condition(user))


@rules.predicate
def can_post_vacancies(user: AnyUser) -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return bool(led_school_ids(user))


@rules.predicate
def can_manage_vacancy(user: AnyUser, vacancy: "Vacancy") -> bool:
    if is_network_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return vacancy.school_id in led_school_ids(user)


rules.add_perm("vacancies.post_vacancy", can_post_vacancies)
rules.add_perm("vacancies.manage_vacancy", can_manage_vacancy)
