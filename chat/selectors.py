"""Reads shared by the chat pages, the API and the socket consumer."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from community.models import Follow
from moderation import selectors as moderation_selectors
from moderation.models import Block
from notifications import selectors as notification_selectors
from notifications.models import Topic
from walks.models import Walk

from .models import ChatPreference, Message, Room, RoomMember

User = get_user_model()
HISTORY_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def can_message(*, sender, recipient) -> bool:
    """May ``sender`` send ``recipient`` direct messages? The recipient's preference decides.

    The one place that says who can reach whom: members who blocked one another cannot.
    """
    if sender is None or recipient is None or sender.pk == recipient.pk:
        return False
    if not (sender.is_active and recipient.is_active):
        return False
    if moderation_selectors.is_blocked(member_id=sender.pk, other_id=recipient.pk):
        return False
    choice = (
        ChatPreference.objects.filter(member=recipient).values_list("direct_messages", flat=True).first()
        or ChatPreference.DirectMessages.EVERYONE
    )
    if choice == ChatPreference.DirectMessages.NOBODY:
        return False
    if choice == ChatPreference.DirectMessages.FOLLOWING:
        return Follow.objects.filter(follower=recipient, following=sender).exists()
    return True


def direct_messages_choice(*, member) -> str:
    return (
        ChatPreference.objects.filter(member=member).values_list("direct_messages", flat=True).first()
        or ChatPreference.DirectMessages.EVERYONE
    )


def is_member(*, room_id: int, member) -> bool:
    return RoomMember.objects.filter(room_id=room_id, member_id=member.pk).exists()


@dataclass(frozen=True)
class SocketSeat:
    """What a socket needs to know about its member's seat when it opens."""

    closed: bool  # the room is read-only
    credentials_current: bool  # the member is active, under the credentials the socket was opened with
    may_listen: bool  # False in a 1:1 room while either member has blocked the other


def socket_seat(*, room_id: int, member) -> SocketSeat | None:
    """``member``'s seat in the room as a socket opens (None: not a member). One query, and one
    more in a 1:1 room."""
    row = (
        RoomMember.objects.filter(room_id=room_id, member_id=member.pk)
        .values_list(
            "room__kind",
            "room__direct_key",
            "room__closed_at",
            "member__is_active",
            "member__credentials_version",
        )
        .first()
    )
    if row is None:
        return None
    kind, direct_key, closed_at, is_active, credentials_version = row
    may_listen = True
    if kind == Room.Kind.DIRECT:
        other_id = next(int(pk) for pk in direct_key.split(":") if int(pk) != member.pk)
        may_listen = not moderation_selectors.is_blocked(member_id=member.pk, other_id=other_id)
    return SocketSeat(
        closed=closed_at is not None,
        credentials_current=is_active and credentials_version == member.credentials_version,
        may_listen=may_listen,
    )


def walk_room_id(*, walk_id: int, member) -> int | None:
    """The walk's room id, if ``member`` sits in it."""
    return (
        Room.objects.filter(kind=Room.Kind.WALK, walk_id=walk_id, memberships__member_id=member.pk)
        .values_list("pk", flat=True)
        .first()
    )


def direct_room(*, member, other) -> Room | None:
    return Room.objects.filter(kind=Room.Kind.DIRECT, direct_key=Room.pair_key(member.pk, other.pk)).first()


def _unread_messages(*, member):
    return Message.objects.filter(deleted_at__isnull=True).exclude(sender_id=member.pk)


def member_rooms(*, member):
    """The member's rooms, most recent conversation first, with ``unread_count`` and
    ``last_message_id`` annotated (two correlated subqueries, no row multiplication)."""
    my_marker = RoomMember.objects.filter(room=OuterRef(OuterRef("pk")), member_id=member.pk).values(
        "last_read_id"
    )[:1]
    unread = (
        _unread_messages(member=member)
        .filter(room=OuterRef("pk"), id__gt=Subquery(my_marker))
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    last_message = Message.objects.filter(room=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        Room.objects.filter(memberships__member_id=member.pk)
        .annotate(unread_count=Coalesce(Subquery(unread), 0), last_message_id=Subquery(last_message))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=RoomMember.objects.select_related("member").order_by("joined_at", "id"),
            )
        )
        .order_by(F("last_message_id").desc(nulls_last=True), "-created_at", "-id")
    )


