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


def _counts(keys: list[str], window: int) -> list[int]:
    """Adds one to each window counter (a key may come more than once) and returns the counts."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One round trip (INCR and EXPIRE pipelined) for the whole batch instead of the cache
        # API's three per key: this runs for every message sent.
        try:
            full_keys = [cache.make_and_validate_key(key) for key in keys]
            pipeline = cache._cache.get_client(full_keys[0], write=True).pipeline(transaction=False)
            for full_key in full_keys:
                pipeline.incr(full_key)
                pipeline.expire(full_key, window + 1)
            return [int(count) for count in pipeline.execute()[::2]]
        except REDIS_DOWN:
            return [1] * len(keys)  # fail open, as the cache does
    counts = []
    for key in keys:
        try:
            counts.append(cache.incr(key))
        except ValueError:  # the window's first message
            counts.append(1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key))
    return counts


def hit_many(*, member_ids: list[int], now: float | None = None) -> list[float | None]:
    """Counts one message per entry (in order); for each, None if it may go, else the seconds
    to wait."""
    limit, window = rate_limit()
    if limit <= 0 or not member_ids:
        return [None] * len(member_ids)
    now = time.time() if now is None else now
    window_start = math.floor(now / window) * window
    wait = max(0.1, round(window_start + window - now, 1))
    counts = _counts([f"chat:rate:{member_id}:{window_start}" for member_id in member_ids], window)
    return [None if count <= limit else wait for count in counts]
