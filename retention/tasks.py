"""Thin Celery tasks (see ``network_sessions.tasks``): load by id, call the service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def scan_confirmation_reminders() -> int:
    return services.confirmation_reminders_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_confirmation_reminder(reminder_id: int) -> bool:
    return services.confirmation_reminder_send(reminder_id=reminder_id)
