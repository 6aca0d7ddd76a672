"""The chat benchmark's settings: bench/settings.py (production) with the Redis
channel layer and cache on the benchmark's own Redis database and key prefix, and the chat rate
limit raised out of the way (the benchmark measures throughput, not the limiter).

Used only by bench/chat.py, which starts ``uvicorn bench.chat_asgi:application`` with
DJANGO_SETTINGS_MODULE=bench.chat_settings and BENCH_CHAT_REDIS_URL / BENCH_CHAT_PREFIX set.
"""

import os

from bench.settings import *  # noqa: F403

_REDIS_URL = os.environ["BENCH_CHAT_REDIS_URL"]
_PREFIX = os.environ.get("BENCH_CHAT_PREFIX", "petrasche-bench-chat")

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # The production layer's options (site_core/settings/base.py) on the benchmark's Redis.
        "CONFIG": {
            "hosts": [{"address": _REDIS_URL, **CHANNEL_REDIS_HOST_OPTIONS}],  # noqa: F405
            **CHANNEL_REDIS_OPTIONS,  # noqa: F405
            "prefix": _PREFIX,
        },
    }
}
CACHES = {"default": redis_cache(_REDIS_URL, key_prefix=_PREFIX)}  # noqa: F405
CHAT_RATE_LIMIT = (1_000_000, 10)
