"""Periodic work of the library (Celery beat)."""

from celery import shared_task

from .search.pg_heads import refresh_heads
from .search.spelling import refresh_vocabulary


@shared_task(acks_late=True, ignore_result=True)
def refresh_search_vocabulary() -> None:
    """Nightly: the words "Did you mean …?" may suggest (newly published ones),
    and the heads of the common words (which the vocabulary's counts choose)."""
    refresh_vocabulary()
    refresh_heads()


@shared_task(acks_late=True, ignore_result=True)
def refresh_search_heads() -> None:
    """After changes to the library (debounced, search/pg_heads.py): the heads of
    the common words, without which their searches rank every match again."""
    refresh_heads()
