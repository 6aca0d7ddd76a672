import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from chat import selectors, services
from chat.models import ChatPreference, Message, Room, RoomMember
from community.models import Follow
from site_core.settings.base import redis_cache

pytestmark = pytest.mark.django_db


def send(room, member, text="안녕", client_id=None):
    client_id = client_id or f"c-{Message.objects.count()}-{member.pk}"
    return services.message_send(room_id=room.pk, sender=member, client_id=client_id, text=text).message


class TestWalkRooms:
    def test_sync_creates_the_room_and_sets_exactly_the_members(self, walker, friend, stranger, new_walk):
        walk_id = new_walk()
        services.walk_room_sync(walk_id=walk_id, member_ids=[walker.pk, friend.pk])
        services.walk_room_sync(walk_id=walk_id, member_ids=[walker.pk, stranger.pk])

        room = Room.objects.get(walk_id=walk_id)
        assert room.kind == Room.Kind.WALK
        assert set(room.memberships.values_list("member__username", flat=True)) == {"dubu", "nabi"}
        assert Room.objects.count() == 1

    def test_sync_is_idempotent_and_ignores_unknown_member_ids(self, walker, new_walk):
        walk_id = new_walk()
        services.walk_room_sync(walk_id=walk_id, member_ids=[walker.pk, 987654])
        services.walk_room_sync(walk_id=walk_id, member_ids=[walker.pk, walker.pk])

        assert list(RoomMember.objects.values_list("member_id", flat=True)) == [walker.pk]

    def test_new_members_start_with_the_history_marked_read(self, walk_room, walker, friend, stranger):
        send(walk_room, walker)
        send(walk_room, friend)

        services.walk_room_sync(walk_id=walk_room.walk_id, member_ids=[walker.pk, friend.pk, stranger.pk])

        assert selectors.unread_total(member=stranger) == 0
        assert selectors.unread_total(member=walker) == 1

    def test_removed_members_can_neither_send_nor_read(self, walk_room, walker, friend):
        services.walk_room_sync(walk_id=walk_room.walk_id, member_ids=[walker.pk])

        with pytest.raises(Room.DoesNotExist):
            send(walk_room, friend)
        assert not selectors.is_member(room_id=walk_room.pk, member=friend)

    def test_close_makes_the_room_read_only(self, walk_room, walker, new_walk):
        send(walk_room, walker, client_id="before")
        services.walk_room_close(walk_id=walk_room.walk_id)
        services.walk_room_close(walk_id=walk_room.walk_id)  # twice is fine
        services.walk_room_close(walk_id=new_walk())  # no room: nothing to do

        walk_room.refresh_from_db()
        assert walk_room.is_closed
        with pytest.raises(services.RoomClosed):
            send(walk_room, walker, client_id="after")
        assert list(Message.objects.values_list("client_id", flat=True)) == ["before"]

    def test_the_close_and_removal_events_are_sent_on_commit(
        self, walk_room, walker, friend, monkeypatch, django_capture_on_commit_callbacks
    ):
        sent = []
        monkeypatch.setattr("chat.realtime._group_send", lambda room_id, event: sent.append(("room", event)))
        monkeypatch.setattr(
            "chat.realtime.member_send", lambda member_id, event: sent.append((member_id, event))
        )

        with django_capture_on_commit_callbacks(execute=True):
            services.walk_room_sync(walk_id=walk_room.walk_id, member_ids=[walker.pk])
            services.walk_room_close(walk_id=walk_room.walk_id)

        assert sent == [
            (friend.pk, {"type": "chat.seat_ended", "room_id": walk_room.pk}),
            ("room", {"type": "chat.left", "member_id": friend.pk}),
            ("room", {"type": "chat.room_closed"}),
        ]


