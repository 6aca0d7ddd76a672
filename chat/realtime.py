"""Events sent to a room's channel-layer group, and the frames consumers turn them into.

Services call these from ``transaction.on_commit``: the rows are committed before anyone is
told. A channel layer that is down (Redis gone) must not fail the write that already
happened: the failure is logged, and members catch up from history when they reconnect.

A chat socket's database calls (Channels' ``database_sync_to_async``) carry the socket's event
loop in ``consumer_loop`` (a context variable, which asgiref copies into the call's thread): a
broadcast made there is handed to that loop, after the room's previous one, and the database
thread goes on at once instead of waiting for Redis. Elsewhere (pages, the API, tasks) the send
is made with ``async_to_sync``.
"""

import asyncio
import logging
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.realtime import member_send

logger = logging.getLogger(__name__)

# Close codes sent to WebSocket clients (4000–4999 are the application's own).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_A_MEMBER = 4403
CLOSE_ROOM_CLOSED = 4410

consumer_loop: ContextVar[asyncio.AbstractEventLoop | None] = ContextVar("chat_consumer_loop", default=None)

# The last send scheduled per (event loop, room), so the next one can wait for it.
_room_tails: dict[tuple[int, int], asyncio.Task] = {}


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


async def _send_in_order(previous, layer, room_id: int, event: dict) -> None:
    if previous is not None:
        await asyncio.wait([previous])
    try:
        await layer.group_send(room_group(room_id), event)
    except Exception:  # Redis down or anything else in the layer: the write stands.
        logger.warning("chat: could not broadcast %s to room %s", event["type"], room_id, exc_info=True)


def _schedule(loop, layer, room_id: int, event: dict) -> None:
    """On the event loop: the send, after the room's previous one."""
    key = (id(loop), room_id)
    task = loop.create_task(_send_in_order(_room_tails.get(key), layer, room_id, event))
    _room_tails[key] = task

    def forget(done):
        if _room_tails.get(key) is done:
            del _room_tails[key]

    task.add_done_callback(forget)


def _group_send(room_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = consumer_loop.get()
    if loop is not None and loop.is_running():
        loop.call_soon_threadsafe(_schedule, loop, layer, room_id, event)
        return
    try:
        async_to_sync(layer.group_send)(room_group(room_id), event)
    except Exception:  # Redis down or anything else in the layer: the write stands.
        logger.warning("chat: could not broadcast %s to room %s", event["type"], room_id, exc_info=True)


def message_frame(message_json: str) -> str:
    """The ``message`` frame members get, as JSON text, from the message's JSON text."""
    return f'{{"type": "message", "message": {message_json}}}'


def broadcast_message(room_id: int, message_json: str) -> None:
    """``message_json``: the message as JSON text (``message_data``). The event carries the frame
    already encoded, so that each socket sends it as it is instead of encoding it again."""
    _group_send(room_id, {"type": "chat.message", "frame": message_frame(message_json)})


def broadcast_deleted(room_id: int, message_id: int) -> None:
    _group_send(room_id, {"type": "chat.deleted", "message_id": message_id})


def broadcast_read(room_id: int, member_id: int, last_read_id: int) -> None:
    """The member's read position moved (or they joined with it): the others' unread counts drop."""
    _group_send(room_id, {"type": "chat.read", "member_id": member_id, "last_read_id": last_read_id})


def broadcast_left(room_id: int, member_id: int) -> None:
    """The member is out of the room: they no longer count as someone who has not read."""
    _group_send(room_id, {"type": "chat.left", "member_id": member_id})


def broadcast_typing(room_id: int, member_id: int, display_name: str) -> None:
    _group_send(room_id, {"type": "chat.typing", "member_id": member_id, "display_name": display_name})


def blocks_changed(member_id: int) -> None:
    """A block involving the member was made or lifted: their sockets reload whose reads they see."""
    member_send(member_id, {"type": "chat.blocks_changed"})


def seat_ended(member_id: int, room_id: int) -> None:
    """The member is out of the room (or may no longer follow it): their sockets to it close.
    Sent to the member's own group (``accounts.realtime``), not to the whole room."""
    member_send(member_id, {"type": "chat.seat_ended", "room_id": room_id})


def broadcast_closed(room_id: int) -> None:
    _group_send(room_id, {"type": "chat.room_closed"})
