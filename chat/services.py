"""Writes to chat. Each function is one transaction; broadcasts and socket closes run on commit.

The walks app calls ``walk_room_sync`` and ``walk_room_close`` (keyword-only, by walk id).
"""

import re
from dataclasses import dataclass
from functools import cache, partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from community.text import normalize_text
from moderation.guards import MemberSuspended
from moderation.models import Action, ActionKind

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
    if not isinstance(client_id, str) or not CLIENT_ID_RE.fullmatch(client_id):
        raise ValidationError(_("The message has no valid client id."), code="bad_client_id")
    return client_id


@dataclass(frozen=True)
class SendRequest:
    room_id: int
    sender: object
    client_id: str
    text: str


@dataclass(frozen=True)
class SendOutcome:
    """One request's answer: ``result``, or the ``error`` ``message_send`` would have raised."""

    result: SendResult | None = None
    error: Exception | None = None


@dataclass(frozen=True)
class _Seat:
    """What sending needs to know about one request's room (None fields: not a member)."""

    room_id: int | None
    kind: str | None
    direct_key: str | None
    closed: bool
    stored_id: int | None  # a message the sender already sent with this client id
    suspension_id: int | None = None  # the sender's suspension in force (moderation.Action)


# Sending runs for every message, in batches from the sockets (chat/batching.py): its two
# statements are written in SQL, because building them through the ORM cost more than running
# them. Only the models' own table and column names go into the text (quoted); every value is a
# parameter. chat/tests/test_services.py checks both against the ORM.


def _quote_names():
    quote = connection.ops.quote_name
    return quote, quote(Room._meta.db_table), quote(RoomMember._meta.db_table), quote(Message._meta.db_table)


def _suspension_sql(quote) -> str:
    """The sender's suspension in force that ends last (two parameters: the kind, now)."""
    action = quote(Action._meta.db_table)
    return (
        f"(SELECT a.{quote('id')} FROM {action} a WHERE a.{quote('member_id')} = req.sender_id "  # noqa: S608
        f"AND a.{quote('kind')} = %s AND a.{quote('until')} > %s ORDER BY a.{quote('until')} DESC LIMIT 1)"
    )


@cache
def _seats_sql(count: int) -> str:
    quote, room, member, message = _quote_names()
    row = "(CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS VARCHAR(64)))"
    return (
        f"WITH req (n, room_id, sender_id, client_id) AS (VALUES {', '.join([row] * count)}) "  # noqa: S608
        f"SELECT req.n, r.{quote('id')}, r.{quote('kind')}, r.{quote('direct_key')}, "
        f"r.{quote('closed_at')} IS NOT NULL, "
        f"(SELECT m.{quote('id')} FROM {message} m "
        f"WHERE m.{quote('sender_id')} = req.sender_id AND m.{quote('client_id')} = req.client_id), "
        f"{_suspension_sql(quote)} "
        f"FROM req LEFT JOIN {member} rm "
        f"ON rm.{quote('room_id')} = req.room_id AND rm.{quote('member_id')} = req.sender_id "
        f"LEFT JOIN {room} r ON r.{quote('id')} = rm.{quote('room_id')}"
    )


def _seats(requests: list[SendRequest]) -> list[_Seat]:
    """Each request's room (if the sender sits in it) and stored message (if the client id was
    used before): one statement for the whole batch."""
    params = []
    for number, request in enumerate(requests):
        params += [number, request.room_id, request.sender.pk, request.client_id]
    params += [ActionKind.SUSPEND.value, connection.ops.adapt_datetimefield_value(timezone.now())]
    with connection.cursor() as cursor:
        cursor.execute(_seats_sql(len(requests)), params)
        rows = {int(row[0]): row[1:] for row in cursor.fetchall()}
    seats = []
    for number in range(len(requests)):
        room_id, kind, direct_key, closed, stored_id, suspension_id = rows[number]
        seats.append(_Seat(room_id, kind, direct_key, bool(closed), stored_id, suspension_id))
    return seats


@cache
def _insert_sql(count: int) -> str:
    quote, _room, _member, message = _quote_names()
    columns = ", ".join(quote(name) for name in ("room_id", "sender_id", "client_id", "text", "created_at"))
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * count)
    return (
        f"INSERT INTO {message} ({columns}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({quote('sender_id')}, {quote('client_id')}) DO NOTHING "
        f"RETURNING {quote('id')}, {quote('sender_id')}, {quote('client_id')}"
    )


def _insert(requests: list[SendRequest], texts: list[str]) -> dict[tuple[int, str], Message]:
    """Inserts the messages; a client id that raced in meanwhile is skipped (not returned)."""
    created_at = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(created_at)
    params = []
    for request, text in zip(requests, texts, strict=True):
        params += [request.room_id, request.sender.pk, request.client_id, text, stamp]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(len(requests)), params)
        ids = {(int(sender_id), client_id): int(pk) for pk, sender_id, client_id in cursor.fetchall()}
    inserted = {}
    for request, text in zip(requests, texts, strict=True):
        pk = ids.get((request.sender.pk, request.client_id))
        if pk is None:
            continue
        message = Message(
            id=pk,
            room_id=request.room_id,
            sender=request.sender,
            client_id=request.client_id,
            text=text,
            created_at=created_at,
        )
        message._state.adding = False
        message._state.db = connection.alias
        inserted[(request.sender.pk, request.client_id)] = message
    return inserted


def _check_sendable(seat: _Seat, *, sender) -> None:
    """``sender`` may write in the room now (it is open; a direct message is welcome)."""
    if seat.closed:
        raise RoomClosed(_("This room is closed: you can read it, but not write in it."))
    if seat.kind == Room.Kind.DIRECT:
        other_id = next(int(pk) for pk in seat.direct_key.split(":") if int(pk) != sender.pk)
        other = User.objects.filter(pk=other_id).first()
        if other is None or not selectors.can_message(sender=sender, recipient=other):
            raise PermissionDenied(_("This member is not taking direct messages from you."))


