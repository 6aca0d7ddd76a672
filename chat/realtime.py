"""Events sent to a room's channel-layer group, and the frames consumers turn them into.

Services call these from ``transaction.on_commit``: the rows are committed before anyone is
told. A channel layer that is down (Redis gone) must not fail the write that already
happened: the failure is logged, and members catch up from history when they reconnect.

Called from a worker thread of a running event loop (a consumer's database call, or a view
served through ASGI), the send is handed to that loop and the thread goes on at once: the
chat's database threads never wait for Redis. Sends to one room still go out in the order
they were made (each waits for the room's previous one).
"""

import asyncio
import logging
import threading

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from accounts.realtime import member_send

logger = logging.getLogger(__name__)

# Close codes sent to WebSocket clients (4000–4999 are the application's own).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_A_MEMBER = 4403
CLOSE_ROOM_CLOSED = 4410

# The last send scheduled per (event loop, room), so the next one can wait for it.
_room_tails: dict[tuple[int, int], asyncio.Task] = {}


class _Outbox(threading.local):
    """Set by chat.db for the length of a consumer's database call: sends collected there go out
    from the event loop when the call returns."""

    items: list | None = None


outbox = _Outbox()


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


def _calling_loop():
    """The running event loop whose worker thread this is, if any (else None)."""
    try:
        asyncio.get_running_loop()
        return None  # on the loop itself: sync code must not block it either way
    except RuntimeError:
        pass
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    return loop if loop is not None and loop.is_running() and not loop.is_closed() else None


async def _send_in_order(previous, layer, room_id: int, event: dict) -> None:
    if previous is not None:
        await asyncio.wait([previous])
    try:
        await layer.group_send(room_group(room_id), event)
    except Exception:  # Redis down or anything else in the layer: the write stands.
        logger.warning("chat: could not broadcast %s to room %s", event["type"], room_id, exc_info=True)


def _schedule(loop, layer, room_id: int, event: dict) -> None:
    key = (id(loop), room_id)
    task = loop.create_task(_send_in_order(_room_tails.get(key), layer, room_id, event))
    _room_tails[key] = task

    def forget(done):
        if _room_tails.get(key) is done:
            del _room_tails[key]

    task.add_done_callback(forget)


def send_from_loop(loop, room_id: int, event: dict) -> None:
    """On the event loop itself: schedule the send (in order for the room) and return."""
    layer = get_channel_layer()
    if layer is not None:
        _schedule(loop, layer, room_id, event)


def _group_send(room_id: int, event: dict) -> None:
    if outbox.items is not None:
        outbox.items.append((room_id, event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _calling_loop()
    if loop is not None:
        loop.call_soon_threadsafe(_schedule, loop, layer, room_id, event)
        return
    try:
        async_to_sync(layer.group_send)(room_group(room_id), event)
    except Exception:
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


def seat_ended(member_id: int, room_id: int) -> None:
    """The member is out of the room (or may no longer follow it): their sockets to it close.
    Sent to the member's own group (``accounts.realtime``), not to the whole room."""
    member_send(member_id, {"type": "chat.seat_ended", "room_id": room_id})


def broadcast_closed(room_id: int) -> None:
    _group_send(room_id, {"type": "chat.room_closed"})
