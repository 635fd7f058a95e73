"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

import datetime

from django.utils import timezone

from network_sessions.models import Delivery, DigestDelivery, NetworkSession, Participation
from tests import factories


def fill(network, rows: int) -> None:
    start = timezone.now() + datetime.timedelta(days=3)
    for number in range(rows):
        user = factories.UserFactory()
        session = NetworkSession.objects.create(
            kind=NetworkSession.Kind.KNOWLEDGE,
            title=f"Kennissessie {number}",
            school_year=network.school_year,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            organiser=user,
        )
        Participation.objects.create(session=session, user=user, response="going")
        Delivery.objects.create(
            session=session, recipient=user, kind=Delivery.Kind.REMINDER, starts_at=start
        )
        DigestDelivery.objects.create(recipient=user, week_of=datetime.date(2025, 11, 17))
