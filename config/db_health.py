"""Connection health checks only for a connection that has been idle.

With ``CONN_HEALTH_CHECKS`` Django asks the database ``SELECT 1`` before the first
query of **every** request that reuses a connection: one more round trip per page
(on the 2-core benchmark machine, about a tenth of a short page's time). The
checks are there for a connection the database side dropped while it sat unused
(an idle timeout of the server, a proxy or a firewall; a restart during a quiet
hour). A connection whose last statement was answered a moment ago was not dropped
for being idle, so:

- every statement that returns records when its connection last answered (an
  ``execute_wrappers`` member, installed when a connection opens);
- the connection's ``close_if_health_check_failed`` (Django calls it before the
  first query of a request or task) counts a connection that answered less than
  ``RECENT_SECONDS`` ago as checked.

Anything idle longer is checked as before, and every other rule stands: a
connection with errors is tested at the end of the request, one past
``CONN_MAX_AGE`` is closed. What is given up: if the database restarts while
pages are being served, each web process may answer one request with an error
before it reconnects (those in flight fail either way).
"""

import time
from typing import Any

#: A connection that answered this recently is not asked ``SELECT 1`` again.
RECENT_SECONDS = 10.0


def _answered(execute, sql, params, many, context):
    """``connection.execute_wrappers`` member: when the connection last answered."""
    result = execute(sql, params, many, context)
    context["connection"].leerbrug_answered_at = time.monotonic()
    return result


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver (once per connection object: it reconnects
    with the same wrappers)."""
    if _answered in connection.execute_wrappers:
        return
    connection.execute_wrappers.append(_answered)
    check = connection.close_if_health_check_failed

    def close_if_health_check_failed() -> None:
        answered = getattr(connection, "leerbrug_answered_at", None)
        if answered is not None and time.monotonic() - answered < RECENT_SECONDS:
            connection.health_check_done = True  # answered a moment ago
        check()

    connection.close_if_health_check_failed = close_if_health_check_failed
