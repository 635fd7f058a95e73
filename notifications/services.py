"""Writes of the notifications app: notify people of an event, mark read, set
preferences. Services check no permissions of the caller (the house rule, see
README); ``notify`` does check that each recipient may see the target."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from network_sessions.mail import queue_after_commit

from . import registry
from .models import Notification, NotificationMail, Preference
from .registry import Delivery


def delivery_for(user: User, kind: registry.Kind) -> str:
    """How this person wants this kind delivered: their preference or the default."""
    chosen = Preference.objects.filter(user=user, kind=kind.key).values_list("delivery", flat=True)
    return next(iter(chosen), kind.default.value)


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    target_id: int,
    event_key: str,
    url: str,
    actor: User | None = None,
    params: Mapping[str, Any] | None = None,
    body: str = "",
) -> list[Notification]:
    """Tell each recipient that an event concerns them, in the caller's transaction.

    The actor is never told of their own event, inactive people and people who
    may not open the target are skipped (checked here with the kind's rule, and
    again when the notification is opened). The unique (kind, recipient, event
    key) makes a repeat harmless: a retried task or a double submit adds nothing.
    People who want this kind immediately are owed one mail each (a row of the
    exactly-once outbox), queued when the transaction commits."""
    spec = registry.get(kind)
    people = {
        person.pk: person
        for person in recipients
        if person.is_active and (actor is None or person.pk != actor.pk)
    }
    if spec.readers is not None:
        may_read = set(
            spec.readers(target_id).filter(pk__in=list(people)).values_list("pk", flat=True)
        )
        allowed = [person for pk, person in people.items() if pk in may_read]
    else:
        allowed = [person for person in people.values() if spec.can_open(person, target_id)]
    if not allowed:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=person,
                    kind=kind,
                    event_key=event_key,
                    actor=actor,
                    target_id=target_id,
                    params=dict(params or {}),
                    body=body[:4000],
                    url=url,
                )
                for person in allowed
            ],
            ignore_conflicts=True,
        )
        # Read back: bulk_create with ignore_conflicts sets no primary keys.
        made = list(
            Notification.objects.filter(
                kind=kind, event_key=event_key, recipient__in=[p.pk for p in allowed]
            )
        )
        chosen = dict(
            Preference.objects.filter(user__in=[p.pk for p in allowed], kind=kind).values_list(
                "user", "delivery"
            )
        )
        mailed = [
            NotificationMail(notification=notification)
            for notification in made
            if chosen.get(notification.recipient_id, spec.default.value) == Delivery.IMMEDIATELY
        ]
        if mailed:
            NotificationMail.objects.bulk_create(mailed, ignore_conflicts=True)
            from .tasks import scan_notification_mail

            queue_after_commit(scan_notification_mail)
    return made


def notification_open(*, notification: Notification) -> Notification:
    """Mark it read (once: the first time counts)."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, kind: str, delivery: str) -> Preference:
    """Choose how one kind reaches this person. Unknown kinds and deliveries are
    refused (the forms offer only known ones; a forged link must change nothing)."""
    registry.get(kind)
    Delivery(delivery)
    preference, _ = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def preferences_set(*, user: User, choices: Mapping[str, str]) -> None:
    """Save the whole preferences form at once, all or nothing."""
    for kind, delivery in choices.items():
        preference_set(user=user, kind=kind, delivery=delivery)