@dataclass(frozen=True)
class RoomSummary:
    """What a room list shows about one room."""

    room: Room
    title: str
    other_member: object | None
    members: list
    unread_count: int
    last_message: Message | None


def messages_around(*, message_id: int, count: int) -> list[Message]:
    """A reported message with up to ``count`` messages before and after it in its room, oldest
    first: what a moderator reads to judge it (they never browse conversations)."""
    message = Message.objects.select_related("sender").get(pk=message_id)
    room = Message.objects.filter(room_id=message.room_id).select_related("sender")
    before = room.filter(pk__lt=message.pk).order_by("-pk")[:count]
    after = room.filter(pk__gt=message.pk).order_by("pk")[:count]
    return [*reversed(before), message, *after]


def walk_titles(walk_ids) -> dict[int, str]:
    """Walk titles by id, in one query (none for rooms whose walk was deleted)."""
    walk_ids = [walk_id for walk_id in walk_ids if walk_id is not None]
    if not walk_ids:
        return {}
    return dict(Walk.objects.filter(pk__in=walk_ids).values_list("pk", "title"))


def room_title(room: Room, *, viewer, titles: dict[int, str] | None = None) -> str:
    from django.utils.translation import gettext as _

    if room.kind == Room.Kind.WALK:
        title = (titles if titles is not None else walk_titles([room.walk_id])).get(room.walk_id)
        return title or _("A deleted walk")
    other = other_member(room, viewer=viewer)
    return other.display_name if other is not None else _("Direct messages")


def other_member(room: Room, *, viewer):
    """The other person in a direct room (from prefetched memberships)."""
    if room.kind != Room.Kind.DIRECT:
        return None
    for membership in room.memberships.all():
        if membership.member_id != viewer.pk:
            return membership.member
    return None


def room_summaries(*, member, rooms) -> list[RoomSummary]:
    """Rooms (from ``member_rooms``) with titles and last messages in two more queries."""
    rooms = list(rooms)
    titles = walk_titles([room.walk_id for room in rooms if room.kind == Room.Kind.WALK])
    last_ids = [room.last_message_id for room in rooms if room.last_message_id]
    last_messages = Message.objects.select_related("sender").in_bulk(last_ids) if last_ids else {}
    return [
        RoomSummary(
            room=room,
            title=room_title(room, viewer=member, titles=titles),
            other_member=other_member(room, viewer=member),
            members=[membership.member for membership in room.memberships.all()],
            unread_count=room.unread_count,
            last_message=last_messages.get(room.last_message_id),
        )
        for room in rooms
    ]


def _unread_in_room(*, member) -> Q:
    """For a member's seats joined to their rooms' messages: the messages they have not read."""
    return Q(room__messages__id__gt=F("last_read_id"), room__messages__deleted_at__isnull=True) & ~Q(
        room__messages__sender_id=member.pk
    )


def unread_total(*, member) -> int:
    """Unread messages across all the member's rooms, in one query."""
    return (
        RoomMember.objects.filter(member_id=member.pk).aggregate(
            n=Count("room__messages", filter=_unread_in_room(member=member))
        )["n"]
        or 0
    )


def unread_badge_expression(*, member) -> Case:
    """The number on the nav's chat link as an expression (see ``nav_badges``): ``unread_total``,
    or 0 when the member turned chat notifications off on the site."""
    counted = (
        RoomMember.objects.filter(member_id=member.pk)
        .order_by()
        .values("member_id")
        .annotate(n=Count("room__messages", filter=_unread_in_room(member=member)))
        .values("n")
    )
    return Case(
        When(notification_selectors.off_on_site(member=member, kind=Topic.CHAT), then=Value(0)),
        default=Coalesce(Subquery(counted[:1]), 0),
    )


def members_with_unread(*, since: datetime) -> QuerySet:
    """Ids of members with messages they have not read, sent since ``since`` (a subquery for the
    e-mail digest's recipients)."""
    unread = Message.objects.filter(
        room=OuterRef("room"),
        id__gt=OuterRef("last_read_id"),
        created_at__gt=since,
        deleted_at__isnull=True,
    ).exclude(sender_id=OuterRef("member_id"))
    return RoomMember.objects.filter(Exists(unread)).values("member_id")


