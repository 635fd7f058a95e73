"""Reminders by email: when they come (time zones and daylight saving included),
to whom, in which language, and exactly once even when things go wrong."""

import datetime
import smtplib
from collections import Counter
from unittest import mock

import pytest
import time_machine
from icalendar import Calendar

from network_sessions import mail
from network_sessions.mail import (
    deliveries_scan,
    delivery_send,
    reminder_due_at,
    reminders_arm,
)
from network_sessions.models import Delivery
from network_sessions.services import session_cancel, session_respond, session_update

from .conftest import brussels

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
COACHES_AND_BRIDGE_BUILDERS = {"coach@school.test", "bb@school.test", "other@school.test"}


def scan(at):
    with time_machine.travel(at, tick=False):
        return deliveries_scan()


def recipients(outbox, subject_start=""):
    return Counter(
        address
        for message in outbox
        if message.subject.startswith(subject_start)
        for address in message.to
    )


@pytest.fixture
def session(plan):
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        return plan()  # Thursday 20 November 2025, 14:00–17:00 Brussels time


def test_reminders_come_seven_days_and_one_day_before_at_the_sessions_hour(session, mailoutbox):
    scan(brussels(2025, 11, 13, 13, 59))
    assert mailoutbox == []
    scan(brussels(2025, 11, 13, 14, 0))
    assert recipients(mailoutbox) == Counter(COACHES_AND_BRIDGE_BUILDERS)
    scan(brussels(2025, 11, 13, 14, 1))
    scan(brussels(2025, 11, 19, 13, 59))
    assert len(mailoutbox) == 3
    scan(brussels(2025, 11, 19, 14, 0))
    assert recipients(mailoutbox) == Counter(dict.fromkeys(COACHES_AND_BRIDGE_BUILDERS, 2))
    scan(brussels(2025, 11, 20, 14, 0))  # the session has started: nothing more
    assert len(mailoutbox) == 6


def test_a_reminder_speaks_the_invitees_language_and_carries_agenda_and_calendar(
    session, network, mailoutbox
):
    outsider = network.people["outsider"]
    outsider.preferred_language = "en"
    outsider.save()
    scan(brussels(2025, 11, 13, 14, 0))
    by_address = {message.to[0]: message for message in mailoutbox}
    dutch, english = by_address["coach@school.test"], by_address["other@school.test"]
    assert dutch.subject == "Herinnering: Lerend netwerk november op 20 november"
    assert "Beste Sara," in dutch.body
    assert "Data verzamelen" in dutch.body
    assert "donderdag 20 november 2025, 14:00–17:00" in dutch.body
    assert english.subject == "Reminder: Lerend netwerk november on 20 November"
    assert '<html lang="en">' in english.alternatives[0][0]
    assert "Thursday 20 November 2025, 14:00–17:00" in english.body
    html, mimetype = dutch.alternatives[0]
    assert mimetype == "text/html"
    assert "<li>Data verzamelen</li>" in html
    (filename, content, attachment_type) = dutch.attachments[0]
    assert filename.endswith(".ics")
    assert attachment_type.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["UID"] == f"{session.uid}@leerbrug"


def test_people_who_declined_get_no_reminder(session, network, mailoutbox):
    with time_machine.travel(brussels(2025, 11, 2, 9, 0), tick=False):
        session_respond(session=session, user=network.people["coach"], response="not_going")
        session_respond(session=session, user=network.people["outsider"], response="maybe")
    scan(brussels(2025, 11, 13, 14, 0))
    assert set(recipients(mailoutbox)) == {"bb@school.test", "other@school.test"}


def test_who_declines_after_the_first_reminder_gets_no_second(session, network, mailoutbox):
    scan(brussels(2025, 11, 13, 14, 0))
    with time_machine.travel(brussels(2025, 11, 14, 9, 0), tick=False):
        session_respond(session=session, user=network.people["coach"], response="not_going")
    scan(brussels(2025, 11, 19, 14, 0))
    assert recipients(mailoutbox)["coach@school.test"] == 1
    assert recipients(mailoutbox)["bb@school.test"] == 2


