"""When Redis is down the site keeps working: pages render, people log in (the
cache falls back to the database cache, so failed logins are still counted), and
mail that cannot be queued is picked up by the next beat scan. Redis is simulated
as down by pointing at a port nobody listens on."""

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from kombu import Connection

from config.cache import FailSoftRedisCache
from config.celery_app import app
from network_sessions.mail import deliveries_scan
from network_sessions.models import Delivery, NetworkSession
from tests.factories import PASSWORD

from .conftest import brussels

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"
# Another transport than the real broker's, so no connection state of the dead one can
# linger in kombu's redis transport for the tests that use the real Redis afterwards.
DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1//"


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "leerbrug_cache",
        },
        "pages": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": DEAD_REDIS,
            "KEY_PREFIX": "pages",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "FALLBACK": "database",
        },
    }
    # The broker is the boundary: every connection the app opens goes nowhere.
    monkeypatch.setattr(app, "connection_for_write", lambda *a, **kw: Connection(DEAD_BROKER))
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        app._after_fork()  # drop connection pools made while the broker was "down"


def test_the_fail_soft_cache_falls_back_to_the_database_cache(redis_down):
    cache = caches["default"]
    assert isinstance(cache, FailSoftRedisCache)
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert cache.get("missing", "fallback") == "fallback"
    assert cache.add("k", "w") is False  # allauth's rate-limit lock relies on this
    assert cache.add("lock", True) is True
    assert cache.get_many(["k", "missing"]) == {"k": "v"}
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    assert cache.has_key("k") is True
    assert cache.delete("k") is True
    assert cache.get("k") is None


def test_failed_logins_are_still_counted_without_redis(client, network, redis_down):
    for _ in range(5):  # ACCOUNT_RATE_LIMITS: 5 failed logins per account in 5 minutes
        wrong = client.post(
            reverse("account_login"), {"login": "coach@school.test", "password": "nope"}
        )
        assert "Te veel" not in wrong.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "coach@school.test", "password": PASSWORD}
    )
    assert response.status_code == 200  # refused although the password is right
    assert "Te veel inlogpogingen" in response.content.decode()


def test_pages_render_and_people_log_in_without_redis(client, network, redis_down):
    assert client.get("/").status_code == 200
    response = client.post(
        reverse("account_login"),
        {"login": "coach@school.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "Komende sessies" in dashboard.content.decode()
    assert client.get(reverse("network_sessions:list")).status_code == 200


def test_planning_works_without_a_broker_and_the_next_scan_catches_up(
    client, network, redis_down, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(network.people["bridge_builder"])
    with (
        time_machine.travel(brussels(2025, 11, 18, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("network_sessions:create"),
            {
                "kind": "learning_network",
                "title": "Netwerk zonder Redis",
                "starts_at": "2025-11-20T14:00",
                "ends_at": "2025-11-20T17:00",
                "reminder_days": "7, 1",
                "audience_roles": ["coach"],
            },
        )
        assert response.status_code == 302
        # The beat scan runs, but nothing can be queued: no error, nothing lost.
        assert deliveries_scan() == 0
    assert mailoutbox == []
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 2
    assert NetworkSession.objects.get().title == "Netwerk zonder Redis"

    app.conf.task_always_eager = True  # Redis is back (tasks inline in tests)
    with time_machine.travel(brussels(2025, 11, 18, 10, 1), tick=False):
        deliveries_scan()
    assert sorted(m.to[0] for m in mailoutbox) == ["coach@school.test", "other@school.test"]
