"""Redis as a cache the site can do without.

Everything Lineage keeps in Redis can be had again from the database: cached
pages and fragments are rendered afresh, and sessions are written through to
the database (``cached_db``).  So while Redis is down (a restart, a failover)
a read that cannot reach it is a miss and a write is dropped, and the site
serves from PostgreSQL, slower but whole, instead of answering 503.  Each
process logs the outage once every ``LOG_EVERY_SECONDS``, not once per call.

Counters (``incr``, ``decr``) and ``clear`` still raise: a counter that
silently stood still would be wrong, not slow.
"""

import logging
import threading
import time

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
LOG_EVERY_SECONDS = 10


class TolerantRedisCache(RedisCache):
    _last_logged = 0.0
    _log_lock = threading.Lock()

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self._log_lock:
            if now - TolerantRedisCache._last_logged < LOG_EVERY_SECONDS:
                return
            TolerantRedisCache._last_logged = now
        logger.warning(
            "Redis unreachable (%s: %s); serving without the cache", operation, error
        )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)
