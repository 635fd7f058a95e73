"""Rows for the admin changelist budget test (tests/partnership/test_admin.py)."""

import datetime

from notifications.models import DigestMail, Notification, NotificationMail, Preference
from tests import factories


def fill(network, rows: int) -> None:
    for number in range(rows):
        person = factories.UserFactory()
        notification = Notification.objects.create(
            recipient=person,
            kind="mention",
            event_key=f"admin:{number}",
            actor=network.people["coach"],
            target_id=1,
            params={"actor": "Sara", "team": "Lezen"},
            url="/",
        )
        NotificationMail.objects.create(notification=notification)
        Preference.objects.create(user=person, kind="mention", delivery="daily")
        DigestMail.objects.create(
            recipient=person, period="daily", period_start=datetime.date(2025, 11, 12)
        )
