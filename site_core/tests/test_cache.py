"""The cache rides on Redis in production, and a Redis outage must not break pages."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from site_core.cache import FailOpenRedisCache


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache_settings(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "site_core.cache.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "petrasche-test",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }


@pytest.fixture
def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def test_cache_round_trips_through_real_redis():
    cache = FailOpenRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "petrasche-test"})
    cache.set("greeting", "안녕", 30)

    assert cache.get("greeting") == "안녕"
    assert cache.incr("greeting-count", 1) if cache.add("greeting-count", 0) else True
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_cache_reads_miss_and_writes_drop_when_redis_is_down(dead_redis_url):
    cache = FailOpenRedisCache(dead_redis_url, {"OPTIONS": {"socket_connect_timeout": 0.3}})

    assert cache.get("anything", "fallback") == "fallback"
    assert cache.set("anything", 1) is None
    assert cache.add("anything", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("counter", 1) == 1, "a counter fails open: it never looks over a limit"
    assert cache.get_or_set("key", "computed") == "computed"


@pytest.mark.django_db
def test_pages_render_while_redis_is_down(client, dead_redis_url):
    with override_settings(CACHES=redis_cache_settings(dead_redis_url)):
        caches._settings = None
        try:
            response = client.get("/")
            availability = client.get("/api/accounts/availability/", {"username": "choco"})
        finally:
            caches._settings = None

    assert response.status_code == 200
    assert availability.json()["status"] == "available"
