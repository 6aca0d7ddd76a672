"""Moderation in chat: blocked members cannot DM, suspended members are refused on every message
(open sockets included), banned members' sockets are closed, and chat messages can be reported."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from chat import selectors, services
from chat.models import Message
from chat.realtime import CLOSE_UNAUTHENTICATED
from moderation import services as moderation_services
from moderation.guards import MemberSuspended
from moderation.models import ActionKind, Case, ReportReason

from .sockets import open_socket


def suspend(member, moderator, *, reason="도배 금지"):
    case = moderation_services.report_create(
        reporter=moderator, target_type="member", object_id=member.pk, reason=ReportReason.SPAM
    )
    return moderation_services.case_act(
        case_id=case.pk,
        moderator=moderator,
        kind=ActionKind.SUSPEND,
        reason=reason,
        until=timezone.now() + timedelta(days=1),
    )


def ban(member, moderator):
    case = moderation_services.report_create(
        reporter=moderator, target_type="member", object_id=member.pk, reason=ReportReason.ABUSE
    )
    return moderation_services.case_act(
        case_id=case.pk, moderator=moderator, kind=ActionKind.BAN, reason="사기"
    )


@pytest.mark.django_db
class TestServices:
    def test_blocked_members_cannot_message_each_other(self, walker, friend):
        room = services.direct_room_get_or_create(member=walker, other=friend)
        moderation_services.block_add(member=friend, other=walker)
        assert not selectors.can_message(sender=walker, recipient=friend)
        assert not selectors.can_message(sender=friend, recipient=walker)
        with pytest.raises(PermissionDenied):
            services.message_send(room_id=room.pk, sender=walker, client_id="c-1", text="안녕")
        with pytest.raises(PermissionDenied):
            services.message_send(room_id=room.pk, sender=friend, client_id="c-2", text="안녕")
        assert not Message.objects.exists()

    def test_a_suspended_member_cannot_send_and_is_told_why(self, walk_room, walker, moderator):
        suspend(walker, moderator)
        with pytest.raises(MemberSuspended) as error:
            services.message_send(room_id=walk_room.pk, sender=walker, client_id="c-1", text="안녕")
        assert "도배 금지" in str(error.value)
        assert not Message.objects.exists()

    def test_an_ended_suspension_no_longer_stops_messages(self, walk_room, walker, moderator):
        from moderation.models import Action

        suspend(walker, moderator)
        Action.objects.filter(kind=ActionKind.SUSPEND).update(until=timezone.now() - timedelta(seconds=1))
        services.message_send(room_id=walk_room.pk, sender=walker, client_id="c-1", text="돌아왔어요")
        assert Message.objects.count() == 1

    def test_the_http_api_refuses_a_suspended_member_with_403(self, walk_room, walker, moderator):
        suspend(walker, moderator)
        client = APIClient()
        client.force_authenticate(walker)
        response = client.post(
            f"/api/chat/rooms/{walk_room.pk}/messages/", {"client_id": "c-1", "text": "안녕"}, format="json"
        )
        assert response.status_code == 403
        assert "도배 금지" in response.json()["detail"]

    def test_a_chat_message_can_be_reported_and_deleted_by_a_moderator(
        self, walk_room, walker, friend, moderator, django_capture_on_commit_callbacks
    ):
        message = services.message_send(
            room_id=walk_room.pk, sender=friend, client_id="c-1", text="욕설"
        ).message
        case = moderation_services.report_create(
            reporter=walker, target_type="chat_message", object_id=message.pk, reason=ReportReason.ABUSE
        )
        assert Case.objects.get().member == friend
        with django_capture_on_commit_callbacks(execute=True):
            moderation_services.case_act(
                case_id=case.pk, moderator=moderator, kind=ActionKind.DELETE, reason="욕설"
            )
        message.refresh_from_db()
        assert message.deleted_at is not None
        assert message.text == "욕설", "moderators keep the evidence"


@pytest.fixture
def socket_moderator(db):
    """Transactional tests empty the tables the migrations filled (the Moderators group too)."""
    from accounts.tests.factories import UserFactory

    return UserFactory(username="modu", is_superuser=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.usefixtures("channel_layer")
class TestSockets:
    async def test_a_member_suspended_while_connected_is_refused_on_the_next_message(
        self, walk_room, walker, socket_moderator
    ):
        sock = await open_socket(walk_room.pk, walker)
        await sock.send(type="message", client_id="c-1", text="첫 메시지")
        await sock.receive_type("ack")
        await database_sync_to_async(suspend)(walker, socket_moderator)

        await sock.send(type="message", client_id="c-2", text="두 번째")
        error = await sock.receive_type("error")
        assert error["code"] == "suspended"
        assert "도배 금지" in error["detail"]
        assert await database_sync_to_async(Message.objects.count)() == 1
        await sock.close()

    async def test_a_banned_members_open_sockets_are_closed(
        self, walk_room, walker, friend, socket_moderator
    ):
        banned = await open_socket(walk_room.pk, walker)
        other = await open_socket(walk_room.pk, friend)

        await database_sync_to_async(ban)(walker, socket_moderator)

        assert await banned.closed_with() == CLOSE_UNAUTHENTICATED
        assert await other.nothing()
        again = await open_socket(walk_room.pk, walker)
        assert again.close_code == CLOSE_UNAUTHENTICATED
        await other.close()


@pytest.mark.django_db
def test_the_room_page_offers_to_report_others_messages(client, walk_room, walker, friend):
    mine = services.message_send(room_id=walk_room.pk, sender=walker, client_id="c-1", text="내 글").message
    theirs = services.message_send(
        room_id=walk_room.pk, sender=friend, client_id="c-2", text="콩이 글"
    ).message
    client.force_login(walker)
    page = client.get(f"/chat/{walk_room.pk}/").content.decode()
    assert f"/report/chat_message/{theirs.pk}/" in page
    assert f"/report/chat_message/{mine.pk}/" not in page
