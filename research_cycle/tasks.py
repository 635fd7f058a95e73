"""Thin Celery tasks: load by id, call the service; idempotent and acks_late (see
``network_sessions.tasks``)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def make_attachment_preview(attachment_id: int) -> str | None:
    return services.attachment_make_preview(attachment_id=attachment_id)


@shared_task(acks_late=True, ignore_result=True)
def scan_pending_previews() -> int:
    return services.attachment_previews_scan()