def _resend(stored: Message, *, room_id: int) -> SendResult:
    if stored.room_id != room_id:
        raise ValidationError(_("This client id was already used for another message."), code="bad_client_id")
    return SendResult(stored, created=False)


def message_send(*, room_id: int, sender, client_id: str, text: str) -> SendResult:
    """Stores a message once per (sender, client id) and broadcasts it to the room after commit.

    Raises ``Room.DoesNotExist`` (not a member), ``PermissionDenied`` (closed room, or a direct
    message the other member does not accept), ``ValidationError`` (empty, too long, bad client
    id; ``code`` says which) and ``RateLimited``. A resend of a stored client id returns the
    stored message (``created=False``): it is not counted against the rate limit and not
    broadcast again.
    """
    request = SendRequest(room_id=room_id, sender=sender, client_id=client_id, text=text)
    try:
        outcome = _messages_send([request])[0]
    except IntegrityError as error:  # the room or the sender went away meanwhile
        raise Room.DoesNotExist from error
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


def messages_send(*, requests: list[SendRequest]) -> list[SendOutcome]:
    """Several sends (any rooms, any senders) in one transaction, each with its own outcome,
    exactly as ``message_send`` would have answered it: the sockets' batches (chat/batching.py)."""
    try:
        return _messages_send(list(requests))
    except IntegrityError:  # a room or member went away meanwhile: send one by one
        outcomes = []
        for request in requests:
            try:
                result = message_send(
                    room_id=request.room_id,
                    sender=request.sender,
                    client_id=request.client_id,
                    text=request.text,
                )
                outcomes.append(SendOutcome(result=result))
            except (ObjectDoesNotExist, PermissionDenied, ValidationError, RateLimited) as error:
                outcomes.append(SendOutcome(error=error))
        return outcomes


@transaction.atomic
def _messages_send(requests: list[SendRequest]) -> list[SendOutcome]:
    outcomes: list[SendOutcome | None] = [None] * len(requests)
    pending = []  # (number, request)
    for number, request in enumerate(requests):
        try:
            _check_client_id(request.client_id)
            pending.append((number, request))
        except ValidationError as error:
            outcomes[number] = SendOutcome(error=error)
    seats = _seats([request for _number, request in pending]) if pending else []
    stored_ids = [seat.stored_id for seat in seats if seat.room_id is not None and seat.stored_id is not None]
    stored = Message.objects.select_related("sender").in_bulk(stored_ids) if stored_ids else {}
    # Checked on every message (in the seats statement): a suspension also stops open sockets.
    suspension_ids = {seat.suspension_id for seat in seats if seat.suspension_id is not None}
    suspensions = Action.objects.in_bulk(suspension_ids) if suspension_ids else {}

    accepted = []  # (number, request, cleaned text), before the rate limit
    batch_keys = set()
    for (number, request), seat in zip(pending, seats, strict=True):
        key = (request.sender.pk, request.client_id)
        if key in batch_keys:  # the same client id twice in one batch: answered with the first
            continue
        batch_keys.add(key)
        try:
            if seat.room_id is None:
                raise Room.DoesNotExist
            if seat.stored_id is not None:  # a resend: answer with what was stored
                outcomes[number] = SendOutcome(
                    result=_resend(stored[seat.stored_id], room_id=request.room_id)
                )
                continue
            if seat.suspension_id is not None:
                raise MemberSuspended(suspensions[seat.suspension_id])
            _check_sendable(seat, sender=request.sender)
            accepted.append((number, request, clean_text(request.text)))
        except (ObjectDoesNotExist, PermissionDenied, ValidationError) as error:
            outcomes[number] = SendOutcome(error=error)

    waits = ratelimit.hit_many(member_ids=[request.sender.pk for _number, request, _text in accepted])
    to_insert, first_of = [], {}
    for (number, request, text), retry_after in zip(accepted, waits, strict=True):
        if retry_after is not None:
            outcomes[number] = SendOutcome(error=RateLimited(retry_after))
        else:
            first_of[(request.sender.pk, request.client_id)] = number
            to_insert.append((number, request, text))

    inserted = _insert([r for _n, r, _t in to_insert], [t for _n, _r, t in to_insert]) if to_insert else {}
    raced = [key for key in first_of if key not in inserted]
    for message in sorted(inserted.values(), key=lambda item: item.pk):
        data = message_data(message)
        transaction.on_commit(partial(realtime.broadcast_message, message.room_id, data))
        outcomes[first_of[(message.sender_id, message.client_id)]] = SendOutcome(
            result=SendResult(message, created=True, data=data)
        )
    for key in raced:  # stored meanwhile by another connection
        number = first_of[key]
        message = Message.objects.select_related("sender").get(sender_id=key[0], client_id=key[1])
        try:
            outcomes[number] = SendOutcome(result=_resend(message, room_id=requests[number].room_id))
        except ValidationError as error:
            outcomes[number] = SendOutcome(error=error)
    first_numbers = {}
    for number, request in enumerate(requests):
        if isinstance(request.client_id, str):
            first_numbers.setdefault((request.sender.pk, request.client_id), number)
    for number, (request, outcome) in enumerate(zip(requests, outcomes, strict=True)):
        if outcome is None:  # a duplicate within the batch: what the first one got
            first = outcomes[first_numbers[(request.sender.pk, request.client_id)]]
            outcomes[number] = (
                SendOutcome(result=SendResult(first.result.message, created=False)) if first.result else first
            )
    return outcomes


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
