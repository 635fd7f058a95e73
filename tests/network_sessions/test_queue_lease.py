"""A backlog is queued once, not once a minute: the beat scan queues a send task
for a mail only when no task for it is waiting (a lease on the row), so a slow or
stalled worker does not make the queue grow with every scan. Checked on the real
broker: tasks go into Redis and no worker takes them."""

import datetime
import json
from collections import Counter

import pytest
import redis
import time_machine
from django.conf import settings

from config.celery_app import app
from network_sessions import mail
from network_sessions.mail import deliveries_scan
from network_sessions.models import Delivery
from tests import factories

from .conftest import brussels

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DUE = brussels(2025, 11, 13, 14, 0)


@pytest.fixture
def stalled_worker():
    """Tasks go to the real Redis broker, where no worker takes them."""
    app._after_fork()  # fresh connection pools
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        yield redis.Redis.from_url(settings.CELERY_BROKER_URL)
    finally:
        app.control.purge()
        app.conf.task_always_eager = True


def queued_sends(broker) -> Counter:
    """How many send tasks wait in the queue, per delivery id."""
    waiting = Counter()
    for raw in broker.lrange("celery", 0, -1):
        headers = json.loads(raw)["headers"]
        if headers["task"] == "network_sessions.tasks.send_delivery":
            waiting[int(headers["argsrepr"].strip("()[],"))] += 1
    return waiting


@pytest.fixture
def backlog(plan, network):
    for _ in range(30):
        factories.RoleMembershipFactory(
            role="coach",
            school=network.school,
            school_year=network.school_year,
        )
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        plan()  # 33 invitees, the seven-day reminder falls due at DUE


def scan(at) -> int:
    with time_machine.travel(at, tick=False):
        return deliveries_scan()


def test_repeated_scans_with_a_stalled_worker_queue_each_mail_once(stalled_worker, backlog):
    for minute in range(4):
        scan(DUE + datetime.timedelta(minutes=minute))
    waiting = queued_sends(stalled_worker)
    assert set(waiting) == set(Delivery.objects.values_list("pk", flat=True))
    assert len(waiting) == 33
    assert set(waiting.values()) == {1}


def test_a_mail_whose_lease_expired_is_queued_again(stalled_worker, backlog):
    scan(DUE)
    assert scan(DUE + mail.QUEUE_LEASE - datetime.timedelta(seconds=1)) == 0
    # The task was lost (a worker killed with it, a flushed broker): queue it again.
    assert scan(DUE + mail.QUEUE_LEASE) == 33
    assert set(queued_sends(stalled_worker).values()) == {2}


def test_two_scans_at_once_queue_each_mail_once(stalled_worker, backlog):
    from .test_exactly_once_postgres import run_at_once

    with time_machine.travel(DUE, tick=False):
        mail.reminders_arm(now=DUE)
        run_at_once(deliveries_scan, 4)
    assert sorted(queued_sends(stalled_worker).values()) == [1] * 33


def test_a_scan_that_dies_while_queuing_leaves_no_lease_behind(
    stalled_worker, backlog, monkeypatch
):
    """The worker running the scan is killed after publishing a few tasks: the
    rows it had picked must not wait out the lease (in the chaos run this held
    hundreds of reminders back for five minutes)."""
    from network_sessions.tasks import send_delivery

    publish = send_delivery.apply_async
    published = []

    def dies_after_three(*args, **kwargs):
        if len(published) == 3:
            raise KeyboardInterrupt  # stands in for the SIGKILL: nothing after it runs
        published.append(publish(*args, **kwargs))

    monkeypatch.setattr(send_delivery, "apply_async", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        scan(DUE)
    monkeypatch.undo()
    assert not Delivery.objects.filter(queued_until__isnull=False).exists()
    assert scan(DUE + datetime.timedelta(minutes=1)) == 33
