"""Posting, joining, leaving, removal and cancellation, with the notifications each one sends."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from pets.tests.factories import PetFactory
from walks import chat_bridge, services
from walks.models import Walk, WalkParticipant, WalkStatus
from walks.selectors import walk_member_ids
from walks.tests.factories import WalkFactory, seoul, walk_input

Kind = Notification.Kind


def notes(kind: str) -> list[tuple[str, str]]:
    """(recipient, actor) usernames of this kind of notification."""
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "actor__username")
    )


@pytest.mark.django_db
class TestPosting:
    def test_create_cleans_the_description_and_keeps_the_facts(self, host, board):
        pet = PetFactory(owner=host, name="두부")
        data = walk_input(
            description_html='<p onclick="x()">같이 <b>걸어요</b><script>alert(1)</script></p>',
            pet_ids=(pet.pk,),
            dog_sizes=("large", "small"),
        )

        walk = services.walk_create(host=host, board_id=board.pk, data=data)

        assert walk.description_html == "<p>같이 걸어요</p>", "only allow-listed markup is kept"
        assert walk.dog_sizes == ["small", "large"]
        assert list(walk.pets.all()) == [pet]
        assert walk.status == WalkStatus.OPEN
        assert walk.participant_count == 0
        assert walk.headcount == 1

    def test_naive_times_are_seoul_time(self, host, board):
        start = seoul(3, 7).replace(tzinfo=None)
        walk = services.walk_create(
            host=host, board_id=board.pk, data=walk_input(start_at=start, end_at=start + timedelta(hours=1))
        )

        assert walk.start_at == seoul(3, 7)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": "   "}, "title"),
            ({"description_html": "<p><script>alert(1)</script></p>"}, "description_html"),
            ({"description_html": "<p>" + "가" * 2001 + "</p>"}, "description_html"),
            ({"start_at": timezone.now() - timedelta(minutes=1)}, "start_at"),
            ({"end_at": seoul(2, 9)}, "end_at"),
            ({"end_at": seoul(2, 19)}, "end_at"),
            ({"meeting_place": ""}, "meeting_place"),
            ({"area": ""}, "area"),
            ({"dog_sizes": ()}, "dog_sizes"),
            ({"dog_sizes": ("tiny",)}, "dog_sizes"),
            ({"host_gender": "x"}, "host_gender"),
            ({"preferred_gender": "x"}, "preferred_gender"),
            ({"capacity": 1}, "capacity"),
            ({"capacity": 21}, "capacity"),
        ],
    )
    def test_invalid_walks_are_refused_by_field(self, host, board, changes, field):
        data = walk_input(start_at=seoul(2, 10), end_at=seoul(2, 11))

        with pytest.raises(ValidationError) as error:
            services.walk_create(host=host, board_id=board.pk, data=replace(data, **changes))

        assert field in error.value.message_dict
        assert not Walk.objects.exists()

    def test_only_your_own_pets_come_along(self, host, outsider, board):
        theirs = PetFactory(owner=outsider)

        with pytest.raises(ValidationError) as error:
            services.walk_create(host=host, board_id=board.pk, data=walk_input(pet_ids=(theirs.pk,)))

        assert "pets" in error.value.message_dict

    def test_closed_and_unpublished_boards_take_no_new_walks(self, host, board, other_board):
        type(board).objects.filter(pk=board.pk).update(is_open=False)
        other_board.unpublish()

        for target in (board, other_board):
            with pytest.raises(ValidationError) as error:
                services.walk_create(host=host, board_id=target.pk, data=walk_input())
            assert "board" in error.value.message_dict

    def test_update_by_the_host(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        data = replace(services.walk_input_from(walk), title="새 제목", capacity=2)

        services.walk_update(walk_id=walk.pk, member=host, data=data)

        walk.refresh_from_db()
        assert walk.title == "새 제목"
        assert walk.capacity == 2
        assert walk.edited_at is not None

    def test_capacity_cannot_drop_below_who_joined(self, host, board):
        walk = WalkFactory(host=host, board=board, capacity=4, joiners=UserFactory.create_batch(2))

        with pytest.raises(ValidationError) as error:
            services.walk_update(
                walk_id=walk.pk, member=host, data=replace(services.walk_input_from(walk), capacity=2)
            )

        assert "capacity" in error.value.message_dict

    def test_started_or_cancelled_walks_are_not_edited(self, host, board):
        started = WalkFactory(host=host, board=board, start_at=timezone.now() - timedelta(minutes=5))
        cancelled = WalkFactory(host=host, board=board, status=WalkStatus.CANCELLED)

        for walk in (started, cancelled):
            with pytest.raises(ValidationError):
                services.walk_update(walk_id=walk.pk, member=host, data=replace(walk_input(), title="바꿈"))


@pytest.mark.django_db
class TestJoining:
    def test_join_tells_the_host_and_the_other_members(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        walk = services.walk_join(walk_id=walk.pk, member=outsider)

        assert walk.participant_count == 2
        assert notes(Kind.WALK_JOIN) == [("bori", "kongi"), ("dubu", "bori"), ("dubu", "kongi")]
        assert Notification.objects.filter(kind=Kind.WALK_JOIN).first().target == walk

    def test_a_member_who_turned_walk_notifications_off_gets_none(self, host, board, joiner, outsider):
        from notifications.models import NotificationSetting

        NotificationSetting.objects.create(member=host, kind="walks", on_site=False, by_email=False)
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        services.walk_join(walk_id=walk.pk, member=outsider)

        assert notes(Kind.WALK_JOIN) == [("bori", "kongi")]

    def test_joining_twice_changes_nothing(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        services.walk_join(walk_id=walk.pk, member=joiner)

        walk.refresh_from_db()
        assert walk.participant_count == 1
        assert Notification.objects.filter(kind=Kind.WALK_JOIN).count() == 1

    @pytest.mark.parametrize(
        ("state", "message"),
        [
            ({"status": WalkStatus.CLOSED}, "The host has closed this walk."),
            ({"status": WalkStatus.CANCELLED}, "This walk was cancelled."),
            ({"start_at": "past"}, "This walk has already started."),
            ({"capacity": 2, "joiners": "one"}, "This walk is full."),
        ],
    )
    def test_closed_walks_refuse_with_the_reason(self, host, board, outsider, state, message):
        kwargs = dict(state)
        if kwargs.get("start_at") == "past":
            kwargs["start_at"] = timezone.now() - timedelta(minutes=1)
        if kwargs.get("joiners") == "one":
            kwargs["joiners"] = [UserFactory()]
        walk = WalkFactory(host=host, board=board, **kwargs)
        before = walk.participant_count

        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.walk_join(walk_id=walk.pk, member=outsider)

        assert error.value.messages == [message]
        walk.refresh_from_db()
        assert walk.participant_count == before
        assert not WalkParticipant.objects.filter(walk=walk, member=outsider).exists()

    def test_the_host_cannot_join_their_own_walk(self, host, board):
        walk = WalkFactory(host=host, board=board)

        with pytest.raises(ValidationError):
            services.walk_join(walk_id=walk.pk, member=host)

    def test_deleted_walks_cannot_be_joined(self, host, board, outsider):
        walk = WalkFactory(host=host, board=board, deleted_at=timezone.now())

        with pytest.raises(Walk.DoesNotExist):
            services.walk_join(walk_id=walk.pk, member=outsider)

    def test_leave_tells_the_host_and_frees_the_spot(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, capacity=3, joiners=[joiner, outsider])

        walk = services.walk_leave(walk_id=walk.pk, member=joiner)

        assert walk.participant_count == 1
        assert walk.is_open
        assert notes(Kind.WALK_LEAVE) == [("dubu", "bori"), ("kongi", "bori")]
        assert not WalkParticipant.objects.filter(walk=walk, member=joiner).exists()

    def test_leaving_needs_a_join_and_a_walk_still_to_come(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        with pytest.raises(ValidationError):
            services.walk_leave(walk_id=walk.pk, member=outsider)

        Walk.objects.filter(pk=walk.pk).update(start_at=timezone.now() - timedelta(minutes=1))
        with pytest.raises(ValidationError):
            services.walk_leave(walk_id=walk.pk, member=joiner)
        assert WalkParticipant.objects.filter(walk=walk, member=joiner).exists()


@pytest.mark.django_db
class TestHostActions:
    def test_remove_tells_the_member_who_cannot_rejoin(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        walk = services.walk_remove_participant(walk_id=walk.pk, host=host, member_id=joiner.pk)

        assert walk.participant_count == 0
        assert notes(Kind.WALK_REMOVED) == [("bori", "dubu")]
        with pytest.raises(ValidationError):
            services.walk_join(walk_id=walk.pk, member=joiner)

    def test_removing_someone_who_did_not_join_is_not_found(self, host, board, outsider):
        walk = WalkFactory(host=host, board=board)

        with pytest.raises(WalkParticipant.DoesNotExist):
            services.walk_remove_participant(walk_id=walk.pk, host=host, member_id=outsider.pk)

    def test_cancel_tells_every_member(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, joiners=[joiner, outsider])

        walk = services.walk_cancel(walk_id=walk.pk, member=host)

        assert walk.status == WalkStatus.CANCELLED
        assert walk.closed_reason() == "cancelled"
        assert notes(Kind.WALK_CANCELLED) == [("bori", "dubu"), ("kongi", "dubu")]
        assert not Walk.objects.listed().filter(pk=walk.pk).exists()

    def test_close_and_reopen(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        services.walk_close(walk_id=walk.pk, member=host)
        with pytest.raises(ValidationError):
            services.walk_join(walk_id=walk.pk, member=outsider)
        services.walk_reopen(walk_id=walk.pk, member=host)
        services.walk_join(walk_id=walk.pk, member=outsider)

        walk.refresh_from_db()
        assert walk.participant_count == 2
        assert walk.status == WalkStatus.OPEN

    def test_delete_is_soft_and_members_hear_it_is_cancelled(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])

        services.walk_delete(walk_id=walk.pk, member=host)

        walk.refresh_from_db()
        assert walk.deleted_at is not None
        assert notes(Kind.WALK_CANCELLED) == [("bori", "dubu")]
        assert not Walk.objects.listed().filter(pk=walk.pk).exists()

    @pytest.mark.parametrize(
        "action",
        [
            lambda walk, member: services.walk_update(
                walk_id=walk.pk, member=member, data=replace(services.walk_input_from(walk), title="남의 것")
            ),
            lambda walk, member: services.walk_delete(walk_id=walk.pk, member=member),
            lambda walk, member: services.walk_cancel(walk_id=walk.pk, member=member),
            lambda walk, member: services.walk_close(walk_id=walk.pk, member=member),
            lambda walk, member: services.walk_reopen(walk_id=walk.pk, member=member),
            lambda walk, member: services.walk_remove_participant(
                walk_id=walk.pk, host=member, member_id=walk.participations.get().member_id
            ),
        ],
        ids=["update", "delete", "cancel", "close", "reopen", "remove"],
    )
    def test_only_the_host_changes_a_walk(self, host, board, joiner, outsider, action):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        before = snapshot(walk)

        with pytest.raises(PermissionDenied):
            action(walk, outsider)
        with pytest.raises(PermissionDenied):
            action(walk, joiner)

        assert snapshot(walk) == before


def snapshot(walk: Walk) -> tuple:
    """Everything a walk change could touch."""
    row = Walk.objects.filter(pk=walk.pk).values().get()
    members = list(WalkParticipant.objects.filter(walk=walk).values_list("member_id", "removed_at"))
    return row, members, Notification.objects.count()


class RecordingChat:
    """Whoever keeps the walks' rooms, as walks see them: receivers of ``chat_bridge``'s signals."""

    def __init__(self):
        self.calls: list[tuple] = []

    def members_changed(self, sender, *, walk_id: int, **kwargs) -> None:
        self.calls.append(("sync", walk_id, walk_member_ids(walk_id=walk_id)))

    def closed(self, sender, *, walk_id: int, **kwargs) -> None:
        self.calls.append(("close", walk_id))


@pytest.fixture
def chat():
    recording = RecordingChat()
    chat_bridge.walk_members_changed.connect(recording.members_changed)
    chat_bridge.walk_closed.connect(recording.closed)
    yield recording
    chat_bridge.walk_members_changed.disconnect(recording.members_changed)
    chat_bridge.walk_closed.disconnect(recording.closed)


@pytest.mark.django_db
class TestChatRoom:
    def test_room_follows_the_members_after_each_commit(
        self, chat, host, board, joiner, outsider, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            walk = WalkFactory(host=host, board=board)
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_join(walk_id=walk.pk, member=joiner)
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_join(walk_id=walk.pk, member=outsider)
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_leave(walk_id=walk.pk, member=joiner)
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_remove_participant(walk_id=walk.pk, host=host, member_id=outsider.pk)
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_cancel(walk_id=walk.pk, member=host)

        assert chat.calls == [
            ("sync", walk.pk, [host.pk]),
            ("sync", walk.pk, [host.pk, joiner.pk]),
            ("sync", walk.pk, [host.pk, joiner.pk, outsider.pk]),
            ("sync", walk.pk, [host.pk, outsider.pk]),
            ("sync", walk.pk, [host.pk]),
            ("close", walk.pk),
        ]

    def test_nothing_is_announced_before_the_commit(self, chat, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        services.walk_delete(walk_id=walk.pk, member=host)

        assert chat.calls == []

    def test_a_chat_failure_does_not_undo_the_join(
        self, host, board, joiner, django_capture_on_commit_callbacks, caplog
    ):
        def broken(sender, **kwargs):
            raise RuntimeError("chat is down")

        walk = WalkFactory(host=host, board=board)
        chat_bridge.walk_members_changed.connect(broken)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                services.walk_join(walk_id=walk.pk, member=joiner)
        finally:
            chat_bridge.walk_members_changed.disconnect(broken)

        assert WalkParticipant.objects.filter(walk=walk, member=joiner).exists()
        assert "chat is down" in caplog.text


@pytest.mark.django_db
def test_a_pet_deleted_since_does_not_block_an_edit(host, board):
    from pets import services as pets_services

    kept, gone = PetFactory(owner=host), PetFactory(owner=host)
    walk = WalkFactory(host=host, board=board, pet_ids=(kept.pk, gone.pk))
    pets_services.pet_delete(pet_id=gone.pk, member=host)

    services.walk_update(
        walk_id=walk.pk, member=host, data=replace(services.walk_input_from(walk), title="제목만 바꿈")
    )

    assert list(walk.pets.all()) == [kept]
