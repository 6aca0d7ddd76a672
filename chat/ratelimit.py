"""A per-member message rate limit, counted in the cache (fixed windows).

``settings.CHAT_RATE_LIMIT = (messages, seconds)``. The counters live in the default cache, so
with Redis every server process shares them; if Redis is down the cache fails open
(django-redis with ``IGNORE_EXCEPTIONS``: a counter counts nothing) and members are not limited
rather than refused.
"""

import hashlib
import math
import time
import weakref

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import NoScriptError

from site_core.cache import REDIS_DOWN

DEFAULT_RATE_LIMIT = (10, 10)

# KEYS: the counters; ARGV: the amount to add, their lifetime in seconds. Returns the counts.
_ADD_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCRBY', key, ARGV[1])
  redis.call('EXPIRE', key, ARGV[2])
end
return counts
"""
_ADD_SHA = hashlib.sha1(_ADD_SCRIPT.encode(), usedforsecurity=False).hexdigest()  # how Redis names scripts


def rate_limit() -> tuple[int, int]:
    limit, window = getattr(settings, "CHAT_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return int(limit), int(window)


_clients: "weakref.WeakKeyDictionary[object, object]" = weakref.WeakKeyDictionary()


def _client(cache):
    """A Redis client of the cache's write pool, made once per pool: redis-py builds every client
    (and pipeline) its table of reply handlers anew, which cost more than the round trip."""
    pool = cache._cache._get_connection_pool(True)
    client = _clients.get(pool)
    if client is None:
        client = _clients[pool] = cache._cache._client(connection_pool=pool)
    return client


def _add(keys: list[str], window: int, amount: int) -> list[int]:
    """Adds ``amount`` to each window counter (a key may come more than once) and returns the
    counts."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # One command for the whole batch instead of the cache API's three per key: this runs for
        # every message sent.
        try:
            full_keys = [cache.make_and_validate_key(key) for key in keys]
            client = _client(cache)
            try:
                counts = client.evalsha(_ADD_SHA, len(full_keys), *full_keys, amount, window + 1)
            except NoScriptError:  # not loaded yet (or Redis restarted): EVAL loads it
                counts = client.eval(_ADD_SCRIPT, len(full_keys), *full_keys, amount, window + 1)
            return [int(count) for count in counts]
        except REDIS_DOWN:
            return [1] * len(keys)  # fail open, as the cache does
    counts = []
    for key in keys:
        try:
            # None: the cache is down and counted nothing (fail open).
            counts.append(cache.incr(key, amount) or 0)
        except ValueError:  # the window's first message (or, uncounting, a window gone)
            if amount < 0:
                counts.append(0)
            else:
                counts.append(
                    amount if cache.add(key, amount, timeout=window + 1) else (cache.incr(key, amount) or 0)
                )
    return counts


def _window(now: float | None) -> tuple[int, int, float, float]:
    limit, window = rate_limit()
    now = time.time() if now is None else now
    return limit, window, math.floor(now / window) * window, now


def hit_many(*, member_ids: list[int], now: float | None = None) -> list[float | None]:
    """Counts one message per entry (in order); for each, None if it may go, else the seconds
    to wait."""
    limit, window, window_start, now = _window(now)
    if limit <= 0 or not member_ids:
        return [None] * len(member_ids)
    wait = max(0.1, round(window_start + window - now, 1))
    counts = _add([f"chat:rate:{member_id}:{window_start}" for member_id in member_ids], window, 1)
    return [None if count <= limit else wait for count in counts]


def unhit_many(*, member_ids: list[int], now: float) -> None:
    """Takes back what ``hit_many`` at ``now`` counted for these entries (sends it counted that
    were then not stored)."""
    limit, window, window_start, _now = _window(now)
    if limit > 0 and member_ids:
        _add([f"chat:rate:{member_id}:{window_start}" for member_id in member_ids], window, -1)
