import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value: datetime.datetime | None) -> str:
    """A valid value for HTML's ``datetime`` attribute, to the second, in local time.
    Django's ``date:"c"`` adds microseconds, and HTML allows at most three digits."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")
