"""Periodic work of the library (Celery beat)."""

from celery import shared_task

from .search.spelling import refresh_vocabulary


@shared_task(acks_late=True, ignore_result=True)
def refresh_search_vocabulary() -> None:
    """Nightly: the words "Did you mean …?" may suggest (newly published ones)."""
    refresh_vocabulary()
