"""The reminder to school leaders who have not confirmed their staff: from 45 days
before the school year ends, exactly once per leader, school and year, through the
mail outbox of ``network_sessions.mail`` (claimed, sent, marked)."""

import datetime
import smtplib
import zoneinfo
from unittest import mock

import pytest
import time_machine

from retention.models import ConfirmationReminder
from retention.services import (
    confirmation_reminder_send,
    confirmation_reminders_scan,
    staff_confirm,
)
from retention.tasks import scan_confirmation_reminders

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# The network's school year 2025-2026 ends on 30 June 2026: reminders from 16 May.
BEFORE = datetime.datetime(2026, 5, 15, 23, 0, tzinfo=BRUSSELS)
DUE = datetime.datetime(2026, 5, 16, 8, 0, tzinfo=BRUSSELS)


def scan(at):
    with time_machine.travel(at, tick=False):
        return confirmation_reminders_scan()


def test_the_reminder_goes_once_to_the_leader_of_a_school_that_has_not_confirmed(
    network, mailoutbox
):
    scan(BEFORE)
    assert mailoutbox == []
    scan(DUE)
    scan(DUE + datetime.timedelta(hours=1))
    with time_machine.travel(DUE + datetime.timedelta(days=3), tick=False):
        scan_confirmation_reminders()  # what beat runs
    assert [m.to for m in mailoutbox] == [["sl@school.test"]]
    message = mailoutbox[0]
    assert "Basisschool De Regenboog" in message.subject
    assert f"/monitoring/retention/schools/{network.school.pk}/confirm/" in message.body
    reminder = ConfirmationReminder.objects.get()
    assert reminder.sent_at is not None and reminder.attempts == 1


def test_sending_the_same_reminder_again_sends_nothing(network, mailoutbox):
    scan(DUE)
    reminder = ConfirmationReminder.objects.get()
    assert confirmation_reminder_send(reminder_id=reminder.pk) is False
    assert len(mailoutbox) == 1


def test_a_school_that_confirmed_gets_no_reminder(network, mailoutbox):
    people = network.people
    staff_confirm(
        school=network.school,
        school_year=network.school_year,
        user=people["school_leader"],
        statuses={
            people["starting_teacher"].pk: "still_here",
            people["career_changer"].pk: "still_here",
        },
    )
    scan(DUE)
    assert mailoutbox == []
    assert not ConfirmationReminder.objects.exists()


def test_a_reminder_owed_before_the_school_confirmed_is_skipped(network, mailoutbox):
    people = network.people
    with mock.patch("retention.services.lease_and_queue", return_value=0):
        scan(DUE)  # the row is owed, its task not run yet
    staff_confirm(
        school=network.school,
        school_year=network.school_year,
        user=people["school_leader"],
        statuses={people["starting_teacher"].pk: "unknown", people["career_changer"].pk: "left"},
    )
    scan(DUE + datetime.timedelta(hours=1))
    assert mailoutbox == []
    assert ConfirmationReminder.objects.get().skipped_at is not None


def test_an_smtp_error_is_retried_later_and_still_sends_once(network, mailoutbox):
    with mock.patch(
        "retention.services.send_templated_mail", side_effect=smtplib.SMTPServerDisconnected
    ):
        scan(DUE)
    assert mailoutbox == []
    reminder = ConfirmationReminder.objects.get()
    assert reminder.sent_at is None and reminder.next_attempt_at > reminder.due_at
    scan(DUE + datetime.timedelta(hours=1))
    scan(DUE + datetime.timedelta(hours=2))
    assert len(mailoutbox) == 1


def test_the_reminder_is_in_the_leaders_language(network, mailoutbox):
    leader = network.people["school_leader"]
    leader.preferred_language = "en"
    leader.save()
    scan(DUE)
    assert (
        mailoutbox[0].subject == "Please confirm the starting teachers of Basisschool De Regenboog"
    )
