"""The mails of network sessions (reminders, updates, cancellations, the weekly
digest): services that owe, claim, send and scan.

Mail is exactly-once and survives crashes:

* every mail owed is a row (``Delivery`` / ``DigestDelivery``) with a unique
  constraint, created with ``ignore_conflicts`` so concurrent scans create it once;
* a sender **claims** the row with one conditional UPDATE before sending and
  marks it **sent** after, so concurrent scans, redelivered tasks and retries
  never send it twice;
* a worker killed between claim and send leaves a claim that goes stale after
  ``CLAIM_TIMEOUT`` (longer than the task time limit); the next beat scan queues
  it again. An SMTP error releases the claim with a back-off in
  ``next_attempt_at``; the beat scan retries it then (no ETA tasks at all);
* the scan queues a row only when no task for it is waiting: it takes a lease
  (``queued_until``) in the transaction that picks the rows and publishes their
  tasks, and the claim ends it. A slow worker therefore never finds the same
  mail queued many times over; a task lost with its worker is queued again when
  the lease runs out.

The one window left: a crash after the SMTP server accepted the mail and before
the "sent" mark is saved. The claim then goes stale and the mail is sent a second
time. Closing it would need the mail server to take part in the transaction
(an idempotency key it honours); for reminders, a rare duplicate beats a lost one.
"""

import datetime
import logging
import smtplib
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from schools.models import Role, RoleMembership

from .ics import session_ics, session_ics_filename
from .models import Delivery, DigestDelivery, NetworkSession, Participation
from .selectors import invitees, teams_needing_attention

logger = logging.getLogger(__name__)

#: A claim older than this belongs to a worker that died (the hard task time limit is 300 s).
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
#: How long a queued send task is trusted to be waiting in the broker: longer than
#: a backlog of one scan (500 mails) takes a worker, short enough that a task lost
#: with a killed worker (Redis hands it out again only after an hour) is queued again soon.
QUEUE_LEASE = datetime.timedelta(minutes=5)
#: At most this many mails of a kind are queued per scan.
SCAN_BATCH = 500
#: Attempts before a mail is given up (and logged as an error).
MAX_ATTEMPTS = 8
#: How far ahead a reminder can be (the form and the services refuse more).
MAX_REMINDER_DAYS = 60


# --- When reminders fall --------------------------------------------------------


def reminder_due_at(*, starts_at: datetime.datetime, days: int) -> datetime.datetime:
    """When the reminder ``days`` before a session falls: the same wall-clock time
    in Brussels that many calendar days earlier (so a reminder across a daylight
    saving change still comes at the session's hour, not an hour off)."""
    zone = timezone.get_default_timezone()
    local = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    return timezone.make_aware(local - datetime.timedelta(days=days), zone)


def current_reminder_offset(session: NetworkSession, now: datetime.datetime) -> int | None:
    """The reminder that is due now: the one with the fewest days whose time has
    come, as long as the session has not started. Earlier reminders that were
    missed (the session was planned after them, or beat was down) are superseded
    by it, so a person gets one catch-up mail, never a burst of stale ones."""
    if session.is_cancelled or session.starts_at <= now:
        return None
    due = [
        days
        for days in session.reminder_days
        if reminder_due_at(starts_at=session.starts_at, days=days) <= now
    ]
    return min(due) if due else None


# --- Mail owed ------------------------------------------------------------------


def not_declined(session: NetworkSession) -> QuerySet[User]:
    declined = session.participations.filter(response=Participation.Response.NOT_GOING)
    return invitees(session).exclude(pk__in=declined.values("user"))


