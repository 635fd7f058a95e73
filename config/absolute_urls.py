"""Absolute URLs: every one the platform hands out starts with ``LEERBRUG_BASE_URL``.

Sitemap, Atom feed, mail, calendar feeds, OAI-PMH, JSON-LD, citations and the API
all link to the same canonical address, whichever host name a request came in on
and whether or not there is a request at all (mail and Celery tasks have none).
The Sites framework stays installed only because allauth keys its login-attempt
counters by it; its ``example.com`` placeholder never reaches anybody.
"""

from urllib.parse import urlsplit

from django.conf import settings


def base_url() -> str:
    """The public address of the platform, scheme and host, without a trailing slash."""
    return settings.LEERBRUG_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse()`` or ``get_absolute_url()`` returns it) made absolute."""
    return f"{base_url()}{path}"


def base_scheme() -> str:
    return urlsplit(base_url()).scheme


def base_domain() -> str:
    """Host (and port, if any) of the base URL: what the Sites framework calls domain."""
    return urlsplit(base_url()).netloc
