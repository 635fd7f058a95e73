"""Notification mails: the immediate mail of one notification and the daily and
weekly digests, all through the exactly-once outbox of ``network_sessions.mail``
(rows with a unique constraint, claimed before sending, marked sent after).

Every mail carries a signed one-click link to change the preference it came by
and the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers of RFC 8058.
"""

import datetime
import logging

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from network_sessions.mail import (
    SEND_ERRORS,
    claim,
    claim_many,
    lease_and_queue,
    mark_sent,
    mark_skipped,
    release_after_failure,
)

from . import registry
from .models import DigestMail, Notification, NotificationMail, Preference
from .registry import Delivery
from .tokens import make_token

logger = logging.getLogger(__name__)

#: A digest lists at most this many notifications (then "and N more" in the inbox).
DIGEST_LIMIT = 50
#: Digests one task sends: read and claimed together (a few queries and one
#: commit for the batch rather than six queries and two commits a person).
DIGESTS_PER_TASK = 50


def preference_link(user_id: int, scope: str) -> str:
    return absolute_url(reverse("notifications:preference_link", args=[make_token(user_id, scope)]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click: a mail client POSTs ``List-Unsubscribe=One-Click`` to the URL."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _still_visible(notification: Notification) -> bool:
    recipient = notification.recipient
    return recipient.is_active and notification.kind_spec.can_open(
        recipient, notification.target_id
    )


def notification_mail_send(*, mail_id: int) -> bool:
    """Send the immediate mail of one notification if it is still owed. Safe to call
    any number of times, concurrently: it goes out once."""
    row = (
        NotificationMail.objects.select_related("notification__recipient", "notification__actor")
        .filter(pk=mail_id)
        .first()
    )
    if row is None or row.sent_at or row.skipped_at or row.failed_at:
        return False
    notification = row.notification
    if notification.kind not in {kind.key for kind in registry.kinds()}:
        mark_skipped(NotificationMail, mail_id)
        return False
    if not _still_visible(notification) or notification.read_at is not None:
        logger.info("skipping notification mail %s: no longer owed", mail_id)
        mark_skipped(NotificationMail, mail_id)
        return False
    token = claim(NotificationMail, mail_id)
    if token is None:
        return False
    spec = notification.kind_spec
    recipient = notification.recipient
    change_url = preference_link(recipient.pk, spec.key)
    context = {
        "notification": notification,
        "recipient": recipient,
        "url": absolute_url(reverse("notifications:open", args=[notification.pk])),
        "preference_url": change_url,
        "kind_label": spec.label,
    }
    if spec.mail_context is not None:
        context.update(spec.mail_context(notification))
    try:
        send_templated_mail(
            template=spec.mail_template,
            to=[recipient.email],
            language=recipient.language,
            context=context,
            headers=unsubscribe_headers(change_url),
        )
    except SEND_ERRORS as exc:
        release_after_failure(NotificationMail, mail_id, token, exc)
        return False
    mark_sent(NotificationMail, mail_id, token)
    return True


# --- Digests ----------------------------------------------------------------------


def period_start(period: str, day: datetime.date) -> datetime.date:
    """The day a digest period starts: the day itself (daily) or its Monday (weekly)."""
    if period == Delivery.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    return day


def period_window(period: str, start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The notifications a digest sent on ``start`` reports: those of the day (or
    week) before it, in Brussels time."""
    days = 7 if period == Delivery.WEEKLY else 1
    zone = timezone.get_default_timezone()
    until = timezone.make_aware(datetime.datetime.combine(start, datetime.time()), zone)
    since = timezone.make_aware(
        datetime.datetime.combine(start - datetime.timedelta(days=days), datetime.time()), zone
    )
    return since, until


def _digest_notifications(digests: list[DigestMail]) -> dict[int, list[Notification]]:
    """Each digest's notifications: the person's unread ones of the window whose
    kind they get in this digest (at most ``DIGEST_LIMIT``), and which they may
    still open. For a batch of digests: one query for the preferences, one for
    the notifications of each period, one access check per person and kind."""
    people = {digest.recipient_id for digest in digests}
    chosen: dict[int, dict[str, str]] = {}
    for user, kind, delivery in Preference.objects.filter(user__in=people).values_list(
        "user", "kind", "delivery"
    ):
        chosen.setdefault(user, {})[kind] = delivery
    periods: dict[tuple[str, datetime.date], list[DigestMail]] = {}
    for digest in digests:
        periods.setdefault((digest.period, digest.period_start), []).append(digest)
    found: dict[int, list[Notification]] = {}
    for (period, start), group in periods.items():
        since, until = period_window(period, start)
        rows = Notification.objects.filter(
            recipient__in=[digest.recipient_id for digest in group],
            kind__in=[kind.key for kind in registry.kinds()],
            read_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        ).order_by("created_at", "pk")
        by_person: dict[int, list[Notification]] = {}
        for notification in rows:
            by_person.setdefault(notification.recipient_id, []).append(notification)
        for digest in group:
            mine = chosen.get(digest.recipient_id, {})
            wanted = [
                notification
                for notification in by_person.get(digest.recipient_id, [])
                if mine.get(notification.kind, notification.kind_spec.default.value) == period
            ][:DIGEST_LIMIT]
            found[digest.pk] = still_open(digest.recipient, wanted)
    return found


def still_open(recipient: User, notifications: list[Notification]) -> list[Notification]:
    """The notifications whose target the person may still open (the kind's own
    access rule, as when they open it), checked in one query per kind."""
    targets: dict[str, set[int]] = {}
    for notification in notifications:
        targets.setdefault(notification.kind, set()).add(notification.target_id)
    open_ids = {kind: registry.get(kind).open_ids(recipient, ids) for kind, ids in targets.items()}
    return [n for n in notifications if n.target_id in open_ids[n.kind]]


def digests_create(*, period: str, now: datetime.datetime | None = None) -> int:
    """Owe this period's digest to everyone with an unread notification in its
    window of a kind that reaches them in this digest. Concurrent or repeated
    runs create each row once (the unique constraint)."""
    now = now or timezone.now()
    start = period_start(period, timezone.localdate(now))
    since, until = period_window(period, start)
    pending = set(
        Notification.objects.filter(
            read_at__isnull=True, created_at__gte=since, created_at__lt=until
        ).values_list("recipient", "kind")
    )
    recipients = {recipient for recipient, _kind in pending}
    chosen = {
        (user, kind): delivery
        for user, kind, delivery in Preference.objects.filter(user__in=recipients).values_list(
            "user", "kind", "delivery"
        )
    }
    defaults = {kind.key: kind.default.value for kind in registry.kinds()}
    owed = {
        recipient
        for recipient, kind in pending
        if kind in defaults and chosen.get((recipient, kind), defaults[kind]) == period
    }
    rows = [
        DigestMail(
            recipient_id=recipient,
            period=period,
            period_start=start,
            due_at=now,
            next_attempt_at=now,
        )
        for recipient in sorted(owed)
    ]
    DigestMail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def digests_send(*, digest_ids: list[int]) -> int:
    """Send each of these digests once (safe to call any number of times,
    concurrently); one with nothing (left) to report is skipped, no mail. The
    batch is read in a few queries and claimed in one; each is marked sent right
    after its mail. Returns how many were sent."""
    digests = list(
        DigestMail.objects.select_related("recipient")
        .filter(pk__in=digest_ids, sent_at=None, skipped_at=None, failed_at=None)
        .order_by("pk")
    )
    active = [digest for digest in digests if digest.recipient.is_active]
    contents = _digest_notifications(active)
    for digest in digests:
        if not contents.get(digest.pk):
            mark_skipped(DigestMail, digest.pk)
    owed = {digest.pk: digest for digest in active if contents[digest.pk]}
    if not owed:
        return 0
    token, won = claim_many(DigestMail, list(owed))
    inbox_url = absolute_url(reverse("notifications:inbox"))
    sent = 0
    for pk in won:
        try:
            _digest_mail(owed[pk], contents[pk], inbox_url)
        except SEND_ERRORS as exc:
            release_after_failure(DigestMail, pk, token, exc)
            continue
        mark_sent(DigestMail, pk, token)
        sent += 1
    return sent


def _digest_mail(digest: DigestMail, notifications: list[Notification], inbox_url: str) -> None:
    recipient = digest.recipient
    change_url = preference_link(recipient.pk, f"digest:{digest.period}")
    send_templated_mail(
        template="emails/notification_digest",
        to=[recipient.email],
        language=recipient.language,
        context={
            "recipient": recipient,
            "notifications": [
                (
                    notification,
                    absolute_url(reverse("notifications:open", args=[notification.pk])),
                )
                for notification in notifications
            ],
            "weekly": digest.period == Delivery.WEEKLY,
            "inbox_url": inbox_url,
            "preference_url": change_url,
        },
        headers=unsubscribe_headers(change_url),
    )


def notification_mail_scan(*, now: datetime.datetime | None = None) -> int:
    """What celery beat runs every minute: queue every notification mail and
    digest that is owed and not waiting in the queue yet."""
    from .tasks import send_digest_mails, send_notification_mail

    now = now or timezone.now()
    return lease_and_queue(send_notification_mail, NotificationMail, now, "due_at") + (
        lease_and_queue(send_digest_mails, DigestMail, now, "pk", per_task=DIGESTS_PER_TASK)
    )
