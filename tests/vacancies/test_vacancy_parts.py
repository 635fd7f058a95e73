"""A row of the vacancy board is rendered once per process for what it shows
(``vacancies.templatetags.vacancy_parts``): the same HTML as the template gives,
and a change to what it shows is on the board at once."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from vacancies.templatetags import vacancy_parts

from .conftest import days

pytestmark = pytest.mark.django_db


def _board(client: Client, language: str = "nl") -> str:
    client.cookies["django_language"] = language
    return client.get(reverse("vacancies:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_remembered_row_is_the_template_rendered(vacancies):
    vacancy = vacancies["public"]
    with translation.override("nl"):
        kept = vacancy_parts.vacancy_row(vacancy)
        assert kept == render_to_string("vacancies/_row.html", {"vacancy": vacancy})
        assert vacancy_parts.vacancy_row(vacancy) is kept  # remembered, not rendered again


def test_a_change_to_what_a_row_shows_is_on_the_board_at_once(client, network, vacancies):
    client.force_login(network.people["coach"])
    vacancy = vacancies["internal"]
    before = _board(client)
    assert "Interne vacature" in before
    vacancy.title = "Leraar Frans"
    vacancy.save()
    after = _board(client)
    assert "Interne vacature" not in after
    assert "Leraar Frans" in after
    network.school.name = "Basisschool De Brug"
    network.school.save()
    assert "Basisschool De Brug" in _board(client)
    vacancy.closes_on = days(12)
    vacancy.save()
    with translation.override("nl"):
        assert date_format(days(12), "j F Y") in _board(client)


def test_each_language_has_its_own_row(client, network, vacancies):
    client.force_login(network.people["coach"])
    vacancy = vacancies["public"]
    vacancy.closes_on = days(10)
    vacancy.save()
    dutch, english = _board(client, "nl"), _board(client, "en")
    with translation.override("nl"):
        closing_nl = date_format(days(10), "j F Y")
    with translation.override("en"):
        closing_en = date_format(days(10), "j F Y")
    assert f"Solliciteren tot en met {closing_nl}" in dutch
    assert f"Apply before the end of {closing_en}" in english
    assert "Apply before the end of" not in dutch


def test_the_remembered_filter_form_is_crispys_and_keeps_what_was_asked(client, network, vacancies):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django.http import QueryDict

    from vacancies.filters import VacancyFilter
    from vacancies.models import Vacancy

    def found(query: str, cities: list[str]) -> VacancyFilter:
        made = VacancyFilter(QueryDict(query), queryset=Vacancy.objects.none(), cities=cities)
        made.form.is_valid()
        return made

    with translation.override("nl"):
        asked = found("level=primary&city=Gent", ["Brussel", "Gent"])
        kept = vacancy_parts.vacancy_filter_form(asked)
        assert kept == as_crispy_form(found("level=primary&city=Gent", ["Brussel", "Gent"]).form)
        assert (
            vacancy_parts.vacancy_filter_form(found("level=primary&city=Gent", ["Brussel", "Gent"]))
            is kept
        )
        # another city offered, another value asked, a wrong value: each its own form
        other = vacancy_parts.vacancy_filter_form(found("city=Gent", ["Gent", "Leuven"]))
        assert "Leuven" in other and "Leuven" not in kept
        wrong = vacancy_parts.vacancy_filter_form(found("level=bogus", ["Gent"]))
        assert "is-invalid" in wrong and "bogus" not in kept
    with translation.override("en"):
        english = vacancy_parts.vacancy_filter_form(
            found("level=primary&city=Gent", ["Brussel", "Gent"])
        )
        assert "All cities" in english and "Alle gemeenten" in kept
    client.force_login(network.people["coach"])
    board = client.get(reverse("vacancies:list") + "?subject=Frans+%3Cb%3E").content.decode()
    assert 'value="Frans &lt;b&gt;"' in board  # what was typed stays, escaped
