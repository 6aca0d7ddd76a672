"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds only what can be recomputed (rate-limit counters, fragments), so a
Redis outage must cost speed, never a 500: reads miss, writes are dropped, and the
failure is logged once per call.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except REDIS_DOWN as exc:
                logger.warning("cache unavailable, %s skipped: %s", method.__name__, exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


def _default_of(key, default=None, *args, **kwargs):
    return default


def _incr_fallback(key, delta=1, *args, **kwargs):
    return delta


class FailOpenRedisCache(RedisCache):
    get = _fail_open(_default_of)(RedisCache.get)
    get_many = _fail_open({})(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    set = _fail_open(None)(RedisCache.set)
    set_many = _fail_open([])(RedisCache.set_many)
    add = _fail_open(False)(RedisCache.add)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    incr = _fail_open(_incr_fallback)(RedisCache.incr)
    clear = _fail_open(False)(RedisCache.clear)
