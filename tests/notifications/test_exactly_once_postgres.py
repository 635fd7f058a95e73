"""Exactly once under real concurrency (PostgreSQL): threads with their own
connections notify, scan and create digests at the same moment."""

from collections import Counter

import pytest
import time_machine
from django.core import mail as django_mail

from notifications import mail
from notifications.models import DigestMail, Notification
from notifications.registry import Delivery
from research_cycle.notifications import comment_notify
from research_cycle.services import comment_add
from tests.network_sessions.conftest import brussels
from tests.network_sessions.test_exactly_once_postgres import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _stages():
    """Transactional tests flush the stages the data migration seeded."""
    from research_cycle.models import CycleStage
    from tests.browser.conftest import reseed_cycle_stages

    if not CycleStage.objects.exists():
        reseed_cycle_stages()


def test_the_same_event_notified_by_two_workers_at_once_is_one_notification_and_one_mail(
    network, entry
):
    comment = comment_add(entry=entry, author=network.people["coach"], body="@milan-de-smet")
    Notification.objects.all().delete()  # and its mail: start again from the event
    django_mail.outbox.clear()
    student = network.people["student_teacher"]
    run_at_once(lambda: comment_notify(comment=comment, mentions=[student]), 4)
    run_at_once(mail.notification_mail_scan, 4)
    assert Notification.objects.filter(kind="mention").count() == 1
    assert [m.to for m in django_mail.outbox].count([student.email]) == 1


def test_digests_created_and_sent_by_concurrent_beats_go_once_per_person(network, entry):
    with time_machine.travel(brussels(2025, 11, 11, 15, 0), tick=False):
        comment_add(entry=entry, author=network.people["coach"], body="Eerste")
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        run_at_once(lambda: mail.digests_create(period=Delivery.DAILY), 4)
        run_at_once(mail.notification_mail_scan, 4)
    per_person = Counter(address for message in django_mail.outbox for address in message.to)
    assert set(per_person) == {"rt@school.test", "st@school.test", "bb@school.test"}
    assert set(per_person.values()) == {1}
    assert DigestMail.objects.count() == 3


def test_a_batch_of_digests_sent_by_four_workers_at_once_goes_once_per_person(network, entry):
    """Workers given overlapping batches (a retried task beside a fresh one): the
    batch claim lets each digest go out once."""
    with time_machine.travel(brussels(2025, 11, 11, 15, 0), tick=False):
        comment_add(entry=entry, author=network.people["coach"], body="Eerste")
    with time_machine.travel(brussels(2025, 11, 12, 7, 0), tick=False):
        mail.digests_create(period=Delivery.DAILY)
        ids = list(DigestMail.objects.order_by("pk").values_list("pk", flat=True))
        sent = run_at_once(lambda: mail.digests_send(digest_ids=ids), 4)
    assert sum(sent) == 3
    per_person = Counter(address for message in django_mail.outbox for address in message.to)
    assert set(per_person) == {"rt@school.test", "st@school.test", "bb@school.test"}
    assert set(per_person.values()) == {1}
    assert DigestMail.objects.filter(sent_at__isnull=False).count() == 3
