"""Thin Celery tasks: load by id, call the service (idempotent, acks_late; the
claim makes a repeat harmless). No ETA tasks: retries are rows the scan picks up."""

from celery import shared_task

from . import mail
from .registry import Delivery


@shared_task(acks_late=True, ignore_result=True)
def scan_notification_mail() -> int:
    return mail.notification_mail_scan()


@shared_task(acks_late=True, ignore_result=True)
def send_notification_mail(mail_id: int) -> bool:
    return mail.notification_mail_send(mail_id=mail_id)


@shared_task(acks_late=True, ignore_result=True)
def send_digest_mails(digest_ids: list[int]) -> int:
    return mail.digests_send(digest_ids=digest_ids)


@shared_task(acks_late=True, ignore_result=True)
def create_daily_digests() -> int:
    """The morning run: first the day's oversight notifications, then the digests."""
    from oversight.notifications import attention_scan

    attention_scan()
    count = mail.digests_create(period=Delivery.DAILY)
    mail.notification_mail_scan()
    return count


@shared_task(acks_late=True, ignore_result=True)
def create_weekly_digests() -> int:
    count = mail.digests_create(period=Delivery.WEEKLY)
    mail.notification_mail_scan()
    return count
