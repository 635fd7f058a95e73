"""What every web worker would otherwise build on its first requests, built once in
the process that loads the application (with gunicorn's ``preload_app``, the master,
before it forks the workers, so each worker starts with it; ``config/wsgi.py``).

Measured in a fresh process that had imported the URLconf, the network overview's
first request cost 335 ms of CPU against 7 ms for the next ones: the URL reverse
tables (built lazily, per language and per namespace: 90 ms on that page alone), the
page's templates (parsed on first use), and its kept queries (``config.kept_query``,
compiled per process with stand-in values and left to the first request: they need
the database's connection settings, which a forked worker must open itself). A
worker is recycled every ``max_requests`` (``config/gunicorn.conf.py``), so without
this a visitor now and then waited for it, and the worker's CPU went to it.

Only without ``DEBUG``: in development templates are read anew on every request
anyway, and ``runserver`` would pay for it on every reload. Nothing here touches the
database or the cache.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

#: The files the template engines load: pages and partials, mail text.
TEMPLATE_SUFFIXES = (".html", ".txt")


def warm() -> int:
    """Build the reverse tables in every language and parse every template of every
    engine into its cached loader; the number of templates parsed."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018  # built on first use, every namespace's too
    parsed = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory)
            for path in sorted(root.rglob("*")):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except Exception as error:  # noqa: BLE001  # a start never fails for it
                    # A template another engine or library reads (it fails on use,
                    # as without the warm-up): not for this start to decide.
                    logger.debug("warm-up: %s not parsed: %s", path, error)
                else:
                    parsed += 1
    return parsed
