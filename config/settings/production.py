"""Production: every secret from the environment, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int_default, env_str, mailers_setting

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")
# Every absolute link (mail, sitemap, feed, OAI-PMH, API) starts with it: no placeholder.
LEERBRUG_BASE_URL = env_str("LEERBRUG_BASE_URL")
if not LEERBRUG_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("Set LEERBRUG_BASE_URL to the public https:// address.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int_default("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Every signed-in page reads the session: from Redis, written through to the database
# (so a Redis restart logs nobody out). One query less on every page (issue 17).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
STORAGES = {
    **STORAGES,  # noqa: F405
    # whitenoise's compressed manifest storage, each URL worked out once per process
    "staticfiles": {"BACKEND": "config.static_storage.StaticStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Real mail in production: an SMTP relay on the host unless EMAIL_URL names another.
MAILERS = mailers_setting(env_str("EMAIL_URL", "smtp://localhost:25"))
