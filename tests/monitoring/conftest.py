"""Helpers for the monitoring tests: the demo instrument, rounds and answers."""

import datetime
import random

import pytest
from django.utils import timezone

from monitoring.demo import demo_instrument
from monitoring.models import Invitation, Moment, Round
from monitoring.services import response_submit
from schools.models import Role
from tests import factories


@pytest.fixture
def instrument(db):
    return demo_instrument()


def add_teachers(school, school_year, count: int) -> list:
    people = []
    for _number in range(count):
        person = factories.UserFactory()
        factories.RoleMembershipFactory(
            user=person, role=Role.TEACHER, school=school, school_year=school_year
        )
        people.append(person)
    return people


def make_round(school, school_year, instrument, moment=Moment.START, *, closes_in: int = 10):
    """A round with an invitation for every given person (no mail: tests of mail
    open rounds through the service)."""
    return Round.objects.create(
        school=school,
        school_year=school_year,
        instrument=instrument,
        moment=moment,
        closes_on=timezone.localdate() + datetime.timedelta(days=closes_in),
    )


def invite(round_, people) -> list[Invitation]:
    return [Invitation.objects.create(round=round_, person=person) for person in people]


def answers_for(instrument, value: int | None = None, rng: random.Random | None = None):
    rng = rng or random.Random(1)
    return {
        str(item.pk): value if value is not None else rng.randint(1, 6)
        for item in instrument.items.all()
    }


def answer(round_, instrument, count: int, value: int | None = None, people=None) -> None:
    """``count`` answers to the round, from new people unless given."""
    people = people or add_teachers(round_.school, round_.school_year, count)
    for invitation in invite(round_, people[:count]):
        response_submit(invitation_key=invitation.key, answers=answers_for(instrument, value))