def owe_mail(session: NetworkSession, kind: str, recipients: QuerySet[User]) -> None:
    Delivery.objects.bulk_create(
        [
            Delivery(
                session=session,
                recipient_id=recipient_id,
                kind=kind,
                starts_at=session.starts_at,
                sequence=session.sequence,
            )
            for recipient_id in recipients.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def skip_unsent_reminders(session: NetworkSession) -> None:
    Delivery.objects.filter(
        session=session, kind=Delivery.Kind.REMINDER, sent_at__isnull=True, skipped_at__isnull=True
    ).update(skipped_at=timezone.now())


def reminders_arm(*, now: datetime.datetime) -> int:
    """Create the reminder rows that are due now (ignoring ones that exist: the
    unique constraint makes concurrent scans harmless). Returns rows attempted."""
    horizon = now + datetime.timedelta(days=MAX_REMINDER_DAYS + 1)
    sessions = NetworkSession.objects.scheduled().filter(starts_at__gt=now, starts_at__lte=horizon)
    attempted = 0
    for session in sessions:
        days = current_reminder_offset(session, now)
        if days is None:
            continue
        # Only people without this reminder yet: the scan runs every minute.
        armed = Delivery.objects.filter(
            session=session,
            kind=Delivery.Kind.REMINDER,
            offset_days=days,
            starts_at=session.starts_at,
        )
        rows = [
            Delivery(
                session=session,
                recipient_id=recipient_id,
                kind=Delivery.Kind.REMINDER,
                offset_days=days,
                starts_at=session.starts_at,
                due_at=reminder_due_at(starts_at=session.starts_at, days=days),
                # The scan's own "now", so this very scan finds the row claimable.
                next_attempt_at=now,
            )
            for recipient_id in not_declined(session)
            .exclude(pk__in=armed.values("recipient"))
            .values_list("pk", flat=True)
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        attempted += len(rows)
    return attempted


def claimable(model, now):
    return model.objects.filter(
        sent_at__isnull=True,
        skipped_at__isnull=True,
        failed_at__isnull=True,
        next_attempt_at__lte=now,
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))


def claim(model, pk: int) -> uuid.UUID | None:
    """Take the row for this sender, or return None when another sender has it or
    it is done. One conditional UPDATE: under concurrency exactly one wins."""
    now = timezone.now()
    token = uuid.uuid4()
    won = (
        claimable(model, now)
        .filter(pk=pk)
        .update(claimed_at=now, claim_token=token, queued_until=None, attempts=F("attempts") + 1)
    )
    return token if won == 1 else None


def claim_many(model, pks: list[int]) -> tuple[uuid.UUID, list[int]]:
    """``claim`` for a batch in one conditional UPDATE (one commit instead of one
    per row): returns the token and the rows this sender won, the others being
    another sender's or done. Mark each sent on its own after sending it, so a
    crash resends at most the one mail being sent, as with ``claim``."""
    now = timezone.now()
    token = uuid.uuid4()
    claimable(model, now).filter(pk__in=pks).update(
        claimed_at=now, claim_token=token, queued_until=None, attempts=F("attempts") + 1
    )
    won = model.objects.filter(pk__in=pks, claim_token=token).values_list("pk", flat=True)
    return token, sorted(won)


def mark_sent(model, pk: int, token: uuid.UUID) -> None:
    model.objects.filter(pk=pk, claim_token=token).update(sent_at=timezone.now())


def mark_skipped(model, pk: int) -> None:
    model.objects.filter(pk=pk, sent_at__isnull=True).update(skipped_at=timezone.now())


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after a failed send: 1, 2, 4, … minutes, at most 2 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def release_after_failure(model, pk: int, token: uuid.UUID, error: Exception) -> None:
    row = model.objects.filter(pk=pk, claim_token=token).first()
    if row is None:
        return
    now = timezone.now()
    update: dict[str, object] = {
        "claimed_at": None,
        "claim_token": None,
        "last_error": repr(error)[:1000],
    }
    if row.attempts >= MAX_ATTEMPTS:
        update["failed_at"] = now
        logger.error(
            "gave up on %s %s after %d attempts: %r", model.__name__, pk, row.attempts, error
        )
    else:
        update["next_attempt_at"] = now + retry_delay(row.attempts)
        logger.warning("sending %s %s failed, retrying later: %r", model.__name__, pk, error)
    model.objects.filter(pk=pk, claim_token=token).update(**update)


#: What counts as "the mail server said no" (retry later) rather than a bug.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def _why_obsolete(delivery: Delivery, now) -> str:
    session = delivery.session
    if not delivery.recipient.is_active:
        return "recipient inactive"
    if delivery.kind == Delivery.Kind.REMINDER:
        if session.is_cancelled:
            return "session cancelled"
        if session.starts_at != delivery.starts_at:
            return "session moved"
        if session.starts_at <= now:
            return "session started"
        if session.participations.filter(
            user=delivery.recipient, response=Participation.Response.NOT_GOING
        ).exists():
            return "recipient declined"
    if not NetworkSession.objects.invited(delivery.recipient).filter(pk=session.pk).exists():
        return "no longer invited"
    return ""


def delivery_send(*, delivery_id: int) -> bool:
    """Send one session mail if it is still owed. Safe to call any number of times,
    concurrently: it goes out once. Returns whether this call sent it."""
    delivery = (
        Delivery.objects.select_related("session", "recipient").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.sent_at or delivery.skipped_at or delivery.failed_at:
        return False
    now = timezone.now()
    reason = _why_obsolete(delivery, now)
    if reason:
        logger.info("skipping delivery %s: %s", delivery_id, reason)
        mark_skipped(Delivery, delivery_id)
        return False
    token = claim(Delivery, delivery_id)
    if token is None:
        return False
    session, recipient = delivery.session, delivery.recipient
    participation = session.participations.filter(user=recipient).first()
    templates: dict[str, str] = {
        Delivery.Kind.REMINDER: "emails/session_reminder",
        Delivery.Kind.UPDATE: "emails/session_update",
        Delivery.Kind.CANCELLATION: "emails/session_cancelled",
    }
    template = templates[delivery.kind]
    try:
        send_templated_mail(
            template=template,
            to=[recipient.email],
            language=recipient.language,
            context={
                "session": session,
                "recipient": recipient,
                "response": participation.response if participation else "",
                "url": absolute_url(reverse("network_sessions:detail", args=[session.pk])),
            },
            attachments=[(session_ics_filename(session), session_ics(session), "text/calendar")],
        )
    except SEND_ERRORS as exc:
        release_after_failure(Delivery, delivery_id, token, exc)
        return False
    mark_sent(Delivery, delivery_id, token)
    return True


# --- Weekly digest ----------------------------------------------------------------


def digests_create(*, now: datetime.datetime | None = None) -> int:
    """Owe this week's digest to every bridge-builder of the current school year."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_of = today - datetime.timedelta(days=today.weekday())
    bridge_builders = (
        RoleMembership.objects.current()
        .filter(role=Role.BRIDGE_BUILDER, user__is_active=True)
        .values_list("user", flat=True)
        .distinct()
    )
    rows = [DigestDelivery(recipient_id=pk, week_of=week_of) for pk in bridge_builders]
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def digest_send(*, digest_id: int) -> bool:
    """Send one bridge-builder's weekly digest once; nothing to report, no mail."""
    digest = DigestDelivery.objects.select_related("recipient").filter(pk=digest_id).first()
    if digest is None or digest.sent_at or digest.skipped_at or digest.failed_at:
        return False
    teams = teams_needing_attention(digest.recipient)
    if not teams:
        mark_skipped(DigestDelivery, digest_id)
        return False
    token = claim(DigestDelivery, digest_id)
    if token is None:
        return False
    try:
        send_templated_mail(
            template="emails/session_digest",
            to=[digest.recipient.email],
            language=digest.recipient.language,
            context={
                "recipient": digest.recipient,
                "teams": teams,
                "days": settings.LEERBRUG_INACTIVITY_DAYS,
                "url": absolute_url(reverse("dashboard")),
            },
        )
    except SEND_ERRORS as exc:
        release_after_failure(DigestDelivery, digest_id, token, exc)
        return False
    mark_sent(DigestDelivery, digest_id, token)
    return True


# --- The beat scan --------------------------------------------------------------


def _publish(task, payloads: list) -> bool:
    """Publish one task per payload (an id, or a list of ids); when the broker is
    down, log and return False. One connection for the batch, and no connection
    retries: a web request must not hang on a dead Redis (kombu would retry for
    seconds)."""
    app = task.app
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            for payload in payloads:
                task.apply_async(args=[payload], connection=connection, retry=False)
    except (BrokerError, RedisError, OSError) as exc:
        logger.warning("could not queue %s, the next beat scan retries: %r", task.name, exc)
        return False
    return True


def queue_scan_after_commit() -> None:
    from .tasks import scan_due_mail

    queue_after_commit(scan_due_mail)


def queue_after_commit(task) -> None:
    """Run an argument-free scan task once the transaction commits (so mail owed
    by it goes out at once rather than at the next beat scan)."""
    transaction.on_commit(lambda: _queue_scan(task))


def _queue_scan(task) -> None:
    """Ask for a scan now (so a session planned today is mailed at once); if the
    broker is down, beat runs one within a minute anyway."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async()
        return
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            task.apply_async(connection=connection, retry=False)
    except (BrokerError, RedisError, OSError) as exc:
        logger.warning("could not queue the mail scan, beat runs it within a minute: %r", exc)


def lease_and_queue(
    task, model, now: datetime.datetime, order_by: str, per_task: int | None = None
) -> int:
    """Queue a send task for up to ``SCAN_BATCH`` owed rows that no task is waiting
    for, and lease them until ``now + QUEUE_LEASE``. The lease is taken in the
    transaction that publishes the tasks: rows another scan is leasing at the same
    moment are skipped (so concurrent scans queue each once), and if publishing
    fails (the broker is down, the scan's worker is killed) no lease is left
    behind to keep the rows waiting. Each task gets one id, or with ``per_task``
    a list of up to that many ids (for senders that read a batch at once)."""
    eager = task.app.conf.task_always_eager
    with transaction.atomic():
        pks = list(
            claimable(model, now)
            .filter(Q(queued_until__isnull=True) | Q(queued_until__lte=now))
            .select_for_update(skip_locked=True)
            .order_by(order_by)
            .values_list("pk", flat=True)[:SCAN_BATCH]
        )
        if not pks:
            return 0
        model.objects.filter(pk__in=pks).update(queued_until=now + QUEUE_LEASE)
        payloads: list = (
            [pks[i : i + per_task] for i in range(0, len(pks), per_task)] if per_task else pks
        )
        if not eager and not _publish(task, payloads):
            transaction.set_rollback(True)
            return 0
    if eager:  # tests: the tasks run inline, after the lease is committed
        for payload in payloads:
            task.apply_async(args=[payload])
    return len(pks)


def deliveries_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs every minute: arm due reminders, then queue every mail
    that is owed, not taken (or whose claim went stale) and not already waiting in
    the queue (see ``QUEUE_LEASE``). Returns how many were queued. Safe to run
    twice at once: each mail is queued by one of them."""
    from .tasks import send_delivery, send_digest

    now = now or timezone.now()
    reminders_arm(now=now)
    return lease_and_queue(send_delivery, Delivery, now, "due_at") + lease_and_queue(
        send_digest, DigestDelivery, now, "pk"
    )


# The outbox's public API for other apps (placements, internships, induction,
# monitoring, retention, questionnaires, notifications, privacy): ``claimable``,
# ``claim``, ``claim_many``, ``mark_sent``, ``mark_skipped``, ``release_after_failure``,
# ``lease_and_queue``, ``queue_after_commit``, ``SEND_ERRORS``.
