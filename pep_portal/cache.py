"""Redis as the cache, and the database cache while Redis does not answer.

Public pages cache their aggregates and allauth keeps its sign-in limits in the cache: with a plain
Redis cache, a Redis outage made the home page, the directory, its export and signing in answer 500.
Here every cache call that finds Redis down goes to the database cache (alias "fallback") instead,
and Redis is tried again after a few seconds. /healthz asks Redis itself (`redis_answers`).
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FALLBACK_ALIAS = "fallback"
RETRY_AFTER = 5.0  # seconds: while Redis is down, each request would otherwise wait for its timeout
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many")


class RedisWithDatabaseFallback(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def redis_answers(self):
        """Ping Redis itself, whatever the fallback is doing (raises if it does not answer)."""
        self._cache.get_client(write=True).ping()
        self._down_until = 0.0
        return True

    def clear(self):
        # Redis first: clearing the database cache can fail (no table yet, no database access) and
        # must not leave Redis holding what was meant to go.
        result = self._try("clear")
        caches[FALLBACK_ALIAS].clear()
        return result

    def _try(self, name, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except DOWN as exc:
                logger.warning("cache: Redis did not answer (%s); using the database cache for %.0f s",
                               exc.__class__.__name__, RETRY_AFTER)
                self._down_until = time.monotonic() + RETRY_AFTER
        return getattr(caches[FALLBACK_ALIAS], name)(*args, **kwargs)


def _falling_back(name):
    def method(self, *args, **kwargs):
        return self._try(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in METHODS:
    setattr(RedisWithDatabaseFallback, _name, _falling_back(_name))


def cache_status():
    """What /healthz says of the cache: Redis itself is asked, not its fallback (raises if down)."""
    backend = caches["default"]
    if isinstance(backend, RedisWithDatabaseFallback):
        backend.redis_answers()
    else:
        backend.set("healthz", time.time(), 5)
    return "ok"
