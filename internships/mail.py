"""The mails of internships, exactly once, by the claim protocol of
``network_sessions.mail`` (a row per mail owed, claimed before sending, marked
sent after; the beat scan retries and requeues): the student hears that an
evaluation moment is complete and can be read."""

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

from .models import InternshipMail

logger = logging.getLogger(__name__)


def _why_obsolete(mail: InternshipMail) -> str:
    from .services import moment_complete

    if not mail.recipient.is_active:
        return "recipient inactive"
    if mail.placement.student_id != mail.recipient_id:
        return "no longer the student of this placement"
    if not moment_complete(mail.placement, mail.moment):
        return "moment no longer complete"
    return ""


def internship_mail_send(*, mail_id: int) -> bool:
    """Send one internship mail if it is still owed. Safe to call any number of
    times, concurrently: it goes out once. Returns whether this call sent it."""
    mail = (
        InternshipMail.objects.select_related("recipient", "placement__school", "placement__period")
        .filter(pk=mail_id)
        .first()
    )
    if mail is None or mail.sent_at or mail.skipped_at or mail.failed_at:
        return False
    reason = _why_obsolete(mail)
    if reason:
        logger.info("skipping internship mail %s: %s", mail_id, reason)
        mark_skipped(InternshipMail, mail_id)
        return False
    token = claim(InternshipMail, mail_id)
    if token is None:
        return False
    try:
        send_templated_mail(
            template="emails/internship_evaluation_complete",
            to=[mail.recipient.email],
            language=mail.recipient.language,
            context={
                "recipient": mail.recipient,
                "placement": mail.placement,
                "moment": mail.moment,
                "url": absolute_url(reverse("internships:detail", args=[mail.placement_id])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(InternshipMail, mail_id, token, exc)
        return False
    mark_sent(InternshipMail, mail_id, token)
    return True


def internship_mail_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs every minute: queue every internship mail that is
    owed and not already waiting (see ``network_sessions.mail.QUEUE_LEASE``)."""
    from .tasks import send_internship_mail

    return lease_and_queue(send_internship_mail, InternshipMail, now or timezone.now(), "pk")


def queue_scan_after_commit() -> None:
    """Queue a scan once the transaction that owes a mail commits (so it goes out
    at once); if the broker is down, beat runs one within a minute anyway."""
    from .tasks import scan_internship_mail

    transaction.on_commit(lambda: _queue_scan(scan_internship_mail))
