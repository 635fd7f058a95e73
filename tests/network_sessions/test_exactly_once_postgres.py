"""Exactly-once under real concurrency: threads with their own PostgreSQL
connections run the beat scan at the same moment."""

import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection

from network_sessions.mail import deliveries_scan, delivery_send, reminders_arm
from network_sessions.models import Delivery
from tests import factories

from .conftest import brussels

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DUE = brussels(2025, 11, 13, 14, 0)


def run_at_once(target, count: int) -> list:
    """Start ``count`` threads that call ``target`` together; re-raise failures."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.fixture
def crowded_session(plan, network):
    for _ in range(20):
        coach = factories.UserFactory()
        factories.RoleMembershipFactory(
            user=coach,
            role="coach",
            school=factories.SchoolFactory(partnership=network.partnership),
            school_year=network.school_year,
        )
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        return plan()


def test_two_beat_scans_at_once_send_one_mail_per_reminder(crowded_session, mailoutbox):
    mailoutbox.clear()  # the invitations, mailed once when the session was planned
    with time_machine.travel(DUE, tick=False):
        run_at_once(deliveries_scan, 2)
        run_at_once(deliveries_scan, 4)
    per_person = Counter(address for message in mailoutbox for address in message.to)
    assert len(per_person) == 23
    assert set(per_person.values()) == {1}
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 23


def test_eight_workers_sending_the_same_mail_send_it_once(crowded_session, mailoutbox):
    mailoutbox.clear()  # the invitations, mailed once when the session was planned
    with time_machine.travel(DUE, tick=False):
        reminders_arm(now=DUE)
        delivery = Delivery.objects.order_by("pk").first()
        outcomes = run_at_once(lambda: delivery_send(delivery_id=delivery.pk), 8)
    assert outcomes.count(True) == 1
    assert len(mailoutbox) == 1
