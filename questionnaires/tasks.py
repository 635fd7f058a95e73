"""Thin Celery task: the daily retention run (idempotent; see ``retention``)."""

from celery import shared_task

from . import retention


@shared_task(acks_late=True, ignore_result=True)
def apply_retention() -> dict[str, int]:
    return retention.retention_run()
