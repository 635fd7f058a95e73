"""Check-in reminders: the starter and the mentor are mailed once, a few days before a
check-in that has not been held, in their own language, however often beat scans."""

import datetime
from collections import Counter

import pytest
import time_machine

from induction import mail
from induction.mail import reminder_send, reminders_scan
from induction.models import CheckInReminder
from induction.services import check_in_record, mentor_assign

from .conftest import BRUSSELS

pytestmark = pytest.mark.django_db


def scan(*args):
    at = datetime.datetime(*args, tzinfo=BRUSSELS)
    with time_machine.travel(at, tick=False):
        return reminders_scan()


def recipients(outbox):
    return Counter(address for message in outbox for address in message.to)


def test_starter_and_mentor_are_reminded_exactly_once(network, plan, mailoutbox):
    # The next check-in is on Wednesday 26 November 2025.
    scan(2025, 11, 22, 9, 0)
    assert mailoutbox == []  # four days before: not yet
    scan(2025, 11, 23, 9, 0)
    assert recipients(mailoutbox) == Counter({"starter@school.test": 1, "mentor@school.test": 1})
    for day, hour in [(23, 9), (23, 10), (24, 9), (25, 18), (26, 8)]:
        scan(2025, 11, day, hour, 0)
    assert len(mailoutbox) == 2
    # Sending a row again (a task delivered twice) sends nothing.
    for reminder in CheckInReminder.objects.all():
        assert reminder_send(reminder_id=reminder.pk) is False
    assert len(mailoutbox) == 2
    by_address = {message.to[0]: message for message in mailoutbox}
    assert by_address["starter@school.test"].subject == (
        "Begeleidingsgesprek met je mentor op 26 november"
    )
    assert "Griet Willems" in by_address["starter@school.test"].body
    assert "Ilias Bouzid" in by_address["mentor@school.test"].subject
    assert f"/induction/plans/{plan.pk}/" in by_address["mentor@school.test"].body


def test_the_overdue_check_in_is_not_reminded_of(network, plan, mailoutbox):
    scan(2025, 11, 12, 9, 0)  # 5 November is overdue, 26 November too far off
    assert mailoutbox == []


def test_a_check_in_held_early_is_not_reminded_of(network, plan, mailoutbox):
    check_in = plan.check_ins.get(due_on=datetime.date(2025, 11, 26))
    with time_machine.travel(datetime.datetime(2025, 11, 21, 9, 0, tzinfo=BRUSSELS)):
        check_in_record(check_in=check_in, held_on=datetime.date(2025, 11, 21), notes="", user=None)
    scan(2025, 11, 24, 9, 0)
    assert mailoutbox == []


def test_a_replaced_mentor_is_not_reminded_and_the_new_one_is(network, plan, mailoutbox):
    with time_machine.travel(datetime.datetime(2025, 11, 23, 8, 0, tzinfo=BRUSSELS), tick=False):
        mail.reminders_arm(now=datetime.datetime(2025, 11, 23, 8, 0, tzinfo=BRUSSELS))
        mentor_assign(starter=plan.membership, mentor=network.people["coach"], assigned_by=None)
    scan(2025, 11, 23, 9, 0)
    assert recipients(mailoutbox) == Counter({"starter@school.test": 1, "coach@school.test": 1})
    assert CheckInReminder.objects.filter(
        recipient=network.people["mentor"], skipped_at__isnull=False
    ).exists()


def test_reminders_speak_the_recipients_language(network, plan, mailoutbox):
    mentor = network.people["mentor"]
    mentor.preferred_language = "en"
    mentor.save()
    scan(2025, 11, 24, 9, 0)
    english = next(m for m in mailoutbox if m.to == ["mentor@school.test"])
    assert english.subject == "Check-in with Ilias Bouzid on 26 November"
    assert "Wednesday 26 November 2025" in english.body


def test_celery_beat_runs_the_scan(settings, network, plan, mailoutbox):
    from induction.tasks import scan_check_in_reminders

    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "induction.tasks.scan_check_in_reminders" in entries
    with time_machine.travel(datetime.datetime(2025, 11, 24, 9, 0, tzinfo=BRUSSELS), tick=False):
        scan_check_in_reminders.delay()
        scan_check_in_reminders.delay()
    assert len(mailoutbox) == 2
