"""Notification mails: immediately or in a digest, per preference, exactly once,
with a one-click preference link and the RFC 8058 headers."""

import datetime

import pytest
import time_machine
from django.core import mail as django_mail
from django.utils import timezone

from notifications import mail, services
from notifications.models import DigestMail, Notification, NotificationMail
from notifications.registry import Delivery
from research_cycle.services import comment_add
from tests.network_sessions.conftest import brussels

pytestmark = pytest.mark.django_db


def test_a_mention_is_mailed_at_once_with_a_one_click_link(
    network, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet graag!")
    [message] = django_mail.outbox
    assert message.to == ["st@school.test"]
    assert message.subject == "Sara Peeters heeft je vermeld in het onderzoeksteam “Leesmotivatie”"
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http://localhost:8000/accounts/preferences/mail/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.strip("<>") in message.body
    assert "/notifications/" in message.body


def test_the_mail_is_in_the_recipients_language(network, entry, django_capture_on_commit_callbacks):
    student = network.people["student_teacher"]
    student.preferred_language = "en"
    student.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet please")
    [message] = django_mail.outbox
    assert message.subject == "Sara Peeters mentioned you in the research team “Leesmotivatie”"


def test_comments_wait_for_the_daily_digest(network, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(entry=entry, author=network.people["coach"], body="Goed zo")
    assert django_mail.outbox == []
    assert not NotificationMail.objects.exists()


def test_app_only_sends_no_mail(network, entry, django_capture_on_commit_callbacks):
    services.preference_set(user=network.people["student_teacher"], kind="mention", delivery="app")
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet kijk")
    assert django_mail.outbox == []
    assert network.people["student_teacher"].notifications.count() == 1


def test_a_repeated_event_makes_one_notification_and_one_mail(
    network, entry, django_capture_on_commit_callbacks
):
    comment = comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet")
    from research_cycle.notifications import comment_notify

    with django_capture_on_commit_callbacks(execute=True):
        comment_notify(comment=comment, mentions=[network.people["student_teacher"]])
        comment_notify(comment=comment, mentions=[network.people["student_teacher"]])
    assert Notification.objects.filter(kind="mention").count() == 1
    mail.notification_mail_scan()
    assert len(django_mail.outbox) == 1


def test_a_notification_read_before_its_mail_goes_out_is_not_mailed(network, entry):
    comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet")
    Notification.objects.update(read_at=timezone.now())
    mail.notification_mail_scan()
    assert django_mail.outbox == []


# --- Digests --------------------------------------------------------------------------


DAY = datetime.date(2025, 11, 12)


@pytest.fixture
def yesterday_comments(network, entry):
    with time_machine.travel(brussels(2025, 11, 11, 15, 0), tick=False):
        comment_add(entry=entry, author=network.people["coach"], body="Eerste")
        comment_add(entry=entry, author=network.people["student_teacher"], body="Tweede")


def test_the_daily_digest_goes_once_per_person_and_day(network, yesterday_comments):
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
        mail.notification_mail_scan()
    by_person = sorted(m.to[0] for m in django_mail.outbox)
    # The entry's author heard of both, the others of the comment not their own.
    assert by_person == ["bb@school.test", "coach@school.test", "rt@school.test", "st@school.test"]
    digest = next(m for m in django_mail.outbox if m.to == ["rt@school.test"])
    assert digest.subject == "Leerbrug vandaag: 2 meldingen"
    assert "List-Unsubscribe" in digest.extra_headers
    assert DigestMail.objects.filter(sent_at__isnull=False).count() == 4


def test_the_digest_is_in_the_persons_language(network, yesterday_comments):
    teacher = network.people["research_teacher"]
    teacher.preferred_language = "en"
    teacher.save()
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    digest = next(m for m in django_mail.outbox if m.to == ["rt@school.test"])
    assert digest.subject == "Leerbrug today: 2 notifications"
    assert "Sara Peeters commented on your log entry" in digest.body


def test_the_next_days_digest_does_not_repeat_yesterdays(network, yesterday_comments):
    with time_machine.travel(brussels(2025, 11, 13, 7, 0), tick=False):
        assert mail.digests_create(period=Delivery.DAILY) == 0


def test_read_notifications_leave_the_digest(network, yesterday_comments):
    Notification.objects.filter(recipient=network.people["coach"]).update(read_at=timezone.now())
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    assert "coach@school.test" not in [m.to[0] for m in django_mail.outbox]


def test_the_weekly_digest_collects_last_week(network, entry):
    teacher = network.people["research_teacher"]
    services.preference_set(user=teacher, kind="comment_on_my_entry", delivery="weekly")
    with time_machine.travel(brussels(2025, 11, 12, 15, 0), tick=False):  # a Wednesday
        comment_add(entry=entry, author=network.people["coach"], body="Eerste")
    with time_machine.travel(brussels(2025, 11, 13, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    assert "rt@school.test" not in [m.to[0] for m in django_mail.outbox]
    with time_machine.travel(brussels(2025, 11, 17, 7, 15), tick=False):  # Monday
        mail.digests_create(period=Delivery.WEEKLY)
        mail.digests_create(period=Delivery.WEEKLY)
        mail.notification_mail_scan()
    weekly = [m for m in django_mail.outbox if m.to == ["rt@school.test"]]
    assert [m.subject for m in weekly] == ["Leerbrug deze week: 1 melding"]


def test_a_digest_leaves_out_what_the_person_can_no_longer_see(network, yesterday_comments):
    from research_cycle.models import TeamMembership

    TeamMembership.objects.filter(user=network.people["student_teacher"]).delete()
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    assert "st@school.test" not in [m.to[0] for m in django_mail.outbox]
    assert DigestMail.objects.filter(skipped_at__isnull=False).count() == 1


def test_a_digest_keeps_the_team_still_open_and_drops_the_team_left_yesterday(network, entry):
    """One kind, two targets, one still open: the bulk check must tell them apart."""
    from research_cycle.models import TeamMembership
    from research_cycle.services import cycle_start, log_entry_create
    from tests import factories

    outsider, mentor = network.people["outsider"], network.people["mentor"]
    factories.TeamMembershipFactory(team=network.team, user=outsider, role="coach")
    factories.TeamMembershipFactory(team=network.other_team, user=mentor, role="research_teacher")
    cycle = cycle_start(team=network.other_team, user=outsider)
    other_entry = log_entry_create(
        cycle=cycle, author=mentor, stage=cycle.current_stage, occurred_on=DAY, summary="Start"
    )
    with time_machine.travel(brussels(2025, 11, 11, 15, 0), tick=False):
        comment_add(entry=entry, author=network.people["coach"], body="In het eerste team")
        comment_add(entry=other_entry, author=mentor, body="In het tweede team")
    TeamMembership.objects.filter(team=network.team, user=outsider).delete()
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    [digest] = [m for m in django_mail.outbox if m.to == ["other@school.test"]]
    assert digest.subject == "Leerbrug vandaag: 1 melding"
    assert "“Feedback”" in digest.body
    assert "Leesmotivatie" not in digest.body


def test_every_kinds_bulk_rule_is_its_rule_for_one_target(network, entry, plan):
    """``open_ids`` answers for many targets what ``can_open`` answers for each."""
    from notifications import registry

    plan()
    candidates = set(range(1, 6))
    for kind in registry.kinds():
        for person in network.people.values():
            one_by_one = {pk for pk in candidates if kind.can_open(person, pk)}
            assert kind.open_ids(person, candidates) == one_by_one, (kind.key, person.email)


def test_a_digest_the_server_refuses_waits_for_a_retry_while_the_batch_goes_out(
    network, yesterday_comments
):
    """Digests go in batches; one refused mail is retried alone, later, once."""
    import smtplib
    from unittest import mock

    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def refuse_the_teacher(self, messages):
        if messages[0].to == ["rt@school.test"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    refused = mock.patch.object(EmailBackend, "send_messages", refuse_the_teacher)
    with refused, time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        mail.notification_mail_scan()
    assert sorted(m.to[0] for m in django_mail.outbox) == [
        "bb@school.test",
        "coach@school.test",
        "st@school.test",
    ]
    waiting = DigestMail.objects.get(sent_at__isnull=True)
    assert "SMTPServerDisconnected" in waiting.last_error
    with time_machine.travel(brussels(2025, 11, 12, 7, 5), tick=False):
        mail.notification_mail_scan()
        mail.notification_mail_scan()
    assert sorted(m.to[0] for m in django_mail.outbox).count("rt@school.test") == 1
    assert len(django_mail.outbox) == 4
