"""Embedded defaults for a laptop: SQLite, filesystem broker, mail to files."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# A page edited on a laptop shows at once: no page cache while debugging (the tests
# and production have it; LEERBRUG_PAGE_CACHE_SECONDS turns it on here too).
if DEBUG:
    LEERBRUG_PAGE_CACHE_SECONDS = int(env_str("LEERBRUG_PAGE_CACHE_SECONDS", "0"))  # noqa: F405
