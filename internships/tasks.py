"""Thin Celery tasks: load by id, call the service (see ``network_sessions.tasks``)."""

from celery import shared_task

from . import mail


@shared_task(acks_late=True, ignore_result=True)
def scan_internship_mail() -> int:
    return mail.internship_mail_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_internship_mail(mail_id: int) -> bool:
    return mail.internship_mail_send(mail_id=mail_id)
