"""Several identical nodes: `check --deploy` refuses a configuration where a node keeps what
another node needs (site_core/checks.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from site_core.checks import check_stateless_nodes

S3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "media"}}
REDIS_CACHE = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
REDIS_LAYER = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {}}}


def stateless(settings) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": S3, "private": S3}
    settings.CACHES = REDIS_CACHE
    settings.CHANNEL_LAYERS = REDIS_LAYER


def test_one_node_may_keep_everything_on_its_own_disk_and_memory(settings):
    settings.DEPLOYMENT_NODES = 1
    assert check_stateless_nodes() == []


def test_two_nodes_need_object_storage_and_redis_and_deploy_fails_without(settings):
    settings.DEPLOYMENT_NODES = 2
    ids = {message.id for message in check_stateless_nodes()}
    assert ids == {"petrasche.E101", "petrasche.E102", "petrasche.E103", "petrasche.E104"}
    with pytest.raises(SystemCheckError, match="DEPLOYMENT_NODES is 2"):
        call_command("check", "--deploy", "--tag", "compatibility")


def test_two_nodes_with_buckets_and_redis_pass(settings):
    settings.DEPLOYMENT_NODES = 2
    stateless(settings)
    assert check_stateless_nodes() == []


DISK = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"STORAGES": {"default": DISK, "private": S3}}, "petrasche.E101"),
        ({"STORAGES": {"default": S3}}, "petrasche.E102"),
        (
            {"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}},
            "petrasche.E103",
        ),
        (
            {"CHANNEL_LAYERS": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}},
            "petrasche.E104",
        ),
    ],
    ids=["uploads on disk", "exports on disk", "cache in memory", "chat in one process"],
)
def test_each_node_local_piece_is_named(settings, change, expected):
    settings.DEPLOYMENT_NODES = 3
    stateless(settings)
    for name, value in change.items():
        setattr(settings, name, value)
    assert [message.id for message in check_stateless_nodes()] == [expected]
