"""Bad input on the vacancy form: a field message in the visitor's language, the
form keeps what was typed, nothing is written."""

import pytest
from django.conf import settings

from vacancies.models import Vacancy

from .conftest import days, valid_post

pytestmark = pytest.mark.django_db

CASES = [
    # (field, typed value, Dutch message, English message)
    (
        "closes_on",
        days(-1).isoformat(),
        "De sluitingsdatum is voorbij",
        "The closing date has passed",
    ),
    ("closes_on", days(400).isoformat(), "hoogstens een jaar", "at most a year"),
    ("starts_on", "2199-09-01", "hoogstens twee jaar", "at most two years from now"),
    ("starts_on", "1999-09-01", "hoogstens een maand geleden", "at most a month ago"),
    ("starts_on", "31/02/2026", "Voer een geldige datum in", "Enter a valid date"),
    ("hours", "30", "Meer uren dan een voltijdse job (22)", "More hours than a full-time job (22)"),
    ("hours", "0", "minstens 1", "greater than or equal to 1"),
    ("full_time_hours", "99", "hoogstens 40", "less than or equal to 40"),
    ("hours", "-3", "minstens 1", "greater than or equal to 1"),
    ("contact_email", "geen-adres", "geldig e-mailadres", "valid email address"),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("field", "value", "dutch", "english"), CASES)
def test_bad_input_gets_a_field_message(client, network, language, field, value, dutch, english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(network.people["school_leader"])
    data = valid_post(network.school, **{field: value}, title="Getypte titel")
    response = client.post("/vacancies/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    message = " ".join(form.errors.get(field, []))
    assert (dutch if language == "nl" else english) in message, form.errors
    body = response.content.decode()
    assert 'value="Getypte titel"' in body  # what was typed stays
    assert not Vacancy.objects.exists()


def test_changing_a_vacancy_with_bad_dates_changes_nothing(client, network):
    client.force_login(network.people["school_leader"])
    client.post("/vacancies/new/", valid_post(network.school))
    vacancy = Vacancy.objects.get()
    response = client.post(
        f"/vacancies/{vacancy.pk}/edit/",
        valid_post(network.school, title="Nieuwe titel", closes_on=days(-3).isoformat()),
    )
    assert "closes_on" in response.context["form"].errors
    vacancy.refresh_from_db()
    assert vacancy.title == "Leraar wiskunde"
    assert vacancy.closes_on == days(14)


def test_the_database_refuses_more_hours_than_a_full_time_job(network):
    from django.db import IntegrityError, transaction

    from .conftest import VacancyFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(school=network.school, hours=25, full_time_hours=24)
