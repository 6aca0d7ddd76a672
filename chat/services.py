"""Writes to chat. Each function is one transaction; broadcasts and socket closes run on commit.

The walks app calls ``walk_room_sync`` and ``walk_room_close`` (keyword-only, by walk id).
"""

import re
from dataclasses import dataclass
from functools import cache, partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from community.text import normalize_text

from . import ratelimit, realtime, selectors
from .models import CLIENT_ID_PATTERN, MESSAGE_MAX_LENGTH, ChatPreference, Message, Room, RoomMember
from .serializers import message_data

User = get_user_model()
CLIENT_ID_RE = re.compile(CLIENT_ID_PATTERN)


class RateLimited(Exception):
    """The member sent too many messages; ``retry_after`` seconds until the next may go."""

    def __init__(self, retry_after: float):
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


class RoomClosed(PermissionDenied):
    """The room is read-only (its walk was cancelled)."""


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool  # False: the same client id was sent before, and this is the stored message
    data: dict | None = None  # the message as clients get it (``message_data``), when already made

    @property
    def message_data(self) -> dict:
        return self.data if self.data is not None else message_data(self.message)


# ------------------------------------------------------------------------------------------ walks


@transaction.atomic
def walk_room_sync(*, walk_id: int, member_ids: list[int]) -> None:
    """The walk's group room exists and holds exactly these members.

    Members taken out lose access at once: their open sockets are closed after commit.
    Members added start with everything so far marked read.
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
    if removed:
        transaction.on_commit(partial(realtime.disconnect_members, room.pk, removed))


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


def clean_text(text) -> str:
    if not isinstance(text, str):
        raise ValidationError(_("Write a message first."), code="empty")
    cleaned = normalize_text(text)
    if not cleaned:
        raise ValidationError(_("Write a message first."), code="empty")
    if len(cleaned) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("Keep it under %(max)d characters (now %(now)d).")
            % {"max": MESSAGE_MAX_LENGTH, "now": len(cleaned)},
            code="too_long",
        )
    return cleaned


def _check_client_id(client_id) -> str:
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise ValidationError(_("The message has no valid client id."), code="bad_client_id")
    return client_id


@dataclass(frozen=True)
class _Seat:
    """What sending needs to know about the sender's room."""

    room_id: int
    kind: str
    direct_key: str | None
    closed: bool
    stored_id: int | None  # a message the sender already sent with this client id


@cache
def _seat_sql() -> str:
    # Only the models' own table and column names go into the text (quoted); values are parameters.
    quote = connection.ops.quote_name
    room, member, message = Room._meta.db_table, RoomMember._meta.db_table, Message._meta.db_table
    return (
        f"SELECT r.{quote('id')}, r.{quote('kind')}, r.{quote('direct_key')}, "  # noqa: S608
        f"r.{quote('closed_at')} IS NOT NULL, "
        f"(SELECT m.{quote('id')} FROM {quote(message)} m "
        f"WHERE m.{quote('sender_id')} = %s AND m.{quote('client_id')} = %s) "
        f"FROM {quote(member)} rm JOIN {quote(room)} r ON r.{quote('id')} = rm.{quote('room_id')} "
        f"WHERE rm.{quote('room_id')} = %s AND rm.{quote('member_id')} = %s"
    )


def _seat(*, room_id: int, sender, client_id: str) -> _Seat:
    """The sender's room, if they sit in it, and whether they already sent this client id, in one
    statement. Written in SQL because it runs for every message, and building the same query
    through the ORM cost more than running it (chat/tests/test_services.py checks it against
    the ORM's answer)."""
    with connection.cursor() as cursor:
        cursor.execute(_seat_sql(), [sender.pk, client_id, room_id, sender.pk])
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist
    found_id, kind, direct_key, closed, stored_id = row
    return _Seat(room_id=found_id, kind=kind, direct_key=direct_key, closed=bool(closed), stored_id=stored_id)


@cache
def _insert_sql(*, returning: bool) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("room_id", "sender_id", "client_id", "text", "created_at"))
    sql = f"INSERT INTO {quote(Message._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    return f"{sql} RETURNING {quote('id')}" if returning else sql


