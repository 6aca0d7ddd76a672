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
    def test_sync_creates_the_room_and_sets_exactly_the_members(self, walker, friend, stranger):
        services.walk_room_sync(walk_id=7, member_ids=[walker.pk, friend.pk])
        services.walk_room_sync(walk_id=7, member_ids=[walker.pk, stranger.pk])

        room = Room.objects.get(walk_id=7)
        assert room.kind == Room.Kind.WALK
        assert set(room.memberships.values_list("member__username", flat=True)) == {"dubu", "nabi"}
        assert Room.objects.count() == 1

    def test_sync_is_idempotent_and_ignores_unknown_member_ids(self, walker):
        services.walk_room_sync(walk_id=7, member_ids=[walker.pk, 987654])
        services.walk_room_sync(walk_id=7, member_ids=[walker.pk, walker.pk])

        assert list(RoomMember.objects.values_list("member_id", flat=True)) == [walker.pk]

    def test_new_members_start_with_the_history_marked_read(self, walk_room, walker, friend, stranger):
        send(walk_room, walker)
        send(walk_room, friend)

        services.walk_room_sync(walk_id=101, member_ids=[walker.pk, friend.pk, stranger.pk])

        assert selectors.unread_total(member=stranger) == 0
        assert selectors.unread_total(member=walker) == 1

    def test_removed_members_can_neither_send_nor_read(self, walk_room, walker, friend):
        services.walk_room_sync(walk_id=101, member_ids=[walker.pk])

        with pytest.raises(Room.DoesNotExist):
            send(walk_room, friend)
        assert not selectors.is_member(room_id=walk_room.pk, member=friend)

    def test_close_makes_the_room_read_only(self, walk_room, walker):
        send(walk_room, walker, client_id="before")
        services.walk_room_close(walk_id=101)
        services.walk_room_close(walk_id=101)  # twice is fine
        services.walk_room_close(walk_id=555)  # no room: nothing to do

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
            services.walk_room_sync(walk_id=101, member_ids=[walker.pk])
            services.walk_room_close(walk_id=101)

        assert sent == [
            (friend.pk, {"type": "chat.seat_ended", "room_id": walk_room.pk}),
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

    def test_the_room_list_takes_a_fixed_number_of_queries(self, walker):
        def rooms_queries():
            with CaptureQueriesContext(connection) as captured:
                selectors.room_summaries(member=walker, rooms=selectors.member_rooms(member=walker))
            return len(captured)

        services.walk_room_sync(walk_id=1, member_ids=[walker.pk])
        few = rooms_queries()
        for number in range(5):
            pal = UserFactory(username=f"pal{number}")
            room = services.direct_room_get_or_create(member=walker, other=pal)
            send(room, pal)
            services.walk_room_sync(walk_id=10 + number, member_ids=[walker.pk, pal.pk])

        assert rooms_queries() == few + 1  # + the last messages, once there are some


class TestBatchedSending:
    """``messages_send``: several sends in one transaction, each answered as ``message_send`` would."""

    def test_each_request_gets_its_own_outcome_in_order(self, walk_room, walker, friend, stranger, settings):
        from chat.services import SendRequest

        settings.CHAT_RATE_LIMIT = (2, 60)
        earlier = send(walk_room, friend, client_id="earlier")
        requests = [
            SendRequest(walk_room.pk, walker, "w1", "첫째"),
            SendRequest(walk_room.pk, stranger, "s1", "몰래"),  # not a member
            SendRequest(walk_room.pk, walker, "w2", "가" * 2001),  # too long
            SendRequest(walk_room.pk, friend, "earlier", "다시"),  # a resend
            SendRequest(walk_room.pk, walker, "w1", "첫째"),  # the same client id twice in a batch
            SendRequest(walk_room.pk, walker, "bad id", "안녕"),  # a bad client id
            SendRequest(walk_room.pk, walker, "w3", "둘째"),
            SendRequest(walk_room.pk, walker, "w4", "셋째"),  # over the limit of 2
        ]

        outcomes = services.messages_send(requests=requests)

        first = outcomes[0].result
        assert first.created
        assert isinstance(outcomes[1].error, Room.DoesNotExist)
        assert outcomes[2].error.code == "too_long"
        assert (outcomes[3].result.message.pk, outcomes[3].result.created) == (earlier.pk, False)
        assert (outcomes[4].result.message.pk, outcomes[4].result.created) == (first.message.pk, False)
        assert outcomes[5].error.code == "bad_client_id"
        assert outcomes[6].result.created
        assert isinstance(outcomes[7].error, services.RateLimited)
        assert list(Message.objects.order_by("id").values_list("client_id", flat=True)) == [
            "earlier",
            "w1",
            "w3",
        ]

    def test_created_messages_are_broadcast_after_commit_in_id_order(
        self, walk_room, walker, friend, monkeypatch, django_capture_on_commit_callbacks
    ):
        from chat.services import SendRequest

        sent = []
        monkeypatch.setattr("chat.realtime._group_send", lambda room_id, event: sent.append(event))
        requests = [
            SendRequest(walk_room.pk, member, f"b{n}", f"메시지 {n}")
            for n, member in enumerate([walker, friend])
        ]

        with django_capture_on_commit_callbacks(execute=True):
            services.messages_send(requests=requests)
            assert sent == []

        assert [json.loads(event["frame"])["message"]["client_id"] for event in sent] == ["b0", "b1"]

    def test_the_seats_statement_matches_the_models(self, walk_room, walker, friend, stranger):
        from chat.services import SendRequest, _seats

        direct = services.direct_room_get_or_create(member=walker, other=friend)
        sent = send(walk_room, walker, client_id="seen")
        services.walk_room_close(walk_id=101)

        walk, fresh, outsider = _seats(
            [
                SendRequest(walk_room.pk, walker, "seen", ""),
                SendRequest(direct.pk, walker, "new", ""),
                SendRequest(walk_room.pk, stranger, "x", ""),
            ]
        )

        assert (walk.room_id, walk.kind, walk.closed, walk.stored_id) == (walk_room.pk, "walk", True, sent.pk)
        assert (fresh.room_id, fresh.kind, fresh.direct_key, fresh.closed, fresh.stored_id) == (
            direct.pk,
            "direct",
            Room.pair_key(walker.pk, friend.pk),
            False,
            None,
        )
        assert outsider.room_id is None

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

    def test_the_batch_statement_checks_and_inserts_as_the_models_say(
        self, walk_room, walker, friend, stranger
    ):
        from django.utils import timezone

        from chat.services import SendRequest, _seat_and_insert
        from moderation.models import Action, ActionKind

        direct = services.direct_room_get_or_create(member=walker, other=friend)
        sent = send(walk_room, walker, client_id="seen")
        suspension = Action.objects.create(
            member=friend, kind=ActionKind.SUSPEND, reason="test", until=timezone.now() + timedelta(days=1)
        )
        created_at = timezone.now()

        resend, fresh, looked_up, outsider, suspended, in_direct = _seat_and_insert(
            [
                SendRequest(walk_room.pk, walker, "seen", "다시"),
                SendRequest(walk_room.pk, walker, "fresh", "새 메시지"),
                SendRequest(walk_room.pk, walker, "no-text", ""),
                SendRequest(walk_room.pk, stranger, "x", "몰래"),
                SendRequest(walk_room.pk, friend, "f", "정지 중"),
                SendRequest(direct.pk, walker, "d", "직접"),
            ],
            ["다시", "새 메시지", None, "몰래", "정지 중", "직접"],
            created_at,
        )

        assert (resend.room_id, resend.kind, resend.closed, resend.stored_id, resend.inserted_id) == (
            walk_room.pk,
            "walk",
            False,
            sent.pk,
            None,
        )
        stored = Message.objects.get(pk=fresh.inserted_id)
        assert (stored.room_id, stored.sender_id, stored.client_id, stored.text, stored.created_at) == (
            walk_room.pk,
            walker.pk,
            "fresh",
            "새 메시지",
            created_at,
        )
        assert (fresh.stored_id, fresh.suspension_id) == (None, None)
        assert (looked_up.room_id, looked_up.inserted_id) == (walk_room.pk, None)
        assert (outsider.room_id, outsider.inserted_id) == (None, None)
        assert (suspended.suspension_id, suspended.inserted_id) == (suspension.pk, None)
        assert (in_direct.kind, in_direct.direct_key, in_direct.inserted_id) == (
            "direct",
            Room.pair_key(walker.pk, friend.pk),
            None,  # checked in Python, then inserted
        )
        assert Message.objects.count() == 2

    def test_a_closed_room_takes_no_insert(self, walk_room, walker):
        from django.utils import timezone

        from chat.services import SendRequest, _seat_and_insert

        services.walk_room_close(walk_id=101)

        (seat,) = _seat_and_insert(
            [SendRequest(walk_room.pk, walker, "late", "늦음")], ["늦음"], timezone.now()
        )

        assert (seat.closed, seat.inserted_id) == (True, None)
        assert not Message.objects.exists()

    def test_a_client_id_stored_meanwhile_is_answered_with_that_message(self, walk_room, walker):
        from django.utils import timezone

        from chat.services import SendRequest, _insert

        raced = _insert([SendRequest(walk_room.pk, walker, "race", "먼저")], ["먼저"], timezone.now())

        assert _insert([SendRequest(walk_room.pk, walker, "race", "나중")], ["나중"], timezone.now()) == {}
        result = services.message_send(room_id=walk_room.pk, sender=walker, client_id="race", text="나중")
        assert (result.message.pk, result.created) == (raced[(walker.pk, "race")], False)

    def test_sends_not_stored_do_not_count_against_the_rate_limit(
        self, walk_room, walker, stranger, settings
    ):
        from chat.services import SendRequest

        settings.CHAT_RATE_LIMIT = (2, 60)
        send(walk_room, walker, client_id="once")
        for _attempt in range(3):  # resends and a room the sender is not in: counted, then taken back
            services.messages_send(
                requests=[
                    SendRequest(walk_room.pk, walker, "once", "다시"),
                    SendRequest(walk_room.pk + 1000, walker, "elsewhere", "어디"),
                ]
            )

        send(walk_room, walker, client_id="twice")
        with pytest.raises(services.RateLimited):
            send(walk_room, walker, client_id="thrice")

    def test_sending_takes_one_statement_on_postgresql(self, walk_room, walker, monkeypatch):
        """One statement in autocommit (no transaction) on PostgreSQL; two in a transaction elsewhere."""
        statements = []
        prepared_rows = services._prepared_rows
        monkeypatch.setattr(
            services,
            "_prepared_rows",
            lambda sql, params: statements.append(sql) or prepared_rows(sql, params),
        )

        with CaptureQueriesContext(connection) as queries:
            send(walk_room, walker, client_id="q")

        sql = [query["sql"] for query in queries.captured_queries]
        if connection.vendor == "postgresql":
            assert (len(statements), sql) == (1, [])
        else:
            assert len([query for query in sql if "SAVEPOINT" not in query]) == 2


@pytest.mark.parametrize("client_id", ["", "a b", "a\n", "x" * 65, "<script>", "한글"])
def test_client_ids_are_short_plain_tokens(walk_room, walker, client_id):
    with pytest.raises(ValidationError) as error:
        services.message_send(room_id=walk_room.pk, sender=walker, client_id=client_id, text="안녕")
    assert error.value.code == "bad_client_id"
