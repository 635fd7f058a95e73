"""Thin Celery tasks: load by id, call the service; idempotent and acks_late (see
``network_sessions.tasks``)."""

from celery import shared_task

from . import mail, services


@shared_task(acks_late=True, ignore_result=True)
def scan_placement_mail() -> int:
    return mail.placement_mail_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_placement_mail(mail_id: int) -> bool:
    return mail.placement_mail_send(mail_id=mail_id)


@shared_task(acks_late=True, ignore_result=True)
def follow_the_calendar() -> tuple[int, int]:
    """Daily: placements start and complete with their period (see the service)."""
    return services.placements_follow_calendar()
