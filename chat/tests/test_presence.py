"""Chat presence (chat/presence.py): a member counts as in a room while a socket of theirs is open
to it, on the in-memory layer and on Redis, and stops counting when the last one closes."""

import pytest
from channels.db import database_sync_to_async

from chat import presence

from .sockets import open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer"),
]


def present(room, *members) -> set[int]:
    return database_sync_to_async(presence.present)(room_id=room.pk, member_ids=[m.pk for m in members])


async def test_a_member_is_present_while_any_of_their_sockets_is_open(walk_room, walker, friend):
    first = await open_socket(walk_room.pk, walker)
    second = await open_socket(walk_room.pk, walker)

    assert await present(walk_room, walker, friend) == {walker.pk}
    await first.close()
    assert await present(walk_room, walker, friend) == {walker.pk}, "the second tab is still open"
    await second.close()
    assert await present(walk_room, walker, friend) == set()


async def test_a_socket_refused_from_the_room_does_not_count(walk_room, stranger):
    sock = await open_socket(walk_room.pk, stranger)

    assert sock.close_code is not None
    assert await present(walk_room, stranger) == set()


async def test_an_entry_a_dead_node_left_behind_lapses(walk_room, walker, monkeypatch):
    await presence.socket_open(room_id=walk_room.pk, member_id=walker.pk, channel_name="dead-node.1")
    assert await present(walk_room, walker) == {walker.pk}

    now = presence.time.time()
    monkeypatch.setattr(presence.time, "time", lambda: now + presence.TTL_SECONDS + 1)

    assert await present(walk_room, walker) == set()
