"""Every invitee gets one personal link by mail, exactly once, and those who have
not answered one reminder two days before closing, exactly once."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from monitoring.mail import mails_scan, reminder_due_at
from monitoring.models import Invitation, InvitationMail, Moment
from monitoring.services import response_submit, round_open

from .conftest import answers_for

pytestmark = pytest.mark.django_db

TEACHERS = {
    "coach@school.test",
    "rt@school.test",
    "sl@school.test",
    "mentor@school.test",
    "starter@school.test",
    "changer@school.test",
}


@pytest.fixture
def opened(network, instrument, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return round_open(
            school=network.school,
            instrument=instrument,
            moment=Moment.START,
            closes_on=timezone.localdate() + datetime.timedelta(days=10),
            opened_by=network.people["school_leader"],
        )


def recipients(outbox):
    return Counter(address for message in outbox for address in message.to)


def test_each_teacher_gets_their_own_link_once(opened, mailoutbox):
    assert recipients(mailoutbox) == Counter(dict.fromkeys(TEACHERS, 1))
    links = set()
    for message in mailoutbox:
        (invitation,) = Invitation.objects.filter(person__email=message.to[0])
        assert invitation.token in message.body
        links.add(invitation.token)
    assert len(links) == 6
    # More scans, later: nothing more.
    mails_scan()
    mails_scan(now=timezone.now() + datetime.timedelta(hours=1))
    assert len(mailoutbox) == 6


def test_the_invitation_speaks_the_teachers_language(network, instrument, mailoutbox, opened):
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Je persoonlijke link" in by_address["mentor@school.test"].body
    network.people["coach"].preferred_language = "en"
    network.people["coach"].save()
    # A new round: the coach's invitation comes in English.
    mailoutbox.clear()
    round_open(
        school=network.school,
        instrument=instrument,
        moment=Moment.END,
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
        opened_by=None,
    )
    mails_scan()
    english = next(m for m in mailoutbox if m.to == ["coach@school.test"])
    assert "Your personal link" in english.body


def test_one_reminder_before_closing_to_those_who_did_not_answer(opened, mailoutbox):
    answered = Invitation.objects.get(person__email="mentor@school.test")
    response_submit(invitation_key=answered.key, answers=answers_for(opened.instrument, 4))
    mailoutbox.clear()
    due = reminder_due_at(opened.closes_on)
    with time_machine.travel(due - datetime.timedelta(minutes=1), tick=False):
        mails_scan()
    assert mailoutbox == []
    with time_machine.travel(due, tick=False):
        mails_scan()
        mails_scan()
    with time_machine.travel(due + datetime.timedelta(hours=5), tick=False):
        mails_scan()
    assert recipients(mailoutbox) == Counter(dict.fromkeys(TEACHERS - {"mentor@school.test"}, 1))
    assert all(opened.closes_on.strftime("%Y") in m.body or m.body for m in mailoutbox)
    assert InvitationMail.objects.filter(kind="reminder").count() == 5


def test_no_mail_after_closing(opened, mailoutbox):
    mailoutbox.clear()
    InvitationMail.objects.update(sent_at=None)  # as if the first mails had not gone out
    after = opened.closes_on + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(after, datetime.time(10)), tick=False):
        mails_scan()
    assert mailoutbox == []
