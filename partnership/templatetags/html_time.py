import datetime

from django import template
from django.utils.timezone import template_localtime

register = template.Library()


@register.filter
def html_datetime(value: datetime.datetime | None) -> str:
    """A valid value for HTML's ``datetime`` attribute, to the second, in local time.
    Django's ``date:"c"`` adds microseconds, and HTML allows at most three digits."""
    if not value:
        return ""
    return template_localtime(value).isoformat(timespec="seconds")
