"""Thin Celery tasks: load by id, call the service. All idempotent, all acks_late
(a task lost with its worker is delivered again, and the claim in the service
makes the repeat harmless). No ETA or countdown anywhere: retries are rows with a
``next_attempt_at`` that the beat scan picks up."""

from celery import shared_task

from . import mail


@shared_task(acks_late=True, ignore_result=True)
def scan_due_mail() -> int:
    return mail.deliveries_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_delivery(delivery_id: int) -> bool:
    return mail.delivery_send(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def send_digest(digest_id: int) -> bool:
    return mail.digest_send(digest_id=digest_id)


@shared_task(acks_late=True, ignore_result=True)
def create_weekly_digests() -> int:
    count = mail.digests_create()
    mail.deliveries_scan()
    return count
