"""Writes to chat. Each function is one transaction (sending: one statement on PostgreSQL);
broadcasts and socket closes run on commit.

The walks app calls ``walk_room_sync`` and ``walk_room_close`` (keyword-only, by walk id).
"""

import json
import re
import time
from dataclasses import dataclass, replace
from functools import cache, partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from community.text import normalize_text
from moderation.guards import AllowedWhileSuspended, MemberSuspended, member_action
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
    data_json: str | None = None  # ``data`` as JSON text, when already made

    @property
    def message_data(self) -> dict:
        return self.data if self.data is not None else message_data(self.message)

    @property
    def message_json(self) -> str:
        """``message_data`` as JSON text (as ``json.dumps`` writes it)."""
        return self.data_json if self.data_json is not None else json.dumps(self.message_data)


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
    inserted_id: int | None = None  # the message this call stored


# Sending runs for every message, in batches from the sockets (chat/batching.py): its statements
# are written in SQL, because building them through the ORM cost more than running them. Only the
# models' own table and column names go into the text (quoted); every value is a parameter.
# chat/tests/test_services.py checks them against the ORM.


def _quote_names():
    quote = connection.ops.quote_name
    return quote, quote(Room._meta.db_table), quote(RoomMember._meta.db_table), quote(Message._meta.db_table)


def _seat_columns_sql(quote, message) -> str:
    """The seat of ``req`` (room, kind, direct key, closed, earlier message with its client id, the
    suspension in force that ends last) from ``rm`` and ``r``; two parameters: the kind, now."""
    action = quote(Action._meta.db_table)
    return (
        f"r.{quote('id')}, r.{quote('kind')}, r.{quote('direct_key')}, r.{quote('closed_at')} IS NOT NULL, "  # noqa: S608
        f"(SELECT m.{quote('id')} FROM {message} m "
        f"WHERE m.{quote('sender_id')} = req.sender_id AND m.{quote('client_id')} = req.client_id), "
        f"(SELECT a.{quote('id')} FROM {action} a WHERE a.{quote('member_id')} = req.sender_id "
        f"AND a.{quote('kind')} = %s AND a.{quote('until')} > %s ORDER BY a.{quote('until')} DESC LIMIT 1)"
    )


def _seat_join_sql(quote, room, member) -> str:
    return (
        f"LEFT JOIN {member} rm ON rm.{quote('room_id')} = req.room_id AND rm.{quote('member_id')} = req.sender_id "
        f"LEFT JOIN {room} r ON r.{quote('id')} = rm.{quote('room_id')}"
    )


@cache
def _seats_sql(count: int) -> str:
    quote, room, member, message = _quote_names()
    row = "(CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS VARCHAR(64)))"
    return (
        f"WITH req (n, room_id, sender_id, client_id) AS (VALUES {', '.join([row] * count)}) "  # noqa: S608
        f"SELECT req.n, {_seat_columns_sql(quote, message)} FROM req {_seat_join_sql(quote, room, member)}"
    )


def _suspension_params(now) -> list:
    return [ActionKind.SUSPEND.value, connection.ops.adapt_datetimefield_value(now)]


def _seats(requests: list[SendRequest]) -> list[_Seat]:
    """Each request's room (if the sender sits in it) and stored message (if the client id was
    used before): one statement for the whole batch."""
    params = []
    for number, request in enumerate(requests):
        params += [number, request.room_id, request.sender.pk, request.client_id]
    with connection.cursor() as cursor:
        cursor.execute(_seats_sql(len(requests)), params + _suspension_params(timezone.now()))
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


def _insert(requests: list[SendRequest], texts: list[str], created_at) -> dict[tuple[int, str], int]:
    """Inserts the messages; returns their ids by (sender id, client id). A client id that raced
    in meanwhile is skipped (not returned)."""
    stamp = connection.ops.adapt_datetimefield_value(created_at)
    params = []
    for request, text in zip(requests, texts, strict=True):
        params += [request.room_id, request.sender.pk, request.client_id, text, stamp]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(len(requests)), params)
        return {(int(sender_id), client_id): int(pk) for pk, sender_id, client_id in cursor.fetchall()}


