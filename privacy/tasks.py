"""Thin Celery tasks: load by id, call the service (HackSoft style)."""

from celery import shared_task

from . import retention, services


@shared_task(acks_late=True, ignore_result=True)
def build_export(export_id: int) -> bool:
    return services.export_build(export_id=export_id)


@shared_task(acks_late=True, ignore_result=True)
def scan() -> dict[str, int]:
    """Every few minutes: exports whose worker died, owed mails, erasures due."""
    return retention.privacy_scan()


@shared_task(acks_late=True, ignore_result=True)
def apply_retention() -> dict[str, int]:
    """Nightly: remove what has been kept long enough, and report it."""
    return retention.retention_run()
