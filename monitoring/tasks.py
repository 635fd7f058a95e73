"""Thin Celery tasks (as ``network_sessions.tasks``): load by id, call the service."""

from celery import shared_task

from . import mail


@shared_task(acks_late=True, ignore_result=True)
def scan_invitation_mail() -> int:
    return mail.mails_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_invitation_mail(mail_id: int) -> bool:
    return mail.invitation_mail_send(mail_id=mail_id)
