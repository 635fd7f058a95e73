"""The whole path with a real Celery worker and the real Redis broker: the beat
scan queues the owed reminders, the worker sends them, and a second scan plus a
redelivered task change nothing."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

import network_sessions.tasks as tasks
from config.celery_app import app
from network_sessions.models import Delivery

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def reminders(outbox):
    return [m for m in outbox if m.subject.startswith("Herinnering: Lerend netwerk november")]


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def real_broker(settings):
    """Tasks go through Redis instead of running inline."""
    assert app.conf.broker_url.startswith("redis://")
    # Fresh connection pools: a test that simulated a dead broker may have left one.
    app._after_fork()
    app.conf.task_always_eager = False
    try:
        app.control.purge()
        yield app
    finally:
        app.conf.task_always_eager = True


def test_a_real_worker_sends_each_reminder_once(real_broker, plan, mailoutbox):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    session = plan(starts_at=starts_at)  # the seven-day reminder is due at once
    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=15):
        tasks.scan_due_mail.delay()
        assert wait_for(lambda: len(reminders(mailoutbox)) >= 3), "the worker sent nothing"
        assert wait_for(lambda: Delivery.objects.filter(sent_at__isnull=False).count() == 3)
        # A second scan and a redelivered send task must not send again.
        tasks.scan_due_mail.delay()
        tasks.send_delivery.delay(Delivery.objects.first().pk)
        time.sleep(2)
    # The worker also sends the invitations of planning time (issue 14), once each.
    assert sorted(message.to[0] for message in reminders(mailoutbox)) == [
        "bb@school.test",
        "coach@school.test",
        "other@school.test",
    ]
    assert len(mailoutbox) == len({(m.subject, m.to[0]) for m in mailoutbox})
    assert Delivery.objects.filter(session=session, sent_at__isnull=False).count() == 3
