"""A Redis cache that fails soft.

When Redis is down, pages must still render and people must still be able to log
in: reads miss, writes are dropped, and the error is logged instead of raised.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    def _soft(self, method, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            logger.warning("cache %s failed softly: %s", method, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        # Like an empty cache: the add "succeeds". Returning False here would make
        # allauth's rate-limit lock (a loop on cache.add) refuse every login with 429
        # while Redis is down; the price is that rate limits are off until it is back.
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
