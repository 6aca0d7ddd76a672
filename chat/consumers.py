"""The chat WebSocket: ``/ws/chat/<room_id>/``.

Frames from the client (JSON objects):

- ``{"type": "message", "client_id": "<your id>", "text": "..."}`` → ``{"type": "ack", ...}``
  to the sender and ``{"type": "message", "message": {...}}`` to the room (the sender too);
- ``{"type": "load_older", "before": <message id>}`` → ``{"type": "older", ...}``;
- ``{"type": "load_newer", "after": <message id>}`` → ``{"type": "newer", ...}`` (after a reconnect);
- ``{"type": "delete", "message_id": <id>}`` → ``{"type": "deleted", "message_id": <id>}`` to the room;
- ``{"type": "read", "message_id": <id>}`` moves the read marker (no answer to the reader; the
  others get ``{"type": "read", "member_id": <id>, "last_read_id": <id>}``);
- ``{"type": "typing"}`` while the member writes (at most every few seconds; no answer; the others
  get ``{"type": "typing", "member_id": <id>, "display_name": "..."}`` and show it for a few seconds).

Read receipts: the history frame's ``reads`` (member id → last read message id) and the ``read``
frames that move it give the number next to each message (members but its sender who have not
read it); ``{"type": "left", "member_id": <id>}``: that member no longer counts;
``{"type": "reads", "reads": {...}}`` replaces them all (after a block was made or lifted).
Neither side of a block gets the other's ``read``, ``typing`` or position.

On connect the server sends ``{"type": "history", "messages": [...], "has_more": bool, "closed": bool,
"reads": {...}}`` (the last 50). Errors come as ``{"type": "error", "code": "...", "detail": "...", ...}``; codes:
``rate_limited`` (with ``retry_after`` seconds), ``too_long``, ``empty``, ``bad_client_id``,
``not_allowed``, ``suspended`` (by moderators; the detail says why and until when),
``room_closed``, ``not_found``, ``bad_frame``, ``unavailable`` (the database failed: send the
same client id again).

Close codes: 4401 not logged in (or a bad token, or the member's credentials changed: a new
password, a connected Kakao account, a ban, leaving), 4403 not a member (or taken out of the
room, or a block between the two members of a 1:1 room), 4410 the room was closed. Any other
close is a reason to reconnect.
"""

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.realtime import member_group
from moderation.guards import MemberBlocked, MemberSuspended

from . import presence, realtime, selectors, services
from .middleware import JWT_SUBPROTOCOL
from .models import Message, Room
from .serializers import message_data

logger = logging.getLogger(__name__)


def _language(scope) -> str:
    """The visitor's language, as LocaleMiddleware picks it: cookie, then Accept-Language."""
    request = HttpRequest()
    request.COOKIES = dict(scope.get("cookies") or {})
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin-1")
    return translation.get_language_from_request(request)


def _page(messages_and_more) -> tuple[list[dict], bool]:
    messages, has_more = messages_and_more
    return [message_data(message) for message in messages], has_more


@database_sync_to_async
def _room_state(room_id: int, user) -> dict | int:
    """The room as the socket starts with it, or the close code that refuses ``user``."""
    seat = selectors.socket_seat(room_id=room_id, member=user)
    if seat is None or not seat.may_listen:
        return realtime.CLOSE_NOT_A_MEMBER
    if not seat.credentials_current:
        return realtime.CLOSE_UNAUTHENTICATED
    messages, has_more = _page(selectors.room_messages(room_id=room_id))
    return {"closed": seat.closed, "messages": messages, "has_more": has_more, "reads": _reads(room_id, user)}


def _reads(room_id: int, user) -> dict[str, int]:
    positions = selectors.read_positions(room_id=room_id, viewer_id=user.pk)
    return {str(member_id): last_read for member_id, last_read in positions.items()}


@database_sync_to_async
def _hidden(user) -> set[int]:
    return selectors.hidden_member_ids(member_id=user.pk)


@database_sync_to_async
def _reads_now(room_id: int, user) -> dict[str, int]:
    return _reads(room_id, user)


@database_sync_to_async
def _send(room_id: int, user, client_id, text, language: str) -> services.SendResult:
    """``services.message_send``, its refusals worded in the sender's language."""
    with translation.override(language):
        return services.message_send(room_id=room_id, sender=user, client_id=client_id, text=text)


@database_sync_to_async
def _messages(room_id: int, user, **bounds) -> tuple[list[dict], bool] | None:
    if not selectors.is_member(room_id=room_id, member=user):
        return None
    return _page(selectors.room_messages(room_id=room_id, **bounds))