@cache
def _send_sql(count: int) -> str:
    """PostgreSQL: the seats and the insert of a batch of ``count`` in one statement (prepared once
    per connection and size). Rows with a NULL text are only looked up; the others are inserted
    where the sender sits in an open walk room, is not suspended and has not used the client id
    before. Direct messages are checked in Python first (``_check_sendable``) and inserted by
    ``_insert``."""
    quote, room, member, message = _quote_names()
    columns = ", ".join(quote(name) for name in ("room_id", "sender_id", "client_id", "text", "created_at"))
    row = "(CAST(%s AS INTEGER), CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS VARCHAR(64)), CAST(%s AS TEXT))"
    return (
        f"WITH req (n, room_id, sender_id, client_id, text) AS (VALUES {', '.join([row] * count)}), "  # noqa: S608
        "seat (n, room_id, sender_id, client_id, text, seat_room_id, kind, direct_key, closed, stored_id, "
        "suspension_id) AS MATERIALIZED (SELECT req.n, req.room_id, req.sender_id, req.client_id, req.text, "
        f"{_seat_columns_sql(quote, message)} FROM req {_seat_join_sql(quote, room, member)}), "
        f"inserted AS (INSERT INTO {message} ({columns}) "
        "SELECT room_id, sender_id, client_id, text, %s FROM seat WHERE text IS NOT NULL "
        "AND seat_room_id IS NOT NULL AND kind = %s AND NOT closed AND stored_id IS NULL "
        "AND suspension_id IS NULL ORDER BY n "
        f"ON CONFLICT ({quote('sender_id')}, {quote('client_id')}) DO NOTHING "
        f"RETURNING {quote('id')}, {quote('sender_id')}, {quote('client_id')}) "
        "SELECT seat.seat_room_id, seat.kind, seat.direct_key, seat.closed, seat.stored_id, "
        f"seat.suspension_id, inserted.{quote('id')} FROM seat LEFT JOIN inserted "
        f"ON inserted.{quote('sender_id')} = seat.sender_id AND inserted.{quote('client_id')} = seat.client_id "
        "ORDER BY seat.n"
    )


PREPARE_ONLY_WHEN_ASKED = 2**31 - 1


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """PostgreSQL: runs ``sql`` as a server-side prepared statement (parsed and planned once per
    connection) on the connection's psycopg connection; errors come as Django's. Not seen by
    Django's query log."""
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: nothing is ever prepared
        # Only what asks (``prepare=True``) is prepared: Django's own cursors bind on the client.
        raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def _seat_and_insert(requests: list[SendRequest], texts: list[str | None], created_at) -> list[_Seat]:
    """Each request's seat; the walk-room messages with a text are inserted where the sender may
    send them (``inserted_id``). One statement on PostgreSQL, two in a transaction elsewhere."""
    if connection.vendor == "postgresql":
        params = []
        for number, (request, text) in enumerate(zip(requests, texts, strict=True)):
            params += [number, request.room_id, request.sender.pk, request.client_id, text]
        params += [*_suspension_params(created_at), created_at, Room.Kind.WALK.value]
        rows = _prepared_rows(_send_sql(len(requests)), params)
        return [_Seat(*row) for row in rows]
    with transaction.atomic():
        seats = _seats(requests)
        wanted = [
            (request, text)
            for request, text, seat in zip(requests, texts, seats, strict=True)
            if text is not None and _insertable(seat)
        ]
        ids = (
            _insert([request for request, _text in wanted], [text for _request, text in wanted], created_at)
            if wanted
            else {}
        )
    return [
        replace(seat, inserted_id=ids.get((request.sender.pk, request.client_id)))
        for request, seat in zip(requests, seats, strict=True)
    ]


def _insertable(seat: _Seat) -> bool:
    return (
        seat.room_id is not None
        and seat.kind == Room.Kind.WALK
        and not seat.closed
        and seat.stored_id is None
        and seat.suspension_id is None
    )


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
    """Several sends (any rooms, any senders), each with its own outcome, exactly as
    ``message_send`` would have answered it: the sockets' batches (chat/batching.py)."""
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