class TestDirectRooms:
    def test_one_room_per_pair_whoever_starts_it(self, walker, friend):
        first = services.direct_room_get_or_create(member=walker, other=friend)
        second = services.direct_room_get_or_create(member=friend, other=walker)

        assert first.pk == second.pk
        assert first.direct_key == Room.pair_key(walker.pk, friend.pk)
        assert set(first.memberships.values_list("member_id", flat=True)) == {walker.pk, friend.pk}

    def test_nobody_means_nobody_can_start_one(self, walker, friend):
        services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY)

        with pytest.raises(PermissionDenied):
            services.direct_room_get_or_create(member=walker, other=friend)
        assert not Room.objects.exists()

    def test_following_means_only_people_they_follow(self, walker, friend, stranger):
        services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.FOLLOWING)
        Follow.objects.create(follower=friend, following=walker)
        Follow.objects.create(follower=stranger, following=friend)  # following them is not enough

        assert selectors.can_message(sender=walker, recipient=friend)
        assert not selectors.can_message(sender=stranger, recipient=friend)
        services.direct_room_get_or_create(member=walker, other=friend)
        with pytest.raises(PermissionDenied):
            services.direct_room_get_or_create(member=stranger, other=friend)

    def test_no_room_with_yourself_or_inactive_members(self, walker, friend):
        with pytest.raises(ValidationError):
            services.direct_room_get_or_create(member=walker, other=walker)
        friend.is_active = False
        friend.save()
        assert not selectors.can_message(sender=walker, recipient=friend)

    def test_an_existing_conversation_opens_but_sending_follows_the_preference(self, walker, friend):
        room = services.direct_room_get_or_create(member=walker, other=friend)
        send(room, walker, client_id="first")
        services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY)

        assert services.direct_room_get_or_create(member=walker, other=friend).pk == room.pk
        with pytest.raises(PermissionDenied):
            send(room, walker, client_id="second")
        send(room, friend, client_id="reply")  # the preference is about messages *to* friend


