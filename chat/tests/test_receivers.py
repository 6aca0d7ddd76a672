"""A walk's group room follows the walk: its members as they join and leave, closed when it is
cancelled or deleted (``walks.chat_bridge`` announces, ``chat.receivers`` keeps the room)."""

import pytest
from django.utils import translation

from chat.models import Room, RoomMember
from walks import services as walk_services
from walks.tests.factories import WalkFactory, board

pytestmark = pytest.mark.django_db


def seats(room) -> set[int]:
    return set(RoomMember.objects.filter(room=room).values_list("member_id", flat=True))


def test_the_room_follows_the_walks_members(walker, friend, stranger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        walk = WalkFactory(host=walker, board=board())
    with django_capture_on_commit_callbacks(execute=True):
        walk_services.walk_join(walk_id=walk.pk, member=friend)
    with django_capture_on_commit_callbacks(execute=True):
        walk_services.walk_join(walk_id=walk.pk, member=stranger)
    with django_capture_on_commit_callbacks(execute=True):
        walk_services.walk_leave(walk_id=walk.pk, member=stranger)

    room = Room.objects.get(walk=walk)
    assert seats(room) == {walker.pk, friend.pk}

    with django_capture_on_commit_callbacks(execute=True):
        walk_services.walk_cancel(walk_id=walk.pk, member=walker)
    room.refresh_from_db()
    assert room.closed_at is not None


def test_a_deleted_walks_room_closes(walker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        walk = WalkFactory(host=walker, board=board())
    with django_capture_on_commit_callbacks(execute=True):
        walk_services.walk_delete(walk_id=walk.pk, member=walker)

    assert Room.objects.get(walk=walk).is_closed


def test_a_walk_erased_outright_leaves_its_room_and_messages(
    walker, friend, django_capture_on_commit_callbacks
):
    from chat import selectors, services

    with django_capture_on_commit_callbacks(execute=True):
        walk = WalkFactory(host=walker, board=board(), joiners=[friend])
    room = Room.objects.get(walk=walk)
    services.message_send(room_id=room.pk, sender=friend, client_id="kept", text="잘 다녀왔어요")

    walk.delete()

    room.refresh_from_db()
    assert room.walk_id is None
    assert list(room.messages.values_list("text", flat=True)) == ["잘 다녀왔어요"]
    with translation.override("ko"):
        assert selectors.room_title(room, viewer=friend) == "삭제된 산책"