def test_across_the_spring_daylight_saving_change(plan, mailoutbox):
    """Summer time starts on Sunday 29 March 2026. A session on Monday 30 March at
    09:00 (UTC+2) is reminded at 09:00 on the Monday before (UTC+1, 08:00 UTC) and
    at 09:00 on the Sunday (UTC+2, 07:00 UTC): the session's hour, every time."""
    with time_machine.travel(brussels(2026, 3, 1, 9, 0), tick=False):
        plan(starts_at=brussels(2026, 3, 30, 9, 0))
    start = brussels(2026, 3, 30, 9, 0)
    assert reminder_due_at(starts_at=start, days=7) == datetime.datetime(
        2026, 3, 23, 8, 0, tzinfo=UTC
    )
    assert reminder_due_at(starts_at=start, days=1) == datetime.datetime(
        2026, 3, 29, 7, 0, tzinfo=UTC
    )
    scan(datetime.datetime(2026, 3, 23, 7, 59, tzinfo=UTC))
    assert len(mailoutbox) == 0
    scan(datetime.datetime(2026, 3, 23, 8, 0, tzinfo=UTC))
    assert len(mailoutbox) == 3
    scan(datetime.datetime(2026, 3, 29, 6, 59, tzinfo=UTC))
    assert len(mailoutbox) == 3
    scan(datetime.datetime(2026, 3, 29, 7, 0, tzinfo=UTC))
    assert len(mailoutbox) == 6


def test_across_the_autumn_daylight_saving_change(plan, mailoutbox):
    """Winter time starts on Sunday 25 October 2026; a session on Monday 26 October
    at 10:00 (UTC+1)."""
    with time_machine.travel(brussels(2026, 10, 1, 9, 0), tick=False):
        plan(starts_at=brussels(2026, 10, 26, 10, 0))
    scan(datetime.datetime(2026, 10, 19, 7, 59, tzinfo=UTC))
    assert len(mailoutbox) == 0
    scan(datetime.datetime(2026, 10, 19, 8, 0, tzinfo=UTC))  # 10:00 summer time
    assert len(mailoutbox) == 3
    scan(datetime.datetime(2026, 10, 25, 8, 59, tzinfo=UTC))
    assert len(mailoutbox) == 3
    scan(datetime.datetime(2026, 10, 25, 9, 0, tzinfo=UTC))  # 10:00 winter time
    assert len(mailoutbox) == 6
    assert "maandag 26 oktober 2026, 10:00–13:00" in mailoutbox[-1].body


def test_a_session_planned_after_its_first_reminder_time_gets_one_catch_up(plan, mailoutbox):
    with time_machine.travel(brussels(2025, 11, 18, 10, 0), tick=False):
        plan()  # two days ahead: the seven-day reminder time has passed
    scan(brussels(2025, 11, 18, 10, 1))
    assert recipients(mailoutbox) == Counter(COACHES_AND_BRIDGE_BUILDERS)
    scan(brussels(2025, 11, 18, 12, 0))
    assert len(mailoutbox) == 3
    scan(brussels(2025, 11, 19, 14, 0))
    assert recipients(mailoutbox) == Counter(dict.fromkeys(COACHES_AND_BRIDGE_BUILDERS, 2))


def test_a_session_planned_after_every_reminder_time_gets_one_not_a_burst(plan, mailoutbox):
    with time_machine.travel(brussels(2025, 11, 20, 8, 0), tick=False):
        plan()  # the same morning
    scan(brussels(2025, 11, 20, 8, 1))
    scan(brussels(2025, 11, 20, 9, 0))
    assert recipients(mailoutbox) == Counter(COACHES_AND_BRIDGE_BUILDERS)
    assert set(Delivery.objects.values_list("offset_days", flat=True)) == {1}


def test_reminder_days_are_set_per_session(plan, mailoutbox):
    with time_machine.travel(brussels(2025, 11, 1, 9, 0), tick=False):
        plan(reminder_days=[3])
        plan(title="Zonder herinnering", reminder_days=[])
    for day in range(13, 21):
        scan(brussels(2025, 11, day, 14, 0))
    assert {m.subject for m in mailoutbox} == {
        "Herinnering: Lerend netwerk november op 20 november"
    }
    assert len(mailoutbox) == 3
    assert set(Delivery.objects.values_list("offset_days", flat=True)) == {3}