class TestMessages:
    def test_text_is_normalized_and_limited(self, walk_room, walker):
        message = send(walk_room, walker, text="  줄 하나\r\n줄 둘   \x07")

        assert message.text == "줄 하나\n줄 둘"
        with pytest.raises(ValidationError) as error:
            send(walk_room, walker, text="a" * 2001)
        assert error.value.code == "too_long"
        with pytest.raises(ValidationError) as error:
            send(walk_room, walker, text="\n \t")
        assert error.value.code == "empty"

    def test_a_client_id_is_unique_per_sender_not_globally(self, walk_room, walker, friend):
        mine = send(walk_room, walker, client_id="same")
        theirs = send(walk_room, friend, client_id="same")
        again = services.message_send(room_id=walk_room.pk, sender=walker, client_id="same", text="다른 글")

        assert mine.pk != theirs.pk
        assert again.created is False
        assert again.message.pk == mine.pk
        assert again.message.text == "안녕"

    def test_a_client_id_reused_in_another_room_is_refused(self, walk_room, walker, friend):
        direct = services.direct_room_get_or_create(member=walker, other=friend)
        send(walk_room, walker, client_id="x1")

        with pytest.raises(ValidationError):
            send(direct, walker, client_id="x1")

    def test_the_rate_limit_counts_per_member(self, walk_room, walker, friend, settings):
        settings.CHAT_RATE_LIMIT = (2, 60)
        send(walk_room, walker)
        send(walk_room, walker)

        with pytest.raises(services.RateLimited) as limited:
            send(walk_room, walker)
        assert 0 < limited.value.retry_after <= 60
        send(walk_room, friend)
        assert Message.objects.count() == 3

    def test_the_rate_limit_fails_open_when_the_cache_is_down(self, walk_room, walker, settings):
        settings.CHAT_RATE_LIMIT = (1, 60)
        settings.CACHES = {"default": redis_cache("redis://127.0.0.1:1/0")}  # nothing listens there

        send(walk_room, walker)
        send(walk_room, walker)

        assert Message.objects.count() == 2

    def test_the_rate_limit_counts_in_redis(self, walk_room, walker, settings):
        from chat.tests.conftest import REDIS_HOST, REDIS_PORT, REDIS_TEST_DB
        from site_core.tests.requirements import port_open, require

        require("redis", port_open(REDIS_HOST, REDIS_PORT), f"{REDIS_HOST}:{REDIS_PORT}")
        settings.CHAT_RATE_LIMIT = (2, 60)
        settings.CACHES = {
            "default": redis_cache(
                f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}",
                key_prefix=f"chat-test-{walker.pk}-{time.monotonic_ns()}",
            )
        }
        send(walk_room, walker)
        send(walk_room, walker)

        with pytest.raises(services.RateLimited):
            send(walk_room, walker)  # (the counter expires on its own a minute later)

    def test_delete_own_message_only(self, walk_room, walker, friend):
        message = send(walk_room, walker)

        with pytest.raises(PermissionDenied):
            services.message_delete(message_id=message.pk, member=friend)
        services.message_delete(message_id=message.pk, member=walker)
        message.refresh_from_db()
        assert message.is_deleted
        assert message.text == "안녕", "kept for moderators, never served"

    def test_read_markers_and_unread_counts(self, walk_room, walker, friend):
        for _ in range(3):
            send(walk_room, friend)
        own = send(walk_room, walker)
        deleted = send(walk_room, friend)
        services.message_delete(message_id=deleted.pk, member=friend)

        assert selectors.unread_total(member=walker) == 3
        first = Message.objects.filter(sender=friend).order_by("id").first()
        assert services.room_mark_read(room_id=walk_room.pk, member=walker, message_id=first.pk) == first.pk
        assert selectors.unread_total(member=walker) == 2
        services.room_mark_read(room_id=walk_room.pk, member=walker, message_id=1)  # never backwards
        assert selectors.unread_total(member=walker) == 2
        services.room_mark_read(room_id=walk_room.pk, member=walker)
        assert selectors.unread_total(member=walker) == 0
        assert selectors.unread_total(member=friend) == 1  # walker's own message
        assert own.pk


class TestQueries:
    def test_the_unread_total_is_one_query(self, walk_room, walker, friend, django_assert_num_queries):
        for number in range(3):
            room = services.direct_room_get_or_create(
                member=walker, other=UserFactory(username=f"pal{number}")
            )
            send(room, room.memberships.exclude(member=walker).get().member)

        with django_assert_num_queries(1):
            assert selectors.unread_total(member=walker) == 3

    def test_the_room_list_takes_a_fixed_number_of_queries(self, walker, new_walk):
        def rooms_queries():
            with CaptureQueriesContext(connection) as captured:
                selectors.room_summaries(member=walker, rooms=selectors.member_rooms(member=walker))
            return len(captured)

        services.walk_room_sync(walk_id=new_walk(), member_ids=[walker.pk])
        few = rooms_queries()
        for number in range(5):
            pal = UserFactory(username=f"pal{number}")
            room = services.direct_room_get_or_create(member=walker, other=pal)
            send(room, pal)
            services.walk_room_sync(walk_id=new_walk(), member_ids=[walker.pk, pal.pk])

        assert rooms_queries() == few + 1  # + the last messages, once there are some


