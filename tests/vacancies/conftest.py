import datetime

import factory
import pytest
from django.utils import timezone

from tests.factories import SchoolFactory
from vacancies.models import Vacancy


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class VacancyFactory(factory.django.DjangoModelFactory):
    """Rows as the board stores them (the services' date rules are tested apart)."""

    class Meta:
        model = Vacancy

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Klasleraar {n}")
    level = "primary"
    subject = "Klasleraar"
    hours = 12
    full_time_hours = 24
    starts_on = factory.LazyFunction(lambda: days(30))
    closes_on = factory.LazyFunction(lambda: days(10))
    description = "Een fijne job in een warm team."
    contact_name = "Karim Benali"
    contact_email = "directie@regenboog.test"
    contact_phone = "02 555 01 23"
    is_public = False


@pytest.fixture
def vacancies(network):
    """At the home school: a public, an internal, an expired and a withdrawn vacancy;
    and an internal one at the other school."""
    school = network.school
    return {
        "public": VacancyFactory(school=school, title="Publieke vacature", is_public=True),
        "internal": VacancyFactory(school=school, title="Interne vacature"),
        "expired": VacancyFactory(
            school=school, title="Verlopen vacature", is_public=True, closes_on=days(-1)
        ),
        "withdrawn": VacancyFactory(
            school=school,
            title="Ingetrokken vacature",
            is_public=True,
            withdrawn_at=timezone.now(),
        ),
        "elsewhere": VacancyFactory(school=network.other_school, title="Vacature elders"),
    }


def valid_post(school, **overrides) -> dict:
    data = {
        "school": school.pk,
        "title": "Leraar wiskunde",
        "level": "secondary",
        "subject": "Wiskunde",
        "hours": "11",
        "full_time_hours": "22",
        "starts_on": days(40).isoformat(),
        "closes_on": days(14).isoformat(),
        "description": "Wiskunde in de tweede graad.",
        "contact_name": "Karim Benali",
        "contact_email": "directie@regenboog.test",
        "contact_phone": "02 555 01 23",
        "is_public": "on",
    }
    data.update(overrides)
    return data
