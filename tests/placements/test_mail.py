"""Placement mails go out exactly once: the confirmation to everyone concerned,
and the weekly capacity reminder to schools that have not answered."""

import datetime
import zoneinfo
from collections import Counter

import pytest
import time_machine

from placements import services
from placements.mail import placement_mail_scan, placement_mail_send, reminders_arm
from placements.models import PlacementMail

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = datetime.datetime(2026, 1, 12, 8, 0, tzinfo=BRUSSELS)


def recipients(mailoutbox) -> Counter:
    return Counter(address for message in mailoutbox for address in message.to)


def test_a_confirmation_mails_student_mentor_coach_and_bridge_builder_once(
    world, proposed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.placement_confirm(placement=proposed, by=world.people["placement_coordinator"])
    people = world.people
    expected = {people[p].email for p in ("student_teacher", "mentor", "coach", "bridge_builder")}
    assert recipients(mailoutbox) == Counter(expected)
    message = mailoutbox[0]
    assert "Basisschool De Regenboog" in message.subject
    assert f"/placements/{proposed.pk}/" in message.body
    # Scans and redelivered tasks later send nothing again.
    placement_mail_scan()
    placement_mail_scan()
    for row in PlacementMail.objects.all():
        assert placement_mail_send(mail_id=row.pk) is False
    assert len(mailoutbox) == 4
    assert PlacementMail.objects.filter(sent_at__isnull=False).count() == 4


def test_a_cancelled_placement_is_not_announced(world, proposed, mailoutbox):
    services.placement_confirm(placement=proposed, by=None)  # mails owed, not sent yet
    services.placement_cancel(placement=proposed, reason="Ziek", by=None)
    placement_mail_scan()
    assert mailoutbox == []
    assert PlacementMail.objects.filter(skipped_at__isnull=False).count() == 4


def test_schools_that_have_not_answered_are_reminded_once_a_week(world, mailoutbox):
    outsider = world.people["outsider"]  # coach of the other school, which has not answered
    with time_machine.travel(MONDAY, tick=False):
        placement_mail_scan()
        placement_mail_scan()
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        placement_mail_scan()
    assert recipients(mailoutbox) == Counter({outsider.email: 1})
    assert "Atheneum Noord" in mailoutbox[0].subject
    assert "/placements/schools/" in mailoutbox[0].body
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        placement_mail_scan()
    assert recipients(mailoutbox) == Counter({outsider.email: 2})


def test_answering_stops_the_reminders_even_one_already_owed(world, mailoutbox):
    network = world.network
    with time_machine.travel(MONDAY, tick=False):
        reminders_arm(now=MONDAY)
        services.capacity_state(
            school=network.other_school,
            institution=network.institution,
            school_year=network.school_year,
            lines=[],
            mentors=[],
            by=world.people["outsider"],
        )
        placement_mail_scan()
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        placement_mail_scan()
    assert mailoutbox == []
    assert PlacementMail.objects.get().skipped_at is not None


def test_no_reminders_once_every_period_has_started(world, mailoutbox):
    after = datetime.datetime(2026, 4, 27, 8, 0, tzinfo=BRUSSELS)  # stage 2 began on 20 April
    with time_machine.travel(after, tick=False):
        placement_mail_scan()
    assert mailoutbox == []