class TestSending:
    """``message_send``'s order of checks, its broadcasts and its statements."""

    def test_each_refusal_comes_in_the_order_of_the_checks(
        self, walk_room, walker, friend, stranger, settings
    ):
        from django.utils import timezone

        from moderation.guards import MemberSuspended
        from moderation.models import Action, ActionKind

        settings.CHAT_RATE_LIMIT = (1, 60)
        earlier = send(walk_room, friend, client_id="earlier")
        Action.objects.create(
            member=friend, kind=ActionKind.SUSPEND, reason="test", until=timezone.now() + timedelta(days=1)
        )

        with pytest.raises(ValidationError) as bad_id:
            services.message_send(room_id=walk_room.pk, sender=stranger, client_id="bad id", text="")
        with pytest.raises(Room.DoesNotExist):
            services.message_send(room_id=walk_room.pk, sender=stranger, client_id="s1", text="")
        resent = services.message_send(room_id=walk_room.pk, sender=friend, client_id="earlier", text="")
        with pytest.raises(MemberSuspended):
            services.message_send(room_id=walk_room.pk, sender=friend, client_id="f2", text="")
        with pytest.raises(ValidationError) as too_long:
            services.message_send(room_id=walk_room.pk, sender=walker, client_id="w1", text="가" * 2001)
        send(walk_room, walker, client_id="w2")
        with pytest.raises(services.RateLimited):
            send(walk_room, walker, client_id="w3")

        assert bad_id.value.code == "bad_client_id"
        assert (resent.message.pk, resent.created) == (earlier.pk, False)
        assert too_long.value.code == "too_long"
        assert list(Message.objects.order_by("id").values_list("client_id", flat=True)) == ["earlier", "w2"]

    def test_created_messages_are_broadcast_after_commit_in_id_order(
        self, walk_room, walker, friend, monkeypatch, django_capture_on_commit_callbacks
    ):
        sent = []
        monkeypatch.setattr("chat.realtime._group_send", lambda room_id, event: sent.append(event))

        with django_capture_on_commit_callbacks(execute=True):
            first = send(walk_room, walker, client_id="b0")
            send(walk_room, friend, client_id="b1")
            send(walk_room, walker, client_id="b0")  # a resend: not broadcast again
            assert sent == []

        messages = [json.loads(event["frame"])["message"] for event in sent]
        assert [message["client_id"] for message in messages] == ["b0", "b1"]
        assert messages[0]["id"] == first.pk < messages[1]["id"]

    def test_the_insert_stores_what_the_model_reads_back(self, walk_room, walker):
        sent = send(walk_room, walker, text="저장 확인", client_id="check")

        stored = Message.objects.get(pk=sent.pk)
        assert (stored.room_id, stored.sender_id, stored.client_id, stored.text) == (
            walk_room.pk,
            walker.pk,
            "check",
            "저장 확인",
        )
        assert stored.created_at == sent.created_at
        assert stored.deleted_at is None

    def test_a_closed_room_takes_no_message(self, walk_room, walker):
        services.walk_room_close(walk_id=walk_room.walk_id)

        with pytest.raises(services.RoomClosed):
            send(walk_room, walker, client_id="late")

        assert not Message.objects.exists()

    def test_a_client_id_stored_before_is_answered_with_that_message(self, walk_room, walker):
        first = Message.objects.create(room=walk_room, sender=walker, client_id="race", text="먼저")

        result = services.message_send(room_id=walk_room.pk, sender=walker, client_id="race", text="나중")

        assert (result.message.pk, result.message.text, result.created) == (first.pk, "먼저", False)

    def test_sends_not_stored_do_not_count_against_the_rate_limit(self, walk_room, walker, settings):
        settings.CHAT_RATE_LIMIT = (2, 60)
        send(walk_room, walker, client_id="once")
        for _attempt in range(3):  # resends and a room the sender is not in
            services.message_send(room_id=walk_room.pk, sender=walker, client_id="once", text="다시")
            with pytest.raises(Room.DoesNotExist):
                services.message_send(
                    room_id=walk_room.pk + 1000, sender=walker, client_id="elsewhere", text="어디"
                )

        send(walk_room, walker, client_id="twice")
        with pytest.raises(services.RateLimited):
            send(walk_room, walker, client_id="thrice")

    def test_sending_takes_a_fixed_number_of_queries(self, walk_room, walker, django_assert_num_queries):
        send(walk_room, walker, client_id="warm")
        # The room with the seat, the client id, the suspension; the insert in a transaction of its
        # own (a savepoint here, in the test's transaction).
        with django_assert_num_queries(6):
            send(walk_room, walker, client_id="q")
        with django_assert_num_queries(2):  # a resend: the room and the stored message
            send(walk_room, walker, client_id="q")


