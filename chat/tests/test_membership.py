"""Sockets follow membership: every event that takes a member out of a room closes their open
sockets to it, and only those (chat/membership.py), on the real channel layer (in-memory, Redis).

Each test opens a socket for every seat of a small world (a walk's group room and two 1:1 rooms),
runs one event, and asks ``unfollowed`` which sockets disagree with the database afterwards: a
socket still open for a member who may no longer follow the room, or one closed for a member who
still may. The events are every one that removes a member from a room today, and every foreign key
whose deletion takes seats with it (found on the model). ``unfollowed`` itself is tested against
doors that forget to close sockets: it reports them.
"""

import asyncio
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.db import connection, models
from django.test import Client

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from chat import selectors, services
from chat.models import Room, RoomMember
from chat.realtime import CLOSE_NOT_A_MEMBER, CLOSE_UNAUTHENTICATED
from moderation import services as moderation_services
from moderation.models import ActionKind, Block
from moderation.tests.factories import act, report
from privacy import services as privacy_services
from site_core.tests.browser import ensure_home_page
from walks import services as walk_services
from walks.demo import ensure_walk_pages
from walks.tests.factories import WalkFactory

from .sockets import Socket, open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer"),
]

CLOSE_WAIT = 3.0  # seconds a socket that must close gets to close
OPEN_WAIT = 0.3  # seconds a socket that must stay open is watched


@dataclass
class Follower:
    """One open socket: a member following a room."""

    member: str
    room: str
    member_id: int
    room_id: int
    version: int  # the member's credentials version when the socket opened
    socket: Socket

    @property
    def seat(self) -> tuple[str, str]:
        return (self.member, self.room)


@dataclass
class World:
    """walker hosts a walk that friend and neighbour joined; walker–friend and friend–neighbour
    talk 1:1. Every seat has a socket open."""

    members: dict
    rooms: dict[str, int]
    walk_id: int
    followers: list[Follower]

    def seats_of(self, member: str) -> set[tuple[str, str]]:
        return {follower.seat for follower in self.followers if follower.member == member}

    async def close(self) -> None:
        for follower in self.followers:
            await follower.socket.close()


def build_world() -> tuple[dict, dict[str, int], int]:
    ensure_home_page()
    boards = ensure_walk_pages()
    members = {
        name: UserFactory(username=name, nickname=nickname)
        for name, nickname in [("walker", "두부엄마"), ("friend", "콩이아빠"), ("neighbour", "나비집사")]
    }
    walk = WalkFactory(
        host=members["walker"],
        board=boards["seoul-gangnam"],
        joiners=[members["friend"], members["neighbour"]],
    )
    rooms = {
        "walk": Room.objects.get(walk_id=walk.pk).pk,
        "walker+friend": services.direct_room_get_or_create(
            member=members["walker"], other=members["friend"]
        ).pk,
        "friend+neighbour": services.direct_room_get_or_create(
            member=members["friend"], other=members["neighbour"]
        ).pk,
    }
    return members, rooms, walk.pk


async def open_world() -> World:
    members, rooms, walk_id = await database_sync_to_async(build_world)()
    seats = await database_sync_to_async(
        lambda: list(RoomMember.objects.order_by("room_id", "member_id").values_list("member_id", "room_id"))
    )()
    names = {member.pk: name for name, member in members.items()}
    room_names = {room_id: name for name, room_id in rooms.items()}
    followers = []
    for member_id, room_id in seats:
        member = members[names[member_id]]
        sock = await open_socket(room_id, member)
        assert sock.history is not None, (names[member_id], room_names[room_id])
        followers.append(Follower(names[member_id], room_names[room_id], member_id, room_id, 0, sock))
    assert len(followers) == 7
    return World(members=members, rooms=rooms, walk_id=walk_id, followers=followers)


@database_sync_to_async
def may_follow(follower: Follower) -> bool:
    """What the database says now: may this socket's member still follow its room, under the
    credentials the socket was opened with?"""
    member = SimpleNamespace(pk=follower.member_id, credentials_version=follower.version)
    seat = selectors.socket_seat(room_id=follower.room_id, member=member)
    return seat is not None and seat.may_listen and seat.credentials_current


