"""The chat WebSocket through the real ASGI stack, on the in-memory and the Redis channel layer."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from chat import services
from chat.models import ChatPreference, Message, Room
from chat.realtime import CLOSE_NOT_A_MEMBER, CLOSE_ROOM_CLOSED, CLOSE_UNAUTHENTICATED

from .sockets import access_token, open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer"),
]


@database_sync_to_async
def message_rows(room_id=None):
    rows = Message.objects.all() if room_id is None else Message.objects.filter(room_id=room_id)
    return list(rows.order_by("id").values_list("sender__username", "client_id", "text"))


@database_sync_to_async
def store_messages(room, sender, count, start=0):
    Message.objects.bulk_create(
        Message(room=room, sender=sender, client_id=f"seed-{start + n}", text=f"메시지 {start + n}")
        for n in range(count)
    )


# ---------------------------------------------------------------------------------------- auth


async def test_anonymous_visitors_are_refused(walk_room):
    sock = await open_socket(walk_room.pk)

    assert sock.close_code == CLOSE_UNAUTHENTICATED
    assert sock.history is None


async def test_a_member_connects_with_the_session_and_gets_the_history(walk_room, walker):
    sock = await open_socket(walk_room.pk, walker)

    assert sock.history["type"] == "history"
    assert sock.history["messages"] == []
    assert sock.history["closed"] is False
    await sock.close()


@pytest.mark.parametrize("auth", ["query", "subprotocol"])
async def test_api_clients_connect_with_a_jwt(walk_room, friend, auth):
    sock = await open_socket(walk_room.pk, friend, auth=auth)

    assert sock.history["type"] == "history"
    assert sock.subprotocol == ("jwt" if auth == "subprotocol" else None)
    await sock.send(type="message", client_id="app-1", text="앱에서 보내요")
    ack = await sock.receive_type("ack")
    assert ack["message"]["sender"]["username"] == "kongi"
    await sock.close()


async def test_an_app_without_an_origin_header_connects_with_a_jwt_but_not_with_a_session(walk_room, friend):
    with_token = await open_socket(walk_room.pk, friend, auth="subprotocol", origin=False)
    with_session = await open_socket(walk_room.pk, friend, auth="session", origin=False)

    assert with_token.history["type"] == "history"
    assert with_session.accepted is False
    await with_token.close()


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda user: access_token(user, exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda user: access_token(user)[:-4] + "AAAA", id="bad-signature"),
        pytest.param(lambda user: "not-a-token", id="garbage"),
    ],
)
async def test_a_bad_or_expired_jwt_is_refused_even_with_a_session(walk_room, walker, token):
    sock = await open_socket(walk_room.pk, walker, auth="query", token=token(walker))

    assert sock.close_code == CLOSE_UNAUTHENTICATED


async def test_the_sender_is_the_authenticated_member_whatever_the_frame_says(walk_room, walker, friend):
    sock = await open_socket(walk_room.pk, walker)

    await sock.send(type="message", client_id="c1", text="안녕", sender=friend.pk, sender_id=friend.pk)
    ack = await sock.receive_type("ack")

    assert ack["message"]["sender"]["id"] == walker.pk
    assert await message_rows() == [("dubu", "c1", "안녕")]
    await sock.close()


# ---------------------------------------------------------------------------------------- membership


async def test_non_members_are_refused_with_4403(walk_room, stranger):
    sock = await open_socket(walk_room.pk, stranger)

    assert sock.close_code == CLOSE_NOT_A_MEMBER


async def test_a_room_that_does_not_exist_is_refused_like_a_foreign_one(walker):
    sock = await open_socket(999_999, walker)

    assert sock.close_code == CLOSE_NOT_A_MEMBER


async def test_a_member_taken_out_of_the_walk_is_disconnected_at_once(walk_room, walker, friend):
    host = await open_socket(walk_room.pk, walker)
    removed = await open_socket(walk_room.pk, friend)

    await database_sync_to_async(services.walk_room_sync)(walk_id=walk_room.walk_id, member_ids=[walker.pk])

    assert (await removed.receive())["type"] == "removed"
    assert await removed.closed_with() == CLOSE_NOT_A_MEMBER
    assert await host.receive() == {"type": "left", "member_id": friend.pk}, (
        "they no longer count as a reader"
    )
    assert await host.nothing()
    again = await open_socket(walk_room.pk, friend)
    assert again.close_code == CLOSE_NOT_A_MEMBER
    await host.close()


async def test_a_cancelled_walk_closes_sockets_and_the_room_turns_read_only(walk_room, walker, friend):
    sock = await open_socket(walk_room.pk, walker)
    await sock.send(type="message", client_id="before", text="내일 봐요")
    await sock.receive_type("ack")

    await database_sync_to_async(services.walk_room_close)(walk_id=walk_room.walk_id)

    assert (await sock.receive_type("closed"))["type"] == "closed"
    assert await sock.closed_with() == CLOSE_ROOM_CLOSED
    reader = await open_socket(walk_room.pk, friend)
    assert reader.history["closed"] is True
    assert [m["text"] for m in reader.history["messages"]] == ["내일 봐요"]
    await reader.send(type="message", client_id="after", text="취소됐네요")
    error = await reader.receive()
    assert (error["type"], error["code"], error["client_id"]) == ("error", "room_closed", "after")
    assert len(await message_rows()) == 1
    await reader.close()


# ---------------------------------------------------------------------------------------- history


async def test_the_last_50_load_on_connect_and_older_ones_page_in(walk_room, walker, friend):
    await store_messages(walk_room, friend, 120)
    sock = await open_socket(walk_room.pk, walker)

    history = sock.history
    assert [m["text"] for m in history["messages"]] == [f"메시지 {n}" for n in range(70, 120)]
    assert history["has_more"] is True

    await sock.send(type="load_older", before=history["messages"][0]["id"])
    older = await sock.receive()
    assert older["type"] == "older"
    assert [m["text"] for m in older["messages"]] == [f"메시지 {n}" for n in range(20, 70)]
    assert older["has_more"] is True

    await sock.send(type="load_older", before=older["messages"][0]["id"])
    oldest = await sock.receive()
    assert [m["text"] for m in oldest["messages"]] == [f"메시지 {n}" for n in range(20)]
    assert oldest["has_more"] is False
    await sock.close()


async def test_load_newer_catches_up_after_a_reconnect(walk_room, walker, friend):
    await store_messages(walk_room, friend, 5)
    sock = await open_socket(walk_room.pk, walker)
    seen = sock.history["messages"][1]["id"]

    await sock.send(type="load_newer", after=seen)
    newer = await sock.receive()

    assert newer["type"] == "newer"
    assert [m["text"] for m in newer["messages"]] == ["메시지 2", "메시지 3", "메시지 4"]
    assert newer["has_more"] is False
    await sock.close()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "load_older"},
        {"type": "load_older", "before": "abc"},
        {"type": "load_older", "before": -3},
        {"type": "nonsense"},
        {"no": "type"},
    ],
)
async def test_malformed_frames_get_an_error_frame_and_the_socket_stays(walk_room, walker, frame):
    sock = await open_socket(walk_room.pk, walker)

    await sock.send(**frame)
    error = await sock.receive()

    assert (error["type"], error["code"]) == ("error", "bad_frame")
    await sock.communicator.send_to(text_data="{not json")
    assert (await sock.receive())["code"] == "bad_frame"
    await sock.send(type="message", client_id="still-here", text="괜찮아요")
    assert (await sock.receive_type("ack"))["message"]["text"] == "괜찮아요"
    await sock.close()


# ---------------------------------------------------------------------------------------- sending


@pytest.mark.smoke
async def test_a_message_is_stored_then_broadcast_to_the_room(walk_room, walker, friend):
    sender = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)

    await sender.send(type="message", client_id="hello-1", text="<b>산책</b> 가요 & 간식도")
    ack = await sender.receive_type("ack")
    delivered = await reader.receive()

    assert ack["created"] is True
    assert delivered == {"type": "message", "message": ack["message"]}
    assert delivered["message"]["text"] == "<b>산책</b> 가요 & 간식도"  # plain text, escaped by clients
    assert delivered["message"]["client_id"] == "hello-1"
    assert (await sender.receive_type("message"))["message"]["id"] == ack["message"]["id"]
    assert await message_rows() == [("dubu", "hello-1", "<b>산책</b> 가요 & 간식도")]
    await sender.close()
    await reader.close()


async def test_a_resend_with_the_same_client_id_is_stored_once_and_answered_with_it(
    walk_room, walker, friend
):
    sender = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)
    await sender.send(type="message", client_id="once", text="한 번만")
    first = await sender.receive_type("ack")
    assert (await reader.receive())["type"] == "message"
    await sender.close()

    reconnected = await open_socket(walk_room.pk, walker)
    await reconnected.send(type="message", client_id="once", text="한 번만")
    again = await reconnected.receive_type("ack")

    assert again["created"] is False
    assert again["message"] == first["message"]
    assert await reader.nothing(), "a resend is not broadcast again"
    assert await message_rows() == [("dubu", "once", "한 번만")]
    await reconnected.close()
    await reader.close()


async def test_a_message_over_2000_characters_is_refused_and_nothing_is_stored(walk_room, walker):
    sock = await open_socket(walk_room.pk, walker)

    await sock.send(type="message", client_id="long", text="가" * 2001)
    error = await sock.receive()
    await sock.send(type="message", client_id="empty", text="   \n ")
    empty = await sock.receive()
    await sock.send(type="message", client_id="max", text="가" * 2000)
    ack = await sock.receive_type("ack")

    assert (error["type"], error["code"], error["client_id"]) == ("error", "too_long", "long")
    assert "2,000" in error["detail"]
    assert "2,001" in error["detail"], "the detail says how long the refused text is (it is never cut)"
    assert empty["code"] == "empty"
    assert len(ack["message"]["text"]) == 2000
    assert [row[1] for row in await message_rows()] == ["max"]
    await sock.close()


async def test_a_bad_client_id_is_refused(walk_room, walker):
    sock = await open_socket(walk_room.pk, walker)

    await sock.send(type="message", client_id="has spaces and <tags>", text="안녕")
    error = await sock.receive()
    await sock.send(type="message", text="id 없음")
    missing = await sock.receive()

    assert error["code"] == missing["code"] == "bad_client_id"
    assert await message_rows() == []
    await sock.close()


async def test_the_rate_limit_answers_with_an_error_frame(walk_room, walker, friend, settings):
    settings.CHAT_RATE_LIMIT = (3, 10)
    sock = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)

    for number in range(3):
        await sock.send(type="message", client_id=f"fast-{number}", text=f"빨리 {number}")
        await sock.receive_type("ack")
    await sock.send(type="message", client_id="fast-3", text="너무 빨라요")
    error = await sock.receive_type("error")

    assert error["code"] == "rate_limited"
    assert error["client_id"] == "fast-3"
    assert 0 < error["retry_after"] <= 10
    await sock.send(type="message", client_id="fast-0", text="빨리 0")
    assert (await sock.receive_type("ack"))["created"] is False, "a resend is not counted"
    assert [row[1] for row in await message_rows()] == ["fast-0", "fast-1", "fast-2"]
    for _ in range(3):
        assert (await reader.receive())["type"] == "message"
    assert await reader.nothing()
    other = await open_socket(walk_room.pk, friend)
    await other.send(type="message", client_id="friend-1", text="저는 괜찮아요")
    assert (await other.receive_type("ack"))["created"] is True, "the limit is per member"
    await sock.close()
    await reader.close()
    await other.close()


async def test_members_delete_their_own_messages_only(walk_room, walker, friend):
    sender = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)
    await sender.send(type="message", client_id="oops", text="잘못 보냈어요")
    message_id = (await sender.receive_type("ack"))["message"]["id"]
    await reader.receive()

    await reader.send(type="delete", message_id=message_id)
    refused = await reader.receive()
    await sender.send(type="delete", message_id=message_id)

    assert (refused["type"], refused["code"]) == ("error", "not_allowed")
    assert await sender.receive_type("deleted") == {"type": "deleted", "message_id": message_id}
    assert await reader.receive_type("deleted") == {"type": "deleted", "message_id": message_id}
    fresh = await open_socket(walk_room.pk, friend)
    tombstone = fresh.history["messages"][0]
    assert (tombstone["id"], tombstone["deleted"], tombstone["text"]) == (message_id, True, "")
    await sender.close()
    await reader.close()
    await fresh.close()


async def test_direct_messages_follow_the_recipients_preference(walker, friend):
    room = await database_sync_to_async(services.direct_room_get_or_create)(member=walker, other=friend)
    sock = await open_socket(room.pk, walker)
    await sock.send(type="message", client_id="dm-1", text="안녕하세요")
    await sock.receive_type("ack")

    await database_sync_to_async(services.chat_preference_set)(
        member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY
    )
    await sock.send(type="message", client_id="dm-2", text="또 보내요")
    error = await sock.receive_type("error")

    assert error["code"] == "not_allowed"
    assert [row[1] for row in await message_rows()] == ["dm-1"]
    assert await database_sync_to_async(Room.objects.count)() == 1
    await sock.close()


async def test_read_frames_move_the_read_marker(walk_room, walker, friend):
    from chat import selectors

    await store_messages(walk_room, friend, 3)
    unread = database_sync_to_async(selectors.unread_total)
    assert await unread(member=walker) == 3
    sock = await open_socket(walk_room.pk, walker)

    await sock.send(type="read", message_id=sock.history["messages"][1]["id"])
    await sock.send(type="load_newer", after=0)  # a round trip, so the read frame is handled
    await sock.receive()

    assert await unread(member=walker) == 1
    await sock.close()


def test_the_socket_timeout_outlasts_the_layers_blocking_read(settings):
    """channels_redis blocks up to ``brpop_timeout`` seconds reading a channel; a socket timeout
    no longer than that (redis-py's default is 5 s, like the read) cut the read off and crashed
    every socket that stayed idle that long."""
    from channels_redis.core import RedisChannelLayer

    assert settings.CHANNEL_REDIS_HOST_OPTIONS["socket_timeout"] > RedisChannelLayer.brpop_timeout


@pytest.mark.parametrize("channel_layer", ["redis"], indirect=True)  # only Redis reads with a timeout
async def test_an_idle_socket_stays_open(walk_room, walker, channel_layer, settings):
    """A socket left idle through whole blocking reads of the layer still sends and receives."""
    # The production layer and options, with a one-second blocking read so the idle time below
    # spans a whole read cycle without waiting for the default five seconds.
    layer = settings.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {
        "default": {**layer, "BACKEND": "chat.tests.layers.ShortReadRedisChannelLayer"}
    }
    from chat.tests.layers import ShortReadRedisChannelLayer

    sock = await open_socket(walk_room.pk, walker)

    await asyncio.sleep(ShortReadRedisChannelLayer.brpop_timeout * 1.5)
    await sock.send(type="message", client_id="after-a-pause", text="조용했네요")

    assert (await sock.receive_type("ack"))["message"]["client_id"] == "after-a-pause"
    await sock.close()


# ---------------------------------------------------------------------------------------- read receipts


@database_sync_to_async
def block(member, other):
    from moderation import services as moderation_services

    moderation_services.block_add(member=member, other=other)


async def test_the_history_carries_each_members_read_position(walk_room, walker, friend):
    await store_messages(walk_room, walker, 2)
    sock = await open_socket(walk_room.pk, walker)

    assert sock.history["reads"] == {str(walker.pk): 0, str(friend.pk): 0}
    await sock.close()


async def test_a_read_reaches_the_others_once_and_only_when_the_position_moves(walk_room, walker, friend):
    sender = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)
    await sender.send(type="message", client_id="read-me", text="읽어 주세요")
    message_id = (await sender.receive_type("ack"))["message"]["id"]
    await sender.receive_type("message")
    await reader.receive_type("message")

    await reader.send(type="read", message_id=message_id)
    seen = await sender.receive()
    await reader.send(type="read", message_id=message_id)  # again: the position does not move

    assert seen == {"type": "read", "member_id": friend.pk, "last_read_id": message_id}
    assert await sender.nothing(), "a read that moves nothing is not broadcast"
    assert await reader.nothing(), "the reader is not told of their own read"
    fresh = await open_socket(walk_room.pk, walker)
    assert fresh.history["reads"][str(friend.pk)] == message_id
    for sock in (sender, reader, fresh):
        await sock.close()


async def test_a_read_cannot_move_past_the_rooms_latest_message(walk_room, walker, friend):
    await store_messages(walk_room, walker, 1)
    sender = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)
    latest = sender.history["messages"][-1]["id"]

    await reader.send(type="read", message_id=latest + 1000)

    assert (await sender.receive())["last_read_id"] == latest
    await sender.close()
    await reader.close()


async def test_reads_and_typing_do_not_cross_a_block_and_come_back_when_it_is_lifted(
    walk_room, walker, friend, stranger
):
    from moderation import services as moderation_services

    await database_sync_to_async(services.walk_room_sync)(
        walk_id=walk_room.walk_id, member_ids=[walker.pk, friend.pk, stranger.pk]
    )
    await store_messages(walk_room, walker, 1)
    watcher = await open_socket(walk_room.pk, walker)
    await block(walker, friend)
    assert (await watcher.receive()) == {"type": "reads", "reads": {str(walker.pk): 0, str(stranger.pk): 0}}
    blocked = await open_socket(walk_room.pk, friend)
    other = await open_socket(walk_room.pk, stranger)
    assert str(walker.pk) not in blocked.history["reads"]
    message_id = watcher.history["messages"][-1]["id"]

    await blocked.send(type="read", message_id=message_id)
    await blocked.send(type="typing")
    await other.send(type="read", message_id=message_id)

    assert await watcher.receive() == {"type": "read", "member_id": stranger.pk, "last_read_id": message_id}
    assert await watcher.nothing(), "neither the blocked member's read nor their typing arrives"
    await database_sync_to_async(moderation_services.block_remove)(member=walker, other=friend)
    reads = await watcher.receive_type("reads")
    assert reads["reads"][str(friend.pk)] == message_id
    for sock in (watcher, blocked, other):
        await sock.close()


async def test_a_member_who_leaves_no_longer_counts_and_one_who_joins_does(
    walk_room, walker, friend, stranger
):
    await store_messages(walk_room, walker, 2)
    watcher = await open_socket(walk_room.pk, walker)
    latest = watcher.history["messages"][-1]["id"]

    await database_sync_to_async(services.walk_room_sync)(
        walk_id=walk_room.walk_id, member_ids=[walker.pk, stranger.pk]
    )

    frames = [await watcher.receive(), await watcher.receive()]
    assert {"type": "left", "member_id": friend.pk} in frames
    assert {"type": "read", "member_id": stranger.pk, "last_read_id": latest} in frames
    await watcher.close()


# ---------------------------------------------------------------------------------------- typing


async def test_typing_reaches_the_others_but_not_the_one_typing(walk_room, walker, friend):
    typist = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)

    await typist.send(type="typing")

    assert await reader.receive() == {"type": "typing", "member_id": walker.pk, "display_name": "두부엄마"}
    assert await typist.nothing()
    await typist.close()
    await reader.close()


async def test_typing_is_limited_to_10_frames_per_20_seconds_per_member(walk_room, walker, friend, settings):
    assert settings.RATE_LIMITS["chat_typing"] == (10, 20)
    typist = await open_socket(walk_room.pk, walker)
    reader = await open_socket(walk_room.pk, friend)

    for _ in range(11):
        await typist.send(type="typing")
    refused = await typist.receive()

    assert (refused["type"], refused["code"], refused["frame"]) == ("error", "rate_limited", "typing")
    assert 0 < refused["retry_after"] <= 20
    assert [(await reader.receive())["type"] for _ in range(10)] == ["typing"] * 10
    assert await reader.nothing()
    other = await open_socket(walk_room.pk, friend)
    await other.send(type="typing")
    assert (await typist.receive())["member_id"] == friend.pk, "the limit is per member"
    for sock in (typist, reader, other):
        await sock.close()


async def test_typing_in_a_closed_room_is_refused(walk_room, walker, friend):
    reader = await open_socket(walk_room.pk, friend)
    typist = await open_socket(walk_room.pk, walker)
    await database_sync_to_async(walk_room.__class__.objects.filter(pk=walk_room.pk).update)(
        closed_at=walk_room.created_at
    )

    await typist.send(type="typing")

    assert (await typist.receive())["code"] == "not_allowed"
    assert await reader.nothing()
    await typist.close()
    await reader.close()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "read", "message_id": {"id": 1}},
        {"type": "read", "message_id": "9" * 40},
        {"type": "read", "message_id": True},
        {"type": "typing", "member_id": 1, "display_name": "<script>"},
        {"type": "typing", "text": ["x"] * 100},
    ],
)
async def test_hostile_read_and_typing_frames_break_nothing(walk_room, walker, friend, frame):
    sock = await open_socket(walk_room.pk, walker)
    other = await open_socket(walk_room.pk, friend)

    await sock.send(**frame)
    await sock.send(type="message", client_id="after-hostile", text="괜찮아요")

    assert (await sock.receive_type("ack"))["message"]["text"] == "괜찮아요"
    received = await other.receive_type("message")
    assert received["message"]["client_id"] == "after-hostile"
    await sock.close()
    await other.close()
