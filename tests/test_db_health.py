"""A reused database connection is health-checked (``SELECT 1``) only when it has
been idle (``config.db_health``): one round trip fewer on every page under load,
and a connection the database dropped while it sat unused is still replaced before
a page uses it."""

from contextlib import contextmanager

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import connections

from config import db_health

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@contextmanager
def own_connection():
    """A connection of its own as ``default`` (health checks on, kept between
    requests), outside the test's transaction."""
    real = connections["default"]
    settings_dict = dict(real.settings_dict, CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
    mine = real.__class__(settings_dict, "default")
    connections["default"] = mine
    try:
        yield mine
    finally:
        mine.close()
        connections["default"] = real


def one_request(connection) -> int:
    """A request that reads one row; the backend's process id that answered it."""
    request_started.send(sender=None, environ={})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    request_finished.send(sender=None)
    return pid


def checks_counted(connection, monkeypatch) -> list[bool]:
    asked: list[bool] = []
    real_check = connection.is_usable

    def is_usable() -> bool:
        asked.append(True)
        return real_check()

    monkeypatch.setattr(connection, "is_usable", is_usable)
    return asked


def test_a_connection_that_answered_a_moment_ago_is_not_asked_again(monkeypatch):
    with own_connection() as connection:
        first = one_request(connection)
        asked = checks_counted(connection, monkeypatch)
        assert one_request(connection) == first  # the same connection, reused
        assert asked == []


def test_an_idle_connection_is_checked_and_a_dropped_one_replaced(monkeypatch):
    with own_connection() as connection:
        first = one_request(connection)
        connection.leerbrug_answered_at -= db_health.RECENT_SECONDS + 1  # idle since
        asked = checks_counted(connection, monkeypatch)
        # the database drops it while it sits unused (an idle timeout, a restart)
        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [first])
        second = one_request(connection)  # no error: checked, found dead, reconnected
        assert asked == [True]
        assert second != first
        asked.clear()
        one_request(connection)  # and now it answered a moment ago again
        assert asked == []
