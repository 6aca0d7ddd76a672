"""What a Redis outage raises from redis-py: callers that talk to Redis directly (rather than
through the cache, which ignores these errors: ``redis_cache`` in site_core/settings/base.py)
catch these to fail open."""

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
