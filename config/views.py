import logging
import sys
import time

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.cache import never_cache

from .celery_app import app as celery_app

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.exception("health check: database")
        return False


#: Seconds one web process trusts its last broker check. A load balancer polls
#: /healthz every second or so per instance; opening a broker connection each time
#: made /healthz cost five hello-world requests (issue 17). A broker that goes down
#: shows within this many seconds.
BROKER_CHECK_SECONDS = 5.0
_broker_checked: tuple[float, bool] | None = None


def _broker_ok() -> bool:
    global _broker_checked  # noqa: PLW0603 - a per-process memo, on purpose
    now = time.monotonic()
    if _broker_checked is not None and now - _broker_checked[0] < BROKER_CHECK_SECONDS:
        return _broker_checked[1]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        ok = True
    except Exception:  # noqa: BLE001
        logger.exception("health check: broker")
        ok = False
    _broker_checked = (now, ok)
    return ok


def hello(request: HttpRequest) -> HttpResponse:
    """The smallest page through the whole middleware stack: the yardstick of
    benchmarks/load.py. Only routed when LEERBRUG_HELLO_VIEW is on (never by default)."""
    return HttpResponse("Hello, world", content_type="text/plain")


@never_cache
def healthz(request):
    """200 when the database and the Celery broker answer, 503 otherwise (the broker's
    answer may be up to ``BROKER_CHECK_SECONDS`` old)."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"}
    body.update({name: "ok" if ok else "error" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


#: Seconds a client is asked to wait when the database is unreachable.
RETRY_AFTER_SECONDS = 60


def _database_unreachable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. When the error is an unreachable database, answer 503 with
    Retry-After (as /healthz does) and a page in both languages: it is rendered
    without the request, since the session, the user and their language all live
    in the database. Any other error stays Django's 500."""
    if not _database_unreachable(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