@dataclass(frozen=True)
class UnreadRoom:
    """A room in the e-mail digest: who wrote (direct) or which walk, and how many messages.
    Never the messages' text."""

    room_id: int
    is_direct: bool
    title: str
    count: int
    last_message_id: int


def unread_rooms(*, member, after_id: int, since: datetime) -> list[UnreadRoom]:
    """The member's rooms with unread messages newer than message ``after_id`` and ``since``,
    newest first, for the e-mail digest (three queries)."""
    fresh = _unread_in_room(member=member) & Q(
        room__messages__id__gt=after_id, room__messages__created_at__gt=since
    )
    seats = list(
        RoomMember.objects.filter(member_id=member.pk)
        .annotate(
            unread=Count("room__messages", filter=fresh),
            last_message_id=Max("room__messages__id", filter=fresh),
        )
        .filter(unread__gt=0)
        .select_related("room")
        .prefetch_related(Prefetch("room__memberships", queryset=RoomMember.objects.select_related("member")))
        .order_by("-last_message_id")
    )
    titles = walk_titles([seat.room.walk_id for seat in seats if seat.room.kind == Room.Kind.WALK])
    return [
        UnreadRoom(
            room_id=seat.room_id,
            is_direct=seat.room.kind == Room.Kind.DIRECT,
            title=room_title(seat.room, viewer=member, titles=titles),
            count=seat.unread,
            last_message_id=seat.last_message_id,
        )
        for seat in seats
    ]


def room_messages(*, room_id: int, before: int | None = None, after: int | None = None, limit: int = 50):
    """A page of a room's messages in time order (oldest first) and whether more lie beyond it.

    ``before``: the ``limit`` messages just older than that id (default: the latest ones).
    ``after``: the ``limit`` messages just newer than that id (catching up after a reconnect).
    Deleted messages stay in the list as tombstones, so that clients can take them away.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    messages = Message.objects.filter(room_id=room_id).select_related("sender")
    if after is not None:
        page = list(messages.filter(id__gt=after).order_by("id")[: limit + 1])
        return page[:limit], len(page) > limit
    if before is not None:
        messages = messages.filter(id__lt=before)
    page = list(messages.order_by("-id")[: limit + 1])
    has_more = len(page) > limit
    return list(reversed(page[:limit])), has_more


# ------------------------------------------------------------------------------------------ read receipts


def hidden_member_ids(*, member_id: int) -> set[int]:
    """Members who blocked ``member_id`` or whom they blocked: neither sees the other's read
    receipts or typing, in any room (one query)."""
    rows = Block.objects.filter(Q(blocker_id=member_id) | Q(blocked_id=member_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {blocked if blocker == member_id else blocker for blocker, blocked in rows}


def read_positions(*, room_id: int, viewer_id: int) -> dict[int, int]:
    """How far each member of the room has read (member id → last read message id), as
    ``viewer_id`` may see it: members on either side of a block with them are left out, and
    members who left have no seat (one query)."""
    blocked = Block.objects.filter(
        Q(blocker_id=viewer_id, blocked_id=OuterRef("member_id"))
        | Q(blocked_id=viewer_id, blocker_id=OuterRef("member_id"))
    )
    return dict(
        RoomMember.objects.filter(room_id=room_id)
        .exclude(Exists(blocked))
        .values_list("member_id", "last_read_id")
    )


def unread_readers(message, positions: dict[int, int]) -> int:
    """The number next to a message: members (but its sender) whose read position is before it."""
    if message.deleted_at is not None:
        return 0
    return sum(
        1
        for member_id, last_read in positions.items()
        if member_id != message.sender_id and last_read < message.pk
    )


def first_unread_id(messages, *, member_id: int, last_read_id: int) -> int | None:
    """Where "Read up to here" goes: the first message of someone else after the member's marker."""
    return next(
        (message.pk for message in messages if message.pk > last_read_id and message.sender_id != member_id),
        None,
    )


def latest_message_id(*, room_id: int) -> int:
    return Message.objects.filter(room_id=room_id).order_by("-id").values_list("id", flat=True).first() or 0
