"""Chat test fixtures: members in rooms, sockets through the real ASGI stack, and the channel
layer — every socket test runs on the in-memory layer and on Redis (``channel_layer``)."""

import uuid

import pytest
import pytest_asyncio
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from site_core.tests.requirements import port_open, require

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database number of its own on the shared Redis (the site uses 0, the cache tests 15), and a
# prefix per test, so tests never see each other's groups.
REDIS_TEST_DB = 13


def redis_layer(url: str, prefix: str) -> dict:
    """The production layer's configuration (site_core/settings/base.py) on another Redis."""
    from django.conf import settings

    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, **settings.CHANNEL_REDIS_HOST_OPTIONS}],
                **settings.CHANNEL_REDIS_OPTIONS,
                "prefix": prefix,
            },
        }
    }


@pytest_asyncio.fixture
async def sockets_closed():
    """After the test, in its event loop: no socket left running (sockets.close_left_open)."""
    from chat.tests.sockets import close_left_open

    yield
    await close_left_open()


@pytest.fixture(params=["memory", "redis"])
def channel_layer(request, settings, sockets_closed):
    """Runs the test on the in-memory layer, then on channels_redis (its own db and prefix)."""
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    else:
        require("redis", port_open(REDIS_HOST, REDIS_PORT), f"{REDIS_HOST}:{REDIS_PORT}")
        prefix = f"petrasche-chat-test-{uuid.uuid4().hex[:12]}"
        settings.CHANNEL_LAYERS = redis_layer(f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}", prefix)
    return request.param


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (local-memory) cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def walker(db):
    return UserFactory(username="dubu", nickname="두부엄마")


@pytest.fixture
def friend(db):
    return UserFactory(username="kongi", nickname="콩이아빠")


@pytest.fixture
def stranger(db):
    return UserFactory(username="nabi", nickname="나비집사")


@pytest.fixture
def new_walk(walker):
    """Posts a walk hosted by the walker and gives its id (walk rooms belong to real walks)."""
    from site_core.tests.browser import ensure_home_page
    from walks.demo import ensure_walk_pages
    from walks.tests.factories import WalkFactory

    ensure_home_page()
    board = ensure_walk_pages()["seoul-gangnam"]
    return lambda: WalkFactory(host=walker, board=board).pk


@pytest.fixture
def walk_room(walker, friend, new_walk):
    """A walk's group room with the walker (host) and a friend."""
    from chat import services
    from chat.models import Room

    walk_id = new_walk()
    services.walk_room_sync(walk_id=walk_id, member_ids=[walker.pk, friend.pk])
    return Room.objects.get(walk_id=walk_id)
