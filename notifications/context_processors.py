"""The unread badge in the header of every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def badge(request: HttpRequest) -> dict[str, object]:
    """The unread count, counted only if the page shows it (at most one query;
    pages without the header, such as htmx fragments, spend none)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
