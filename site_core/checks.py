"""System checks for running on several identical nodes (``DEPLOYMENT_NODES`` > 1).

A node must keep nothing another node needs: uploads and data exports live in object storage
(the photo worker and the download view read them through Django's storage API), and Redis
carries the cache (sessions' neighbours: rate limits, read-your-writes pins, the workers'
heartbeat) and the channel layer (chat between sockets on different nodes). Requests stream
their uploads into memory or a temporary file of their own and finish with them, so no
temporary upload outlives the request that brought it. ``check --deploy`` fails otherwise.
"""

from django.conf import settings
from django.core import checks

S3_BACKEND = "storages.backends.s3.S3Storage"
REDIS_CACHE_BACKEND = "django_redis.cache.RedisCache"
REDIS_CHANNEL_LAYER = "channels_redis.core.RedisChannelLayer"


@checks.register(checks.Tags.compatibility, deploy=True)
def check_stateless_nodes(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    nodes = settings.DEPLOYMENT_NODES
    if nodes <= 1:
        return []
    errors = []
    if settings.STORAGES["default"]["BACKEND"] != S3_BACKEND:
        errors.append(
            checks.Error(
                f"DEPLOYMENT_NODES is {nodes} but uploads are kept on this node's disk.",
                hint="Set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for an S3-compatible server).",
                id="petrasche.E101",
            )
        )
    if settings.STORAGES.get("private", {}).get("BACKEND") != S3_BACKEND:
        errors.append(
            checks.Error(
                f"DEPLOYMENT_NODES is {nodes} but data exports are kept on this node's disk.",
                hint="Set AWS_PRIVATE_STORAGE_BUCKET_NAME to a private bucket (downloads get signed, expiring URLs).",
                id="petrasche.E102",
            )
        )
    if settings.CACHES["default"]["BACKEND"] != REDIS_CACHE_BACKEND:
        errors.append(
            checks.Error(
                f"DEPLOYMENT_NODES is {nodes} but the cache is this process's memory.",
                hint="Set REDIS_URL.",
                id="petrasche.E103",
            )
        )
    if settings.CHANNEL_LAYERS["default"]["BACKEND"] != REDIS_CHANNEL_LAYER:
        errors.append(
            checks.Error(
                f"DEPLOYMENT_NODES is {nodes} but chat messages stay inside one process.",
                hint="Set REDIS_URL (and CHANNEL_REDIS_URLS to shard the channel layer).",
                id="petrasche.E104",
            )
        )
    return errors