@pytest.mark.parametrize("client_id", ["", "a b", "a\n", "x" * 65, "<script>", "한글"])
def test_client_ids_are_short_plain_tokens(walk_room, walker, client_id):
    with pytest.raises(ValidationError) as error:
        services.message_send(room_id=walk_room.pk, sender=walker, client_id=client_id, text="안녕")
    assert error.value.code == "bad_client_id"


class TestHistoryPages:
    @pytest.mark.parametrize("stored", [1, 120])
    def test_a_page_of_older_messages_is_one_query_however_many_there_are(
        self, walk_room, walker, friend, stored, django_assert_num_queries
    ):
        Message.objects.bulk_create(
            Message(room=walk_room, sender=friend if n % 2 else walker, client_id=f"h{n}", text=f"메시지 {n}")
            for n in range(stored)
        )
        newest = selectors.latest_message_id(room_id=walk_room.pk)

        with django_assert_num_queries(1):
            page, has_more = selectors.room_messages(room_id=walk_room.pk, before=newest + 1)
            senders = {message.sender.display_name for message in page}

        assert len(page) == min(stored, selectors.HISTORY_PAGE_SIZE)
        assert has_more is (stored > selectors.HISTORY_PAGE_SIZE)
        assert senders <= {"두부엄마", "콩이아빠"}

    def test_pages_are_cut_by_id_and_never_overlap(self, walk_room, walker):
        Message.objects.bulk_create(
            Message(room=walk_room, sender=walker, client_id=f"k{n}", text=f"메시지 {n}") for n in range(120)
        )
        latest, more = selectors.room_messages(room_id=walk_room.pk)
        older, more_older = selectors.room_messages(room_id=walk_room.pk, before=latest[0].pk)
        oldest, more_oldest = selectors.room_messages(room_id=walk_room.pk, before=older[0].pk)

        ids = [m.pk for m in oldest] + [m.pk for m in older] + [m.pk for m in latest]
        assert ids == sorted(Message.objects.values_list("pk", flat=True))
        assert (more, more_older, more_oldest) == (True, True, False)


class TestReadPositions:
    def test_one_position_per_member_moves_forward_only(self, walk_room, walker, friend):
        first = send(walk_room, walker, "하나")
        second = send(walk_room, walker, "둘")

        assert services.room_mark_read(room_id=walk_room.pk, member=friend, message_id=second.pk) == second.pk
        assert services.room_mark_read(room_id=walk_room.pk, member=friend, message_id=first.pk) == second.pk
        assert RoomMember.objects.filter(room=walk_room).count() == 2
        assert selectors.read_positions(room_id=walk_room.pk, viewer_id=walker.pk) == {
            walker.pk: 0,
            friend.pk: second.pk,
        }

    def test_read_positions_are_in_the_data_export_and_go_with_the_account(self, walk_room, walker, friend):
        import io
        import json
        import zipfile

        from privacy import services as privacy_services

        message = send(walk_room, friend, "읽었어요?")
        services.room_mark_read(room_id=walk_room.pk, member=walker, message_id=message.pk)
        export = privacy_services.export_request(member=walker)
        privacy_services.export_build(export_id=export.pk)
        export.refresh_from_db()
        with export.file.open("rb") as stored:
            archive = zipfile.ZipFile(io.BytesIO(stored.read()))
        positions = json.loads(archive.read("chat_read_positions.json"))

        privacy_services.member_delete(member=walker, delete_content=True)

        assert [(row["room_id"], row["last_read_id"]) for row in positions] == [(walk_room.pk, message.pk)]
        assert list(RoomMember.objects.filter(room=walk_room).values_list("member_id", flat=True)) == [
            friend.pk
        ]
