"""Channel layers for tests."""

from channels_redis.core import RedisChannelLayer


class ShortReadRedisChannelLayer(RedisChannelLayer):
    """channels_redis with a one-second blocking read instead of five (``brpop_timeout`` is the
    layer's public class attribute), so idle-socket tests need not wait five seconds."""

    brpop_timeout = 1
