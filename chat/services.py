"""Writes to chat. Each function is one transaction; broadcasts and socket closes run on commit.

``receivers`` call ``walk_room_sync`` and ``walk_room_close`` when a walk changes (keyword-only,
by walk id).
"""

import json
import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.actions import AllowedWhileSuspended, member_action
from core.text import normalize_text
from moderation.guards import check_not_suspended
from notifications import push

from . import realtime, selectors
from .models import CLIENT_ID_PATTERN, MESSAGE_MAX_LENGTH, ChatPreference, Message, Room, RoomMember
from .serializers import message_data

User = get_user_model()
CLIENT_ID_RE = re.compile(CLIENT_ID_PATTERN)
# Messages per member per window of seconds (settings.CHAT_RATE_LIMIT), counted by core.ratelimit.
DEFAULT_RATE_LIMIT = (10, 10)
RateLimited = ratelimit.RateLimited  # the member sent too many messages; ``retry_after`` seconds


class RoomClosed(PermissionDenied):
    """The room is read-only (its walk was cancelled)."""


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool  # False: the same client id was sent before, and this is the stored message

    @property
    def message_data(self) -> dict:
        return message_data(self.message)

    @property
    def message_json(self) -> str:
        """``message_data`` as JSON text (as ``json.dumps`` writes it)."""
        return json.dumps(self.message_data)


# ------------------------------------------------------------------------------------------ walks


@transaction.atomic
def walk_room_sync(*, walk_id: int, member_ids: list[int]) -> None:
    """The walk's group room exists and holds exactly these members.

    Members taken out lose access at once: their open sockets are closed after commit (as for
    every seat that ends, ``chat.membership``). Members added start with everything so far
    marked read.
    """
    room, _created = Room.objects.get_or_create(kind=Room.Kind.WALK, walk_id=walk_id)
    wanted = {int(member_id) for member_id in member_ids}
    current = set(RoomMember.objects.filter(room=room).values_list("member_id", flat=True))
    removed = sorted(current - wanted)
    added = wanted - current
    if removed:
        RoomMember.objects.filter(room=room, member_id__in=removed).delete()
    if added:
        existing = set(User.objects.filter(pk__in=added).values_list("pk", flat=True))
        latest = selectors.latest_message_id(room_id=room.pk)
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, member_id=member_id, last_read_id=latest)
                for member_id in sorted(existing)
            ],
            ignore_conflicts=True,
        )
        # The others' unread counts now include the new members, who have read everything so far.
        for member_id in sorted(existing):
            transaction.on_commit(partial(realtime.broadcast_read, room.pk, member_id, latest))


@transaction.atomic
def walk_room_close(*, walk_id: int) -> None:
    """The walk was cancelled: its room becomes read-only and open sockets are closed."""
    room = Room.objects.select_for_update().filter(kind=Room.Kind.WALK, walk_id=walk_id).first()
    if room is None or room.closed_at is not None:
        return
    room.closed_at = timezone.now()
    room.save(update_fields=["closed_at"])
    transaction.on_commit(partial(realtime.broadcast_closed, room.pk))


# ------------------------------------------------------------------------------------------ direct


@member_action("member")
@transaction.atomic
def direct_room_get_or_create(*, member, other) -> Room:
    """The 1:1 room of these two members. A new one only if ``other`` accepts messages from
    ``member`` (``selectors.can_message``); an existing conversation opens either way
    (sending in it is checked message by message)."""
    if member.pk == other.pk:
        raise ValidationError(_("You cannot send messages to yourself."))
    key = Room.pair_key(member.pk, other.pk)
    room = Room.objects.filter(kind=Room.Kind.DIRECT, direct_key=key).first()
    if room is not None:
        return room
    if not selectors.can_message(sender=member, recipient=other):
        raise PermissionDenied(
            _("%(name)s is not taking direct messages from you.") % {"name": other.display_name}
        )
    try:
        with transaction.atomic():
            room = Room.objects.create(kind=Room.Kind.DIRECT, direct_key=key)
    except IntegrityError:  # the other member opened it at the same moment
        return Room.objects.get(kind=Room.Kind.DIRECT, direct_key=key)
    RoomMember.objects.bulk_create(
        [RoomMember(room=room, member=member), RoomMember(room=room, member=other)]
    )
    return room


# ------------------------------------------------------------------------------------------ messages


def too_long_message(length: int | str) -> str:
    """Why a message was refused for its length (never cut: the member shortens it)."""
    return _(
        "A message can be up to %(max)s characters, and this one has %(now)s. "
        "It was not sent: shorten it and send it again."
    ) % {"max": f"{MESSAGE_MAX_LENGTH:,}", "now": f"{length:,}" if isinstance(length, int) else length}


def clean_text(text) -> str:
    if not isinstance(text, str):
        raise ValidationError(_("Write a message first."), code="empty")
    cleaned = normalize_text(text)
    if not cleaned:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(cleaned) > MESSAGE_MAX_LENGTH:
        raise ValidationError(too_long_message(len(cleaned)), code="too_long")
    return cleaned


def _check_client_id(client_id) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID_RE.fullmatch(client_id):
        raise ValidationError(_("The message has no valid client id."), code="bad_client_id")
    return client_id


