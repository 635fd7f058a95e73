"""Thin Celery tasks: load by id, call the service. All idempotent, all acks_late
(a task lost with its worker is delivered again, and the claim in the service
makes the repeat harmless). No ETA or countdown anywhere: retries are rows with a
``next_attempt_at`` that the beat scan picks up."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def scan_due_mail() -> int:
    return services.deliveries_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_delivery(delivery_id: int) -> bool:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def send_digest(digest_id: int) -> bool:
    return services.digest_send(digest_id=digest_id)


@shared_task(acks_late=True, ignore_result=True)
def create_weekly_digests() -> int:
    count = services.digests_create()
    services.deliveries_scan()
    return count
