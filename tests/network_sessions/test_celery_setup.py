"""The Celery set-up the exactly-once design relies on."""

import datetime
from pathlib import Path

from celery.schedules import crontab
from django.conf import settings

import network_sessions
from network_sessions import mail, tasks


def test_beat_scans_every_minute_and_sends_the_digest_on_monday_morning():
    schedule = settings.CELERY_BEAT_SCHEDULE
    scan = schedule["network-sessions-scan"]
    assert scan["task"] == "network_sessions.tasks.scan_due_mail"
    assert scan["schedule"] <= 60
    digest = schedule["network-sessions-weekly-digest"]
    assert digest["task"] == "network_sessions.tasks.create_weekly_digests"
    assert digest["schedule"] == crontab(minute=0, hour=7, day_of_week="mon")


def test_tasks_are_acknowledged_late_and_workers_recycle_with_time_limits():
    for task in (tasks.scan_due_mail, tasks.send_delivery, tasks.send_digest):
        assert task.acks_late is True
    assert settings.CELERY_WORKER_MAX_TASKS_PER_CHILD
    assert settings.CELERY_TASK_TIME_LIMIT


def test_a_claim_only_goes_stale_after_the_worker_surely_died():
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    assert limit < mail.CLAIM_TIMEOUT


def test_no_eta_or_countdown_tasks_that_could_outlive_the_visibility_timeout():
    source = "\n".join(
        path.read_text() for path in Path(network_sessions.__file__).parent.rglob("*.py")
    )
    assert "countdown=" not in source
    assert "eta=" not in source