def _messages_send(requests: list[SendRequest]) -> list[SendOutcome]:
    """The batch: checks in Python, the rate limit (one Redis round trip), then the seats and the
    insert (``_seat_and_insert``: one statement on PostgreSQL, in autocommit).

    The rate limit is counted before storing, so that one statement can both check and store;
    the sends it counted that are then not stored (not a member, a resend, suspended, a closed
    room, a direct message refused, a database failure) are uncounted right after, so what counts
    is what it counted before: stored messages and sends refused by the limit.
    """
    outcomes: list[SendOutcome | None] = [None] * len(requests)
    pending = []  # (number, request, cleaned text or None, the text's error)
    keys = set()
    for number, request in enumerate(requests):
        try:
            _check_client_id(request.client_id)
        except ValidationError as error:
            outcomes[number] = SendOutcome(error=error)
            continue
        key = (request.sender.pk, request.client_id)
        if key in keys:  # the same client id twice in one batch: answered with the first, below
            continue
        keys.add(key)
        try:
            pending.append((number, request, clean_text(request.text), None))
        except ValidationError as error:
            pending.append((number, request, None, error))

    now = time.time()
    counted = {number: request.sender.pk for number, request, text, _error in pending if text is not None}
    waits = ratelimit.hit_many(member_ids=list(counted.values()), now=now)
    limited = {number: wait for number, wait in zip(counted, waits, strict=True) if wait is not None}
    try:
        if pending:
            _store(pending, limited, outcomes)
    finally:
        uncount = [member_id for number, member_id in counted.items() if not _against_limit(outcomes[number])]
        if uncount:
            ratelimit.unhit_many(member_ids=uncount, now=now)

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


def _against_limit(outcome: SendOutcome | None) -> bool:
    """Whether a send counts against the rate limit: stored now, or refused by the limit."""
    if outcome is None:
        return False
    return outcome.result.created if outcome.result is not None else isinstance(outcome.error, RateLimited)


def _store(pending: list, limited: dict[int, float], outcomes: list[SendOutcome | None]) -> None:
    """Stores what may be stored of ``pending`` and writes each one's outcome, in the order of
    ``message_send``'s checks: member, resend, suspension, room, text, rate limit."""
    created_at = timezone.now()
    seats = _seat_and_insert(
        [request for _number, request, _text, _error in pending],
        [None if number in limited else text for number, _request, text, _error in pending],
        created_at,
    )
    stored_ids = [seat.stored_id for seat in seats if seat.room_id is not None and seat.stored_id is not None]
    stored = Message.objects.select_related("sender").in_bulk(stored_ids) if stored_ids else {}
    # Checked on every message (in the seats statement): a suspension also stops open sockets.
    suspension_ids = {seat.suspension_id for seat in seats if seat.suspension_id is not None}
    suspensions = Action.objects.in_bulk(suspension_ids) if suspension_ids else {}

    created = []  # (number, request, text, id)
    direct = []  # (number, request, text): sendable, still to insert
    raced = []  # (number, request): stored meanwhile by another connection
    for (number, request, text, text_error), seat in zip(pending, seats, strict=True):
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
            if text_error is not None:
                raise text_error
            if number in limited:
                raise RateLimited(limited[number])
        except (ObjectDoesNotExist, PermissionDenied, ValidationError, RateLimited) as error:
            outcomes[number] = SendOutcome(error=error)
            continue
        if seat.inserted_id is not None:
            created.append((number, request, text, seat.inserted_id))
        elif seat.kind == Room.Kind.DIRECT:
            direct.append((number, request, text))
        else:
            raced.append((number, request))
    if direct:
        ids = _insert([request for _n, request, _t in direct], [text for _n, _r, text in direct], created_at)
        for number, request, text in direct:
            pk = ids.get((request.sender.pk, request.client_id))
            if pk is None:
                raced.append((number, request))
            else:
                created.append((number, request, text, pk))

    for number, request, text, pk in sorted(created, key=lambda item: item[3]):
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
        data = message_data(message)
        data_json = json.dumps(data)  # once for the room's frames and the sender's ack
        transaction.on_commit(partial(realtime.broadcast_message, message.room_id, data_json))
        outcomes[number] = SendOutcome(
            result=SendResult(message, created=True, data=data, data_json=data_json)
        )
    for number, request in raced:
        message = Message.objects.select_related("sender").get(
            sender_id=request.sender.pk, client_id=request.client_id
        )
        try:
            outcomes[number] = SendOutcome(result=_resend(message, room_id=request.room_id))
        except ValidationError as error:
            outcomes[number] = SendOutcome(error=error)


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


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def chat_preference_set(*, member, direct_messages: str) -> ChatPreference:
    if direct_messages not in ChatPreference.DirectMessages.values:
        raise ValidationError({"direct_messages": _("Choose one of the options.")})
    preference, _created = ChatPreference.objects.update_or_create(
        member=member, defaults={"direct_messages": direct_messages}
    )
    return preference
