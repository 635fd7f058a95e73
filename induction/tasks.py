"""Thin Celery tasks: load by id, call the service (idempotent, acks_late; the
claim in ``mail.reminder_send`` makes a repeat harmless)."""

from celery import shared_task

from . import mail


@shared_task(acks_late=True, ignore_result=True)
def scan_check_in_reminders() -> int:
    return mail.reminders_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_check_in_reminder(reminder_id: int) -> bool:
    return mail.reminder_send(reminder_id=reminder_id)
