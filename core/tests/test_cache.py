"""The cache rides on Redis in production (django-redis), and a Redis outage must not break pages."""

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings
from django_redis.cache import RedisCache

from core import ratelimit
from site_core.settings.base import redis_cache


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def a_cache(location: str) -> RedisCache:
    """The production cache configuration (``redis_cache``) at ``location``, as its own cache."""
    params = redis_cache(location, key_prefix=f"petrasche-test-{uuid.uuid4().hex}")
    return RedisCache(params.pop("LOCATION"), params)


@pytest.fixture
def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def test_cache_round_trips_through_real_redis():
    cache = a_cache("redis://127.0.0.1:6379/15")
    cache.set("greeting", "안녕", 30)

    assert cache.get("greeting") == "안녕"
    assert cache.add("greeting-count", 0)
    assert cache.incr("greeting-count", 1) == 1
    cache.delete_many(["greeting", "greeting-count"])
    assert cache.get("greeting") is None


def test_cache_reads_miss_and_writes_drop_when_redis_is_down(dead_redis_url):
    cache = a_cache(dead_redis_url)

    assert cache.get("anything", "fallback") == "fallback"
    assert cache.set("anything", 1) is None
    assert not cache.add("anything", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("counter", 1) is None, "a counter counts nothing"
    assert cache.get_or_set("key", "computed") == "computed"


@pytest.mark.django_db
def test_rate_limits_fail_open_while_redis_is_down(settings, dead_redis_url):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (1, 600)}
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        caches._settings = None
        try:
            for _ in range(3):
                ratelimit.hit("comment", "member-1")  # would raise RateLimited on the second
        finally:
            caches._settings = None


@pytest.mark.django_db
def test_pages_render_while_redis_is_down(client, dead_redis_url):
    with override_settings(CACHES={"default": redis_cache(dead_redis_url)}):
        caches._settings = None
        try:
            response = client.get("/")
            availability = client.get("/api/accounts/availability/", {"username": "choco"})
        finally:
            caches._settings = None

    assert response.status_code == 200
    assert availability.json()["status"] == "available"
