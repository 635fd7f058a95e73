"""The questionnaire's mails: the invitation with the personal link, and one
reminder before closing to those who have not answered. Exactly once, with the
claim/lease machinery of ``network_sessions.mail`` (rows with a unique constraint,
claimed with one conditional UPDATE, no ETA tasks).

The reminder is due at 09:00 (Brussels) ``REMINDER_DAYS_BEFORE`` days before the
closing date. A round opened later than that gets no reminder: the invitation has
only just arrived.
"""

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    _queue_scan,
    claim,
    lease_and_queue,
    mark_sent,
    mark_skipped,
    release_after_failure,
)

from .models import Invitation, InvitationMail, Round

logger = logging.getLogger(__name__)

REMINDER_DAYS_BEFORE = 2
REMINDER_HOUR = 9


def reminder_due_at(closes_on: datetime.date) -> datetime.datetime:
    day = closes_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMINDER_HOUR)))


def reminders_arm(*, now: datetime.datetime) -> int:
    """Owe the reminder of every open round whose reminder time has come to the
    invitees who have not answered (``ignore_conflicts``: once per invitation)."""
    today = timezone.localdate(now)
    soon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    rounds = [
        r.pk
        for r in Round.objects.filter(closes_on__gte=today, closes_on__lte=soon)
        if reminder_due_at(r.closes_on) <= now
        and r.opened_on < r.closes_on - datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    ]
    if not rounds:
        return 0
    pending = (
        Invitation.objects.filter(round__in=rounds, used=False, person__is_active=True)
        .exclude(mails__kind=InvitationMail.Kind.REMINDER)
        .values_list("pk", flat=True)
    )
    rows = [
        InvitationMail(invitation_id=pk, kind=InvitationMail.Kind.REMINDER, next_attempt_at=now)
        for pk in pending
    ]
    InvitationMail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _why_obsolete(mail: InvitationMail) -> str:
    invitation = mail.invitation
    if not invitation.person.is_active:
        return "recipient inactive"
    if not invitation.round.is_open:
        return "round closed"
    if mail.kind == InvitationMail.Kind.REMINDER and invitation.used:
        return "already answered"
    return ""


def invitation_mail_send(*, mail_id: int) -> bool:
    """Send one invitation or reminder if still owed; safe to call any number of
    times, concurrently. Returns whether this call sent it."""
    mail = (
        InvitationMail.objects.select_related(
            "invitation__person", "invitation__round__school", "invitation__round__instrument"
        )
        .filter(pk=mail_id)
        .first()
    )
    if mail is None or mail.sent_at or mail.skipped_at or mail.failed_at:
        return False
    reason = _why_obsolete(mail)
    if reason:
        logger.info("skipping questionnaire mail %s: %s", mail_id, reason)
        mark_skipped(InvitationMail, mail_id)
        return False
    token = claim(InvitationMail, mail_id)
    if token is None:
        return False
    invitation = mail.invitation
    try:
        send_templated_mail(
            template=f"emails/monitoring_{mail.kind}",
            to=[invitation.person.email],
            language=invitation.person.language,
            context={
                "recipient": invitation.person,
                "round": invitation.round,
                "url": absolute_url(reverse("monitoring:answer", args=[invitation.token])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(InvitationMail, mail_id, token, exc)
        return False
    mark_sent(InvitationMail, mail_id, token)
    return True


def mails_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs every minute: arm due reminders, queue what is owed."""
    from .tasks import send_invitation_mail

    now = now or timezone.now()
    reminders_arm(now=now)
    return lease_and_queue(send_invitation_mail, InvitationMail, now, "due_at")


def queue_scan_after_commit() -> None:
    from .tasks import scan_invitation_mail

    transaction.on_commit(lambda: _queue_scan(scan_invitation_mail))
