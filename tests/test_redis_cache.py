"""The Redis cache (``config.cache``) keeps one ``redis.Redis`` per connection pool
instead of Django's one per call. A kept client holds no connection of its own: when
Redis drops every connection (a restart), the next call answers from Redis again,
and each thread and process is served."""

import threading

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (CI starts it)"),
]

KEY = "leerbrug-test-one-client"


def test_after_redis_drops_every_connection_the_cache_answers_from_redis_again():
    cache = caches["default"]
    cache.set(KEY, "kept", 60)
    assert cache.get(KEY) == "kept"
    own = cache._cache.get_client().client_id()  # the pool's connection, lent again
    server = redis.Redis.from_url(settings.REDIS_URL)
    assert server.client_kill_filter(_id=own) == 1  # as a restart would
    # From Redis, not the database fallback (which never had the key).
    assert cache.get(KEY) == "kept"
    assert caches["database"].get(KEY) is None
    assert cache._cache.get_client().client_id() != own  # a new connection
    cache.set(KEY, "again", 60)
    assert server.get(cache.make_and_validate_key(KEY)) is not None
    cache.delete(KEY)


def test_threads_share_the_cache_without_mixing_answers():
    """Each thread has its own cache object, and all of them one Redis per pool
    answers correctly: 8 threads × 50 reads of their own keys."""
    wrong: list[str] = []

    def work(n: int) -> None:
        cache = caches["default"]
        for i in range(50):
            cache.set(f"{KEY}-{n}-{i}", (n, i), 60)
            if cache.get(f"{KEY}-{n}-{i}") != (n, i):
                wrong.append(f"{n}-{i}")
        cache.delete_many([f"{KEY}-{n}-{i}" for i in range(50)])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
