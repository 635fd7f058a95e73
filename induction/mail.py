"""Check-in reminders: the starter and their mentor are mailed once, a few days
before a check-in that has not been held yet.

They go through the exactly-once outbox of ``network_sessions.mail`` (see its
docstring and the README): each reminder owed is a ``CheckInReminder`` row with a
unique constraint, created with ``ignore_conflicts`` by the beat scan, claimed with
one conditional UPDATE before sending and marked sent after. Two scans at once, a
task delivered twice or a retry: one mail.
"""

import datetime
import logging

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    claim,
    lease_and_queue,
    mark_sent,
    mark_skipped,
    release_after_failure,
)

from .models import CheckIn, CheckInReminder, MentorAssignment

logger = logging.getLogger(__name__)

#: A check-in is reminded of when it falls within this many days (today included).
REMINDER_DAYS_AHEAD = 3


def _current_mentor_of_plan(plan_ref: str) -> Subquery:
    current = MentorAssignment.objects.filter(plan=OuterRef(plan_ref), assigned_until__isnull=True)
    return Subquery(current.values("mentor")[:1])


def reminders_arm(*, now: datetime.datetime) -> int:
    """Owe a reminder to the starter and the current mentor of every check-in not
    held yet that falls in the next ``REMINDER_DAYS_AHEAD`` days. Rows that exist
    are left alone (the unique constraint). Returns the rows attempted."""
    today = timezone.localdate(now)
    check_ins = (
        CheckIn.objects.filter(
            held_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD),
        )
        .annotate(mentor_id=_current_mentor_of_plan("plan"))
        .values_list("pk", "due_on", "plan__membership__user", "mentor_id")
    )
    rows = [
        CheckInReminder(
            check_in_id=pk, recipient_id=recipient, due_on=due_on, due_at=now, next_attempt_at=now
        )
        for pk, due_on, starter, mentor in check_ins
        for recipient in (starter, mentor)
        if recipient is not None
    ]
    CheckInReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _why_obsolete(reminder: CheckInReminder, today: datetime.date) -> str:
    check_in = reminder.check_in
    if not reminder.recipient.is_active:
        return "recipient inactive"
    if check_in.held_on is not None:
        return "check-in held"
    if check_in.due_on != reminder.due_on or check_in.due_on < today:
        return "check-in moved or past"
    starter_id = check_in.plan.membership.user_id
    is_mentor = MentorAssignment.objects.filter(
        plan=check_in.plan, mentor=reminder.recipient, assigned_until__isnull=True
    ).exists()
    if reminder.recipient_id != starter_id and not is_mentor:
        return "no longer the mentor"
    return ""


def reminder_send(*, reminder_id: int) -> bool:
    """Send one check-in reminder if it is still owed. Safe to call any number of
    times, concurrently: it goes out once. Returns whether this call sent it."""
    reminder = (
        CheckInReminder.objects.select_related(
            "recipient", "check_in__plan__membership__user", "check_in__plan__membership__school"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at or reminder.skipped_at or reminder.failed_at:
        return False
    reason = _why_obsolete(reminder, timezone.localdate())
    if reason:
        logger.info("skipping check-in reminder %s: %s", reminder_id, reason)
        mark_skipped(CheckInReminder, reminder_id)
        return False
    token = claim(CheckInReminder, reminder_id)
    if token is None:
        return False
    plan = reminder.check_in.plan
    mentor = (
        MentorAssignment.objects.filter(plan=plan, assigned_until__isnull=True)
        .select_related("mentor")
        .first()
    )
    recipient = reminder.recipient
    try:
        send_templated_mail(
            template="emails/check_in_reminder",
            to=[recipient.email],
            language=recipient.language,
            context={
                "recipient": recipient,
                "starter": plan.membership.user,
                "mentor": mentor.mentor if mentor else None,
                "is_starter": recipient.pk == plan.membership.user_id,
                "check_in": reminder.check_in,
                "url": absolute_url(reverse("induction:plan", args=[plan.pk])),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(CheckInReminder, reminder_id, token, exc)
        return False
    mark_sent(CheckInReminder, reminder_id, token)
    return True


def reminders_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs: owe the reminders that are due, then queue every one
    owed and not waiting in the queue yet. Returns how many were queued."""
    from .tasks import send_check_in_reminder

    now = now or timezone.now()
    reminders_arm(now=now)
    return lease_and_queue(send_check_in_reminder, CheckInReminder, now, "due_at")
