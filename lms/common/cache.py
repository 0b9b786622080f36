"""A Redis cache that degrades to "nothing cached" while Redis is unreachable, never a 500."""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
#: Seconds between two "cache unreachable" warnings, so an outage does not flood the log.
WARN_EVERY = 60.0


def _degrading(name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(TolerantRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self.cache_unreachable(name, exc)
            return fallback(args, kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _missing_key(args, kwargs):
    # A counter that cannot be read behaves like a missing one (what incr does for those).
    raise ValueError("Key not found (cache unreachable).")


class TolerantRedisCache(RedisCache):
    """Django's RedisCache; while Redis is down reads miss, writes are dropped, and a warning
    is logged (at most once a minute per process). Throttles then let requests through and
    cached values are recomputed: the API keeps answering. `/readyz` still reports the
    outage, since its probe cannot read back what it wrote."""

    _last_warning = 0.0

    def cache_unreachable(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._last_warning >= WARN_EVERY:
            TolerantRedisCache._last_warning = now
            logger.warning(
                "Cache unreachable (%s: %s); serving without it: throttles are not enforced",
                operation,
                exc,
            )

    get = _degrading("get", _default)
    get_many = _degrading("get_many", lambda args, kwargs: {})
    has_key = _degrading("has_key", False)
    set = _degrading("set", None)
    add = _degrading("add", False)
    touch = _degrading("touch", False)
    set_many = _degrading("set_many", lambda args, kwargs: [])
    delete = _degrading("delete", False)
    delete_many = _degrading("delete_many", None)
    clear = _degrading("clear", None)
    incr = _degrading("incr", _missing_key)
