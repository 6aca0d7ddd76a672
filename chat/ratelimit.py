"""A per-member message rate limit, counted in the cache (fixed windows).

``settings.CHAT_RATE_LIMIT = (messages, seconds)``. The counters live in the default cache, so
with Redis every server process shares them; if Redis is down the cache fails open
(``site_core.cache.FailOpenRedisCache``) and members are not limited rather than refused.
"""

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from site_core.cache import REDIS_DOWN

DEFAULT_RATE_LIMIT = (10, 10)


def rate_limit() -> tuple[int, int]:
    limit, window = getattr(settings, "CHAT_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return int(limit), int(window)


def _count(key: str, window: int) -> int:
    """Adds one to the window's counter and returns it."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One round trip (INCR and EXPIRE pipelined) instead of the cache API's three: this runs
        # for every message sent.
        try:
            full_key = cache.make_and_validate_key(key)
            pipeline = cache._cache.get_client(full_key, write=True).pipeline(transaction=False)
            pipeline.incr(full_key)
            pipeline.expire(full_key, window + 1)
            count, _expiry_set = pipeline.execute()
            return int(count)
        except REDIS_DOWN:
            return 1  # fail open, as the cache does
    try:
        return cache.incr(key)
    except ValueError:  # the window's first message
        return 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)


def hit(*, member_id: int, now: float | None = None) -> float | None:
    """Counts one message; returns None if it may go, else the seconds to wait."""
    limit, window = rate_limit()
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window_start = math.floor(now / window) * window
    if _count(f"chat:rate:{member_id}:{window_start}", window) <= limit:
        return None
    return max(0.1, round(window_start + window - now, 1))