def _check_sendable(room: Room, *, sender) -> None:
    """``sender`` may write in the room now (it is open; a direct message is welcome)."""
    if room.closed_at is not None:
        raise RoomClosed(_("This room is closed: you can read it, but not write in it."))
    if room.kind == Room.Kind.DIRECT:
        other_id = next(int(pk) for pk in room.direct_key.split(":") if int(pk) != sender.pk)
        other = User.objects.filter(pk=other_id).first()
        if other is None or not selectors.can_message(sender=sender, recipient=other):
            raise PermissionDenied(_("This member is not taking direct messages from you."))


def _resend(stored: Message, *, room_id: int) -> SendResult:
    if stored.room_id != room_id:
        raise ValidationError(_("This client id was already used for another message."), code="bad_client_id")
    return SendResult(stored, created=False)


def _stored(*, sender, client_id: str) -> Message | None:
    return Message.objects.select_related("sender").filter(sender_id=sender.pk, client_id=client_id).first()


def message_send(*, room_id: int, sender, client_id: str, text: str) -> SendResult:
    """Stores a message once per (sender, client id) and broadcasts it to the room after commit.

    Checked in this order: the client id, membership (``Room.DoesNotExist``), a resend of a
    stored client id (answered with the stored message, ``created=False``: not counted against
    the rate limit and not broadcast again), a suspension (``MemberSuspended``), the room
    (``PermissionDenied``: closed, or a direct message the other member does not accept), the
    text (``ValidationError``, ``code`` empty or too_long) and the rate limit (``RateLimited``).
    Broadcasts go out in the order the messages were stored (by id), after commit. The checks
    read outside the transaction; the insert is its own (the unique client id settles a race).
    """
    _check_client_id(client_id)
    room = Room.objects.filter(pk=room_id, memberships__member_id=sender.pk).first()
    if room is None:
        raise Room.DoesNotExist
    stored = _stored(sender=sender, client_id=client_id)
    if stored is not None:
        return _resend(stored, room_id=room_id)
    # Suspension is checked after the resend: an app resending a message stored before the
    # suspension gets its ack.
    check_not_suspended(sender)
    _check_sendable(room, sender=sender)
    cleaned = clean_text(text)
    limit, window = getattr(settings, "CHAT_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    ratelimit.hit("chat_message", sender.pk, limit=(limit, window))
    try:
        with transaction.atomic():
            message = Message.objects.create(room=room, sender=sender, client_id=client_id, text=cleaned)
    except IntegrityError as error:  # the client id stored meanwhile, or the room gone
        stored = _stored(sender=sender, client_id=client_id)
        if stored is None:
            raise Room.DoesNotExist from error
        return _resend(stored, room_id=room_id)
    result = SendResult(message, created=True)
    transaction.on_commit(partial(realtime.broadcast_message, room.pk, result.message_json))
    transaction.on_commit(partial(push.queue_push, "chat_message", message.pk))
    return result


@member_action("member")
@transaction.atomic
def message_delete(*, message_id: int, member) -> Message:
    """A member deletes their own message (a tombstone stays; the text is never shown again)."""
    message = (
        Message.objects.select_for_update()
        .filter(pk=message_id, room__memberships__member_id=member.pk)
        .first()
    )
    if message is None:
        raise Message.DoesNotExist
    if message.sender_id != member.pk:
        raise PermissionDenied(_("You can only delete your own messages."))
    if message.deleted_at is None:
        message.deleted_at = timezone.now()
        message.save(update_fields=["deleted_at"])
        transaction.on_commit(partial(realtime.broadcast_deleted, message.room_id, message.pk))
    return message


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.MARK_READ)
@transaction.atomic
def room_mark_read(*, room_id: int, member, message_id: int | None = None) -> int:
    """Moves the member's read marker forward (never back); returns it.

    The marker is the member's one read position in the room (``RoomMember.last_read_id``): the
    others' unread counts ("1" next to a message) come from it. When it moves, the room is told
    after commit (``realtime.broadcast_read``), so their counts drop live."""
    latest = selectors.latest_message_id(room_id=room_id)
    target = latest if message_id is None else min(int(message_id), latest)
    moved = RoomMember.objects.filter(room_id=room_id, member_id=member.pk, last_read_id__lt=target).update(
        last_read_id=target
    )
    if moved:
        transaction.on_commit(partial(realtime.broadcast_read, room_id, member.pk, target))
        return target
    current = (
        RoomMember.objects.filter(room_id=room_id, member_id=member.pk)
        .values_list("last_read_id", flat=True)
        .first()
    )
    if current is None:
        raise Room.DoesNotExist
    return current


@member_action("member")
def room_typing(*, room_id: int, member) -> None:
    """The member is writing in the room: the others see "… is typing" for a few seconds.

    Nothing is stored. Refused like a message would be (membership: ``Room.DoesNotExist``; a
    closed room or an unwelcome direct message: ``PermissionDenied``), and limited per member
    (``RATE_LIMITS["chat_typing"]``: ``RateLimited``); chat.js sends it at most every few seconds."""
    room = Room.objects.filter(pk=room_id, memberships__member_id=member.pk).first()
    if room is None:
        raise Room.DoesNotExist
    _check_sendable(room, sender=member)
    ratelimit.hit("chat_typing", member.pk)
    realtime.broadcast_typing(room_id, member.pk, member.display_name)


# ------------------------------------------------------------------------------------------ preferences


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def chat_preference_set(*, member, direct_messages: str) -> ChatPreference:
    if direct_messages not in ChatPreference.DirectMessages.values:
        raise ValidationError({"direct_messages": _("Choose one of the options.")})
    preference, _created = ChatPreference.objects.update_or_create(
        member=member, defaults={"direct_messages": direct_messages}
    )
    return preference