def test_a_new_time_sends_an_update_and_re_arms_the_reminders(session, mailoutbox):
    scan(brussels(2025, 11, 13, 14, 0))  # the seven-day reminder for the old time
    new_start = brussels(2025, 12, 4, 14, 0)
    with time_machine.travel(brussels(2025, 11, 14, 9, 0), tick=False):
        session = session_update(
            session=session, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=3)
        )
    scan(brussels(2025, 11, 14, 9, 1))
    updates = [m for m in mailoutbox if m.subject.startswith("Gewijzigd")]
    assert recipients(updates) == Counter(COACHES_AND_BRIDGE_BUILDERS)
    assert updates[0].subject == "Gewijzigd: Lerend netwerk november, nu op 4 december"
    event = Calendar.from_ical(updates[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == new_start
    scan(brussels(2025, 11, 19, 14, 0))  # the old one-day time: nothing
    assert len(mailoutbox) == 6
    scan(brussels(2025, 11, 27, 14, 0))  # seven days before the new time
    assert len(mailoutbox) == 9
    assert recipients(mailoutbox, "Herinnering") == Counter(
        dict.fromkeys(COACHES_AND_BRIDGE_BUILDERS, 2)
    )


def test_a_new_title_raises_the_sequence_but_mails_nobody(session, mailoutbox):
    with time_machine.travel(brussels(2025, 11, 2, 9, 0), tick=False):
        session = session_update(session=session, title="Lerend netwerk: data")
        scan(brussels(2025, 11, 2, 9, 1))
    assert session.sequence == 1
    assert mailoutbox == []


def test_cancelling_tells_who_had_not_declined_and_stops_the_reminders(
    session, network, mailoutbox
):
    with time_machine.travel(brussels(2025, 11, 2, 9, 0), tick=False):
        session_respond(session=session, user=network.people["coach"], response="not_going")
    scan(brussels(2025, 11, 13, 14, 0))
    assert len(mailoutbox) == 2
    with time_machine.travel(brussels(2025, 11, 15, 9, 0), tick=False):
        session_cancel(session=session, reason="De spreker is ziek.")
    scan(brussels(2025, 11, 15, 9, 1))
    cancellations = [m for m in mailoutbox if m.subject.startswith("Geannuleerd")]
    assert set(recipients(cancellations)) == {"bb@school.test", "other@school.test"}
    event = Calendar.from_ical(cancellations[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    scan(brussels(2025, 11, 19, 14, 0))
    assert len(mailoutbox) == 4


def test_a_worker_killed_between_claim_and_send_is_retried_and_sends_once(session, mailoutbox):
    due = brussels(2025, 11, 13, 14, 0)
    with time_machine.travel(due, tick=False):
        reminders_arm(now=due)
        victim = Delivery.objects.get(recipient__email="coach@school.test")
        # The worker claims the row, then dies before it sends anything.
        assert mail.claim(Delivery, victim.pk) is not None
        deliveries_scan()
    assert "coach@school.test" not in recipients(mailoutbox)
    assert len(mailoutbox) == 2
    scan(due + datetime.timedelta(minutes=5))  # the claim is still fresh: hands off
    assert len(mailoutbox) == 2
    scan(due + mail.CLAIM_TIMEOUT + datetime.timedelta(minutes=1))  # stale: taken again
    scan(due + mail.CLAIM_TIMEOUT + datetime.timedelta(minutes=2))
    assert recipients(mailoutbox) == Counter(COACHES_AND_BRIDGE_BUILDERS)
    victim.refresh_from_db()
    assert victim.sent_at is not None
    assert victim.attempts == 2


def test_an_smtp_failure_is_retried_with_back_off_and_sent_once(session, mailoutbox):
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    due = brussels(2025, 11, 13, 14, 0)
    with mock.patch.object(EmailBackend, "send_messages", flaky):
        scan(due)
        assert len(mailoutbox) == 2
        failed = Delivery.objects.get(sent_at__isnull=True)
        assert "SMTPServerDisconnected" in failed.last_error
        assert failed.next_attempt_at == due + datetime.timedelta(minutes=1)
        scan(due + datetime.timedelta(seconds=30))  # backing off
        assert len(mailoutbox) == 2
        scan(due + datetime.timedelta(minutes=1))
        scan(due + datetime.timedelta(minutes=2))
    assert recipients(mailoutbox) == Counter(COACHES_AND_BRIDGE_BUILDERS)


def test_a_mail_the_server_keeps_refusing_is_given_up_and_logged(session, mailoutbox, caplog):
    from django.core.mail.backends.locmem import EmailBackend

    refuse = mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPDataError(554, b"rejected")
    )
    moment = brussels(2025, 11, 13, 14, 0)
    with refuse:
        for _attempt in range(mail.MAX_ATTEMPTS + 2):
            scan(moment)
            moment += datetime.timedelta(hours=3)
    assert mailoutbox == []
    assert Delivery.objects.filter(failed_at__isnull=False).count() == 3
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {mail.MAX_ATTEMPTS}
    assert "gave up on Delivery" in caplog.text


def test_a_redelivered_task_does_not_send_twice(session, mailoutbox):
    due = brussels(2025, 11, 13, 14, 0)
    with time_machine.travel(due, tick=False):
        reminders_arm(now=due)
        delivery = Delivery.objects.get(recipient__email="bb@school.test")
        assert delivery_send(delivery_id=delivery.pk) is True
        assert delivery_send(delivery_id=delivery.pk) is False
        deliveries_scan()
    assert recipients(mailoutbox)["bb@school.test"] == 1
