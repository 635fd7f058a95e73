import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Import every view now (the URLconf), not on each worker's first request: with
# gunicorn's preload_app the workers are forked with them loaded (WeasyPrint alone
# takes seconds to import), so the first visitor after a start or a worker recycle
# does not wait.
get_resolver().url_patterns  # noqa: B018
if not settings.DEBUG:
    # And what the first requests of each worker would build: the URL reverse
    # tables of every language, every template parsed (config/warmup.py).
    from config.warmup import warm

    warm()