def _insert_message(*, room_id: int, sender, client_id: str, text: str) -> Message:
    """``Message.objects.create`` in one plain INSERT, for the same reason as ``_seat``; a
    client id sent twice still raises IntegrityError (the unique constraint)."""
    created_at = timezone.now()
    params = [room_id, sender.pk, client_id, text, connection.ops.adapt_datetimefield_value(created_at)]
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(returning=returning), params)
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    message = Message(
        id=pk, room_id=room_id, sender=sender, client_id=client_id, text=text, created_at=created_at
    )
    message._state.adding = False
    message._state.db = connection.alias
    return message


def _check_sendable(seat: _Seat, *, sender) -> None:
    """``sender`` may write in the room now (it is open; a direct message is welcome)."""
    if seat.closed:
        raise RoomClosed(_("This room is closed: you can read it, but not write in it."))
    if seat.kind == Room.Kind.DIRECT:
        other_id = next(int(pk) for pk in seat.direct_key.split(":") if int(pk) != sender.pk)
        other = User.objects.filter(pk=other_id).first()
        if other is None or not selectors.can_message(sender=sender, recipient=other):
            raise PermissionDenied(_("This member is not taking direct messages from you."))


def _stored(*, sender, client_id: str, room_id: int) -> Message | None:
    stored = Message.objects.select_related("sender").filter(sender_id=sender.pk, client_id=client_id).first()
    if stored is not None and stored.room_id != room_id:
        raise ValidationError(_("This client id was already used for another message."), code="bad_client_id")
    return stored


def message_send(*, room_id: int, sender, client_id: str, text: str) -> SendResult:
    """Stores a message once per (sender, client id) and broadcasts it to the room after commit.

    Raises ``Room.DoesNotExist`` (not a member), ``PermissionDenied`` (closed room, or a direct
    message the other member does not accept), ``ValidationError`` (empty, too long, bad client
    id; ``code`` says which) and ``RateLimited``. A resend of a stored client id returns the
    stored message (``created=False``): it is not counted against the rate limit and not
    broadcast again.
    """
    _check_client_id(client_id)
    try:
        return _message_send(room_id=room_id, sender=sender, client_id=client_id, text=text)
    except IntegrityError:  # the same client id raced in from another connection
        stored = _stored(sender=sender, client_id=client_id, room_id=room_id)
        if stored is None:
            raise
        return SendResult(stored, created=False)


@transaction.atomic
def _message_send(*, room_id: int, sender, client_id: str, text: str) -> SendResult:
    seat = _seat(room_id=room_id, sender=sender, client_id=client_id)
    if seat.stored_id is not None:  # a resend: answer with what was stored
        return SendResult(_stored(sender=sender, client_id=client_id, room_id=room_id), created=False)
    _check_sendable(seat, sender=sender)
    cleaned = clean_text(text)
    retry_after = ratelimit.hit(member_id=sender.pk)
    if retry_after is not None:
        raise RateLimited(retry_after)
    message = _insert_message(room_id=seat.room_id, sender=sender, client_id=client_id, text=cleaned)
    data = message_data(message)
    transaction.on_commit(partial(realtime.broadcast_message, seat.room_id, data))
    return SendResult(message, created=True, data=data)


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


@transaction.atomic
def room_mark_read(*, room_id: int, member, message_id: int | None = None) -> int:
    """Moves the member's read marker forward (never back); returns it."""
    latest = selectors.latest_message_id(room_id=room_id)
    target = latest if message_id is None else min(int(message_id), latest)
    updated = RoomMember.objects.filter(room_id=room_id, member_id=member.pk).update(
        last_read_id=Greatest(F("last_read_id"), Value(target))
    )
    if not updated:
        raise Room.DoesNotExist
    return (
        RoomMember.objects.filter(room_id=room_id, member_id=member.pk)
        .values_list("last_read_id", flat=True)
        .get()
    )


# ------------------------------------------------------------------------------------------ preferences


@transaction.atomic
def chat_preference_set(*, member, direct_messages: str) -> ChatPreference:
    if direct_messages not in ChatPreference.DirectMessages.values:
        raise ValidationError({"direct_messages": _("Choose one of the options.")})
    preference, _created = ChatPreference.objects.update_or_create(
        member=member, defaults={"direct_messages": direct_messages}
    )
    return preference