async def close_code(sock: Socket, wait: float) -> int | None:
    """The close code the socket got within ``wait`` seconds (frames before it skipped), else None."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        if await sock.communicator.receive_nothing(timeout=max(0.0, deadline - loop.time())):
            return None
        output = await sock.communicator.receive_output()
        if output["type"] == "websocket.close":
            return output.get("code")


async def unfollowed(world: World) -> tuple[list[str], set[tuple[str, str]]]:
    """After an event: what disagrees with the database (empty when sockets follow membership),
    and the seats whose sockets closed."""

    async def check(follower: Follower) -> tuple[str | None, bool]:
        follows = await may_follow(follower)
        code = await close_code(follower.socket, OPEN_WAIT if follows else CLOSE_WAIT)
        if follows and code is not None:
            return f"{follower.member} in {follower.room}: closed ({code}) though still a member", True
        if not follows and code is None:
            return f"{follower.member} in {follower.room}: still open though out of the room", False
        if not follows and code not in (CLOSE_NOT_A_MEMBER, CLOSE_UNAUTHENTICATED):
            return f"{follower.member} in {follower.room}: closed with {code}", True
        return None, code is not None

    results = await asyncio.gather(*(check(follower) for follower in world.followers))
    problems = [problem for problem, _closed in results if problem]
    closed = {
        follower.seat
        for follower, (_problem, was_closed) in zip(world.followers, results, strict=True)
        if was_closed
    }
    return problems, closed


def moderator():
    return UserFactory(username="modu", is_superuser=True)


def leave_the_walk(world: World):
    walk_services.walk_leave(walk_id=world.walk_id, member=world.members["friend"])
    return {("friend", "walk")}


def removed_by_the_host(world: World):
    walk_services.walk_remove_participant(
        walk_id=world.walk_id, host=world.members["walker"], member_id=world.members["friend"].pk
    )
    return {("friend", "walk")}


def banned(world: World):
    staff = moderator()
    act(report(staff, world.members["friend"], target_type="member"), staff, ActionKind.BAN, "사기")
    return world.seats_of("friend")


def blocked(world: World):
    moderation_services.block_add(member=world.members["walker"], other=world.members["friend"])
    return {("walker", "walker+friend"), ("friend", "walker+friend")}


def account_deleted(world: World):
    privacy_services.member_delete(member=world.members["friend"], delete_content=False)
    return world.seats_of("friend")


EVENTS = [leave_the_walk, removed_by_the_host, banned, blocked, account_deleted]


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: event.__name__)
async def test_every_event_that_removes_a_member_closes_their_sockets_to_that_room_only(event):
    world = await open_world()

    expected = await database_sync_to_async(event)(world)
    problems, closed = await unfollowed(world)

    assert problems == []
    assert closed == expected
    await world.close()


def cascading_parents() -> list[str]:
    """The foreign keys of a seat whose row, deleted, deletes the seat with it."""
    return [
        field.name
        for field in RoomMember._meta.get_fields()
        if field.many_to_one and field.remote_field.on_delete is models.CASCADE
    ]


@pytest.mark.parametrize("parent", cascading_parents())
async def test_deleting_what_a_seat_belongs_to_closes_the_sockets_of_its_seats(parent):
    """Rooms and members deleted in an admin, or by a cascade: the seats go, and so do their sockets."""
    world = await open_world()

    def delete_parent():
        seat = RoomMember.objects.get(room_id=world.rooms["walker+friend"], member=world.members["friend"])
        target = getattr(seat, parent)
        gone = set(RoomMember.objects.filter(**{parent: target}).values_list("member__username", "room_id"))
        target.delete()
        names = {room_id: name for name, room_id in world.rooms.items()}
        return {(member, names[room_id]) for member, room_id in gone}

    expected = await database_sync_to_async(delete_parent)()
    problems, closed = await unfollowed(world)

    assert problems == []
    assert closed == expected
    await world.close()


# ------------------------------------------------------------------ unfollowed reports forgetful doors


async def test_unfollowed_reports_a_seat_removed_without_closing_its_sockets():
    """A door that takes a member out of a room behind the models' back (here: SQL) is reported."""
    world = await open_world()

    def forget():
        table = connection.ops.quote_name(RoomMember._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE room_id = %s AND member_id = %s",  # noqa: S608
                [world.rooms["walk"], world.members["friend"].pk],
            )

    await database_sync_to_async(forget)()
    problems, closed = await unfollowed(world)

    assert problems == ["friend in walk: still open though out of the room"]
    assert closed == set()
    await world.close()