class ChatConsumer(AsyncJsonWebsocketConsumer):
    room_id: int
    group: str | None = None
    hidden: frozenset[int] = frozenset()  # members on either side of a block with this one
    presence_task: asyncio.Task | None = None

    async def connect(self):
        # This socket's database calls hand their broadcasts to this loop (chat.realtime).
        realtime.consumer_loop.set(asyncio.get_running_loop())
        self.user = self.scope.get("user")
        self.language = _language(self.scope)
        subprotocol = JWT_SUBPROTOCOL if JWT_SUBPROTOCOL in (self.scope.get("subprotocols") or []) else None
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        # Accept, then close with our code: a close before accepting reaches clients as a bare
        # HTTP 403, and they could not tell "not allowed" from "server down".
        if self.user is None or not self.user.is_authenticated:
            await self.accept(subprotocol)
            await self.close(code=realtime.CLOSE_UNAUTHENTICATED)
            return
        # The member's group before the check: a change to their credentials or seat committed
        # after the check still reaches this socket.
        await self.channel_layer.group_add(member_group(self.user.pk), self.channel_name)
        state = await _room_state(self.room_id, self.user)
        if isinstance(state, int):
            await self.channel_layer.group_discard(member_group(self.user.pk), self.channel_name)
            await self.accept(subprotocol)
            await self.close(code=state)
            return
        self.hidden = frozenset(await _hidden(self.user))
        self.group = realtime.room_group(self.room_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol)
        await self.send_json({"type": "history", "room_id": self.room_id, **state})
        await self._present()
        self.presence_task = asyncio.create_task(self._stay_present())

    async def _present(self):
        await presence.socket_open(
            room_id=self.room_id, member_id=self.user.pk, channel_name=self.channel_name
        )

    async def _stay_present(self):
        """Renews this socket's presence (chat/presence.py) while it is open."""
        while True:
            await asyncio.sleep(presence.REFRESH_SECONDS)
            await self._present()

    async def disconnect(self, code):
        if self.presence_task is not None:
            self.presence_task, task = None, self.presence_task
            task.cancel()
            await presence.socket_closed(
                room_id=self.room_id, member_id=self.user.pk, channel_name=self.channel_name
            )
        if self.group:
            self.group, group = None, self.group
            await self.channel_layer.group_discard(group, self.channel_name)
            await self.channel_layer.group_discard(member_group(self.user.pk), self.channel_name)

    # ------------------------------------------------------------------ client frames

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.group is None:
            return
        try:
            content = json.loads(text_data) if text_data else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.error("bad_frame", _("Send JSON objects with a type."))
            return
        await self.receive_json(content)

    # Every frame type a client may send, and its handler (moderation/tests/test_guards.py tries
    # each one against suspensions and blocks).
    client_frames = {
        "message": "on_message",
        "load_older": "on_load_older",
        "load_newer": "on_load_newer",
        "delete": "on_delete",
        "read": "on_read",
        "typing": "on_typing",
    }

    async def receive_json(self, content, **kwargs):
        frame_type = content.get("type")
        if frame_type == "message":  # most frames: its own language only where it words an error
            await self.on_message(content)
            return
        with translation.override(self.language):
            handler = self.client_frames.get(frame_type) if isinstance(frame_type, str) else None
            if handler is None:
                await self.error("bad_frame", _("Unknown frame type."))
                return
            try:
                await getattr(self, handler)(content)
            except (MemberSuspended, MemberBlocked) as refusal:
                await self.error(refusal.code, str(refusal))

    async def on_message(self, content):
        client_id = content.get("client_id")
        if not isinstance(client_id, str):
            client_id = None  # refused below, as the service words it
        try:
            result = await _send(self.room_id, self.user, client_id, content.get("text"), self.language)
        except (
            services.RateLimited,
            ValidationError,
            PermissionDenied,
            Room.DoesNotExist,
            DatabaseError,
        ) as refusal:
            with translation.override(self.language):
                await self._send_refusal(refusal, client_id)
            return
        # The ack is written around the message's JSON text.
        await self.send(
            text_data=f'{{"type": "ack", "client_id": {json.dumps(client_id)}, '
            f'"message": {result.message_json}, "created": {"true" if result.created else "false"}}}'
        )

    async def _send_refusal(self, refusal: Exception, client_id: str | None):
        if isinstance(refusal, services.RateLimited):
            await self.error(
                "rate_limited",
                _("You are sending messages too fast. Try again in a moment."),
                client_id=client_id,
                retry_after=refusal.retry_after,
            )
        elif isinstance(refusal, ValidationError):
            await self.error(refusal.code or "invalid", " ".join(refusal.messages), client_id=client_id)
        elif isinstance(refusal, services.RoomClosed):
            await self.error("room_closed", str(refusal), client_id=client_id)
        elif isinstance(refusal, MemberSuspended):
            await self.error("suspended", str(refusal), client_id=client_id)
        elif isinstance(refusal, PermissionDenied):
            await self.error("not_allowed", str(refusal), client_id=client_id)
        elif isinstance(refusal, Room.DoesNotExist):
            await self.error("not_allowed", _("You are not in this room."), client_id=client_id)
            await self.close(code=realtime.CLOSE_NOT_A_MEMBER)
        else:
            logger.error("chat: storing a message failed", exc_info=refusal)
            await self.error(
                "unavailable", _("The message could not be saved just now. Try again."), client_id=client_id
            )

    async def on_load_older(self, content):
        before = _positive_int(content.get("before"))
        if before is None:
            await self.error("bad_frame", _("Say which message to load before."))
            return
        await self._send_page("older", before=before)

    async def on_load_newer(self, content):
        after = _positive_int(content.get("after"), allow_zero=True)
        if after is None:
            await self.error("bad_frame", _("Say which message to load after."))
            return
        await self._send_page("newer", after=after)

    async def _send_page(self, frame_type: str, **bounds):
        page = await _messages(self.room_id, self.user, **bounds)
        if page is None:
            await self.close(code=realtime.CLOSE_NOT_A_MEMBER)
            return
        messages, has_more = page
        await self.send_json({"type": frame_type, "messages": messages, "has_more": has_more})

    async def on_delete(self, content):
        message_id = _positive_int(content.get("message_id"))
        try:
            if message_id is None:
                raise Message.DoesNotExist
            await database_sync_to_async(services.message_delete)(message_id=message_id, member=self.user)
        except Message.DoesNotExist:
            await self.error("not_found", _("That message is not here."), message_id=message_id)
        except (MemberSuspended, MemberBlocked):
            raise  # receive_json answers sanctions with their own code
        except PermissionDenied as error:
            await self.error("not_allowed", str(error), message_id=message_id)

    async def on_read(self, content):
        message_id = _positive_int(content.get("message_id"))
        try:
            await database_sync_to_async(services.room_mark_read)(
                room_id=self.room_id, member=self.user, message_id=message_id
            )
        except Room.DoesNotExist:
            await self.close(code=realtime.CLOSE_NOT_A_MEMBER)

    async def on_typing(self, content):
        try:
            await database_sync_to_async(services.room_typing)(room_id=self.room_id, member=self.user)
        except services.RateLimited as limited:
            await self.error(
                "rate_limited",
                _("You are sending messages too fast. Try again in a moment."),
                frame="typing",
                retry_after=limited.retry_after,
            )
        except Room.DoesNotExist:
            await self.close(code=realtime.CLOSE_NOT_A_MEMBER)
        except (MemberSuspended, MemberBlocked):
            raise  # receive_json answers sanctions with their own code
        except PermissionDenied as refusal:
            await self.error("not_allowed", str(refusal))

    async def error(self, code: str, detail: str, **extra):
        await self.send_json({"type": "error", "code": code, "detail": str(detail), **extra})

    # ------------------------------------------------------------------ group events

    async def chat_message(self, event):
        await self.send(text_data=event["frame"])  # encoded once for the room (realtime.broadcast_message)

    async def chat_deleted(self, event):
        await self.send_json({"type": "deleted", "message_id": event["message_id"]})

    def _shown(self, member_id: int) -> bool:
        """Another member's reads and typing reach this socket unless a block stands between them
        (the member's own are known to their page already)."""
        return member_id != self.user.pk and member_id not in self.hidden

    async def chat_read(self, event):
        if self._shown(event["member_id"]):
            await self.send_json(
                {"type": "read", "member_id": event["member_id"], "last_read_id": event["last_read_id"]}
            )

    async def chat_left(self, event):
        if self._shown(event["member_id"]):
            await self.send_json({"type": "left", "member_id": event["member_id"]})

    async def chat_typing(self, event):
        if self._shown(event["member_id"]):
            await self.send_json(
                {"type": "typing", "member_id": event["member_id"], "display_name": event["display_name"]}
            )

    async def chat_blocks_changed(self, event):
        """A block involving this member was made or lifted (``chat.membership.block_changed``)."""
        if self.group is None:
            return
        self.hidden = frozenset(await _hidden(self.user))
        await self.send_json({"type": "reads", "reads": await _reads_now(self.room_id, self.user)})

    async def chat_seat_ended(self, event):
        """The member is out of a room (``chat.membership``): this socket closes if it is that room's."""
        if self.group is not None and event["room_id"] == self.room_id:
            await self.send_json({"type": "removed"})
            await self.disconnect(realtime.CLOSE_NOT_A_MEMBER)
            await self.close(code=realtime.CLOSE_NOT_A_MEMBER)

    async def member_credentials_changed(self, event):
        """The member's credentials changed (``accounts.services.member_credentials_raise``): a
        socket opened under an earlier version closes as if they had logged out."""
        if self.group is not None and self.user.credentials_version < event["version"]:
            await self.disconnect(realtime.CLOSE_UNAUTHENTICATED)
            await self.close(code=realtime.CLOSE_UNAUTHENTICATED)

    async def chat_room_closed(self, event):
        await self.send_json({"type": "closed"})
        await self.disconnect(realtime.CLOSE_ROOM_CLOSED)
        await self.close(code=realtime.CLOSE_ROOM_CLOSED)


def _positive_int(value, *, allow_zero: bool = False) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    if number < 0 or (number == 0 and not allow_zero):
        return None
    return number
