"""A Redis cache that fails soft, onto the database cache.

When Redis is down, pages must still render, people must still be able to log in,
and allauth's rate limits (which live in the default cache) must keep counting
failed logins: every call that Redis cannot answer is answered by the database
cache instead (the cache alias named by ``FALLBACK``, a ``DatabaseCache``, so
``createcachetable`` makes its table).
If the database cannot answer either, the call answers like an empty cache.

The price: what was written to one of the two while the other answered is not
seen across the switch (rate-limit counts restart, cached pages may be stale until
they expire), which is what a Redis restart does anyway.
"""

import logging

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import DatabaseError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class OneClientPerPool(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool.

    Django makes a new ``redis.Redis`` for every cache call, and making one copies
    redis-py's table of some 170 response callbacks: about 0.1 ms, on every request
    (the session is read from the cache). A ``redis.Redis`` is that table and the
    pool; it holds no connection of its own (the pool lends one per command, and
    starts afresh in a forked process), so one per pool serves every call and
    every thread, as redis-py intends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # Django's own
        try:
            return self._clients[pool]
        except KeyError:
            client = self._clients[pool] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool
        self.fallback_alias = params["FALLBACK"]

    @property
    def fallback(self) -> BaseCache:
        return caches[self.fallback_alias]

    def _soft(self, method, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("cache %s: Redis failed, using the database cache: %s", method, exc)
        try:
            return getattr(self.fallback, method)(*args, **kwargs)
        except DatabaseError as exc:
            logger.warning("cache %s failed softly in the database too: %s", method, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        # With neither store answering, "added" (as on an empty cache): returning
        # False would make allauth's rate-limit lock (a loop on add) refuse every login.
        return self._soft("add", True, key, value, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def set_many(self, data, timeout=None, version=None):
        return self._soft("set_many", [], data, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._soft("incr", delta, key, delta, version)

    def touch(self, key, timeout=None, version=None):
        return self._soft("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, key, version)