async def test_unfollowed_reports_a_block_made_without_closing_sockets():
    """``bulk_create`` sends no signal: a door that blocked that way would leave the 1:1 sockets open."""
    world = await open_world()

    await database_sync_to_async(Block.objects.bulk_create)(
        [Block(blocker=world.members["walker"], blocked=world.members["friend"])]
    )
    problems, _closed = await unfollowed(world)

    assert sorted(problems) == [
        "friend in walker+friend: still open though out of the room",
        "walker in walker+friend: still open though out of the room",
    ]
    await world.close()


# ------------------------------------------------------------------ the findings and the details


async def test_finding_4_a_member_who_deletes_their_account_stops_receiving_messages(
    walk_room, walker, friend
):
    """Leaving through the page: the open socket closes at once, so the messages sent afterwards in
    the room they were in never reach it, and it cannot connect again."""
    room = await database_sync_to_async(services.direct_room_get_or_create)(member=walker, other=friend)
    leaving_walk = await open_socket(walk_room.pk, friend)
    leaving_direct = await open_socket(room.pk, friend)
    staying = await open_socket(walk_room.pk, walker)
    browser = Client()
    await database_sync_to_async(browser.force_login)(friend)

    response = await database_sync_to_async(browser.post)(
        "/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "keep", "confirm": "on"}
    )
    assert response.status_code == 302

    assert await close_code(leaving_walk, CLOSE_WAIT) in (CLOSE_NOT_A_MEMBER, CLOSE_UNAUTHENTICATED)
    assert await close_code(leaving_direct, CLOSE_WAIT) in (CLOSE_NOT_A_MEMBER, CLOSE_UNAUTHENTICATED)
    await staying.send(type="message", client_id="after-leaving", text="다들 잘 가요")
    assert (await staying.receive_type("message"))["message"]["text"] == "다들 잘 가요"
    assert await leaving_walk.nothing()
    again = await open_socket(walk_room.pk, friend)
    assert again.close_code == CLOSE_UNAUTHENTICATED
    await staying.close()


async def test_a_removed_member_is_told_before_the_close(walk_room, walker, friend):
    sock = await open_socket(walk_room.pk, friend)

    await database_sync_to_async(services.walk_room_sync)(walk_id=walk_room.walk_id, member_ids=[walker.pk])

    assert await sock.receive() == {"type": "removed"}
    assert await sock.closed_with() == CLOSE_NOT_A_MEMBER


async def test_a_block_keeps_the_pair_out_of_their_room_until_it_is_lifted(walker, friend):
    room = await database_sync_to_async(services.direct_room_get_or_create)(member=walker, other=friend)
    await database_sync_to_async(moderation_services.block_add)(member=friend, other=walker)

    for member in (walker, friend):
        assert (await open_socket(room.pk, member)).close_code == CLOSE_NOT_A_MEMBER

    await database_sync_to_async(moderation_services.block_remove)(member=friend, other=walker)
    sock = await open_socket(room.pk, walker)
    assert sock.history is not None
    await sock.close()


async def test_a_block_leaves_a_walk_room_they_share_open(walk_room, walker, friend):
    sock = await open_socket(walk_room.pk, friend)

    await database_sync_to_async(moderation_services.block_add)(member=walker, other=friend)

    # The room stays open; only the blocker's read receipts are no longer shown to them.
    assert await sock.receive() == {"type": "reads", "reads": {str(friend.pk): 0}}
    assert await sock.nothing()
    await sock.send(type="message", client_id="still-open", text="계속 말할 수 있어요")
    assert (await sock.receive_type("ack"))["created"] is True
    await sock.close()
