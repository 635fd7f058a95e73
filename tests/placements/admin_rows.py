"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

import datetime

from placements import services
from placements.mail import owe_confirmation
from placements.models import Level, PlacementPeriod
from tests import factories

from .conftest import add_student


def fill(network, rows: int) -> None:
    """``rows`` periods, each with a line at the home school, a request and a
    confirmed placement (so offers, lines, places, requests, preferences,
    placements and mails all have more rows than the budget)."""
    start = datetime.date(2026, 1, 5)
    periods = [
        PlacementPeriod.objects.create(
            institution=network.institution,
            school_year=network.school_year,
            name=f"Stage {n}",
            starts_on=start + datetime.timedelta(days=7 * n),
            ends_on=start + datetime.timedelta(days=7 * n + 4),
        )
        for n in range(rows)
    ]
    for period in periods:
        school = factories.SchoolFactory(partnership=network.partnership)
        offer = services.capacity_state(
            school=school,
            institution=network.institution,
            school_year=network.school_year,
            lines=[services.LineInput(period=period, level=Level.PRIMARY, subject="", places=1)],
            mentors=[],
            by=None,
        )
        student = add_student(network)
        line = offer.lines.get()
        request = services.request_state(student=student, period=period, choices=[line])
        placement = services.placement_propose(
            student=student, capacity=line, by=None, request=request, choice_rank=1
        )
        owe_confirmation(placement)
