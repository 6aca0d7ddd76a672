import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import UserFactory
from chat import services as chat_services
from chat.models import Room
from community import services as community_services
from community.tests.factories import PostFactory
from notifications import services
from notifications.models import EmailDigest, Notification
from notifications.schedule import DIGEST_SCHEDULE_NAME, ensure_digest_schedule
from notifications.tasks import send_digests
from walks.models import Walk
from walks.tasks import send_walk_notices
from walks.tests.factories import WalkFactory


def hours_pass(member) -> None:
    """The member's last digest went out more than an hour ago."""
    EmailDigest.objects.filter(member=member).update(sent_at=timezone.now() - timedelta(hours=1, seconds=1))


@pytest.mark.django_db
class TestDigest:
    def test_one_email_gathers_the_new_notifications_with_a_one_click_unsubscribe(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        post = PostFactory(author=member)
        community_services.comment_create(post_id=post.pk, author=other_member, text="귀엽다")
        community_services.follow_add(follower=other_member, following=member)

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        [email] = mail.outbox
        assert email.to == ["dubu@example.com"]
        assert "콩이아빠" in email.body
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/settings/notifications/unsubscribe/" in email.extra_headers["List-Unsubscribe"]

    def test_at_most_one_email_an_hour(self, member, other_member, django_capture_on_commit_callbacks):
        post = PostFactory(author=member)
        community_services.comment_create(post_id=post.pk, author=other_member, text="첫 댓글")
        with django_capture_on_commit_callbacks(execute=True):
            send_digests()
        community_services.comment_create(post_id=post.pk, author=other_member, text="두 번째 댓글")

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0
        EmailDigest.objects.filter(member=member).update(
            sent_at=timezone.now() - timedelta(hours=1, seconds=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        assert len(mail.outbox) == 2
        assert "commented" in mail.outbox[1].body or "댓글" in mail.outbox[1].body

    def test_a_walk_reminder_does_not_wait_for_the_hour_but_other_news_does(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        """An e-mail an hour at most, except for a walk starting in an hour: that goes on the
        digest's next run, or it would arrive after the walk began."""
        post = PostFactory(author=member)
        community_services.comment_create(post_id=post.pk, author=other_member, text="첫 댓글")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1
        host_without_email = UserFactory(username="hangang", email="")
        walk = WalkFactory(host=host_without_email, title="한강 저녁 산책", joiners=[member])
        start = timezone.now() + timedelta(minutes=55)
        Walk.objects.filter(pk=walk.pk).update(start_at=start, end_at=start + timedelta(hours=1))
        send_walk_notices()

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1
        community_services.comment_create(post_id=post.pk, author=other_member, text="두 번째 댓글")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0

        assert len(mail.outbox) == 2
        assert "한강 저녁 산책" in mail.outbox[1].body
        assert "두 번째 댓글" not in mail.outbox[1].body

    def test_kinds_turned_off_by_email_are_left_out(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        services.settings_update(member=member, choices={"follows": {"on_site": True, "by_email": False}})
        community_services.follow_add(follower=other_member, following=member)

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0

        assert mail.outbox == []
        assert Notification.objects.filter(recipient=member).count() == 1

    def test_kinds_off_on_the_site_but_on_by_email_still_come_by_email(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        services.settings_update(member=member, choices={"follows": {"on_site": False, "by_email": True}})
        community_services.follow_add(follower=other_member, following=member)

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        [email] = mail.outbox
        assert "콩이아빠" in email.body

    def test_marking_all_read_on_the_site_leaves_e_mail_only_kinds_for_the_digest(
        self, client, member, other_member, django_capture_on_commit_callbacks
    ):
        services.settings_update(member=member, choices={"follows": {"on_site": False, "by_email": True}})
        community_services.follow_add(follower=other_member, following=member)
        client.force_login(member)
        client.post("/notifications/read/")

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        assert "콩이아빠" in mail.outbox[0].body

    def test_unsubscribed_members_get_no_email(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        services.email_unsubscribe(member=member)
        community_services.follow_add(follower=other_member, following=member)

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0

    def test_the_schedule_is_created_once(self, db):
        from django_q.models import Schedule

        ensure_digest_schedule()
        ensure_digest_schedule()

        assert Schedule.objects.filter(name=DIGEST_SCHEDULE_NAME).count() == 1


@pytest.mark.django_db
class TestOnSitePreferences:
    def test_muted_kinds_create_no_notification(self, member, other_member):
        services.settings_update(
            member=member,
            choices={
                "follows": {"on_site": False, "by_email": False},
                "comments": {"on_site": False, "by_email": False},
                "likes": {"on_site": False, "by_email": False},
            },
        )
        post = PostFactory(author=member)

        community_services.follow_add(follower=other_member, following=member)
        community_services.comment_create(post_id=post.pk, author=other_member, text="안녕")
        community_services.like_add(post_id=post.pk, member=other_member)
        PostFactory(author=other_member, text="@dubu 같이 산책해요")

        assert list(Notification.objects.filter(recipient=member).values_list("kind", flat=True)) == [
            "mention"
        ]


@pytest.fixture
def direct_room(member, other_member):
    return chat_services.direct_room_get_or_create(member=other_member, other=member)


def chat_by_email(member) -> None:
    services.settings_update(member=member, choices={"chat": {"on_site": True, "by_email": True}})


def say(room, sender, *texts) -> None:
    for text in texts:
        chat_services.message_send(room_id=room.pk, sender=sender, client_id=uuid4().hex, text=text)


def chat_line(email, room) -> str:
    """The digest's line about ``room``, without its link."""
    [line] = [line for line in email.body.splitlines() if f"/chat/{room.pk}/" in line]
    return line.rsplit(": http", 1)[0]


def counts(text: str) -> list[str]:
    return re.findall(r"\d+", text)


@pytest.mark.django_db
class TestChatDigest:
    def test_chat_messages_are_not_emailed_by_default(
        self, member, other_member, direct_room, django_capture_on_commit_callbacks
    ):
        say(direct_room, other_member, "안녕하세요")

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0

        assert mail.outbox == []

    def test_members_with_only_unread_chat_get_who_wrote_and_how_many_per_room_without_the_text(
        self, member, other_member, direct_room, django_capture_on_commit_callbacks
    ):
        chat_by_email(member)
        with django_capture_on_commit_callbacks(execute=True):
            walk = WalkFactory(host=other_member, joiners=[member], title="한강 저녁 산책")
        walk_room = Room.objects.get(walk_id=walk.pk)
        say(direct_room, other_member, "비밀 하나", "비밀 둘")
        say(walk_room, other_member, "비밀 셋")
        say(walk_room, member, "내가 쓴 말")

        with django_capture_on_commit_callbacks(execute=True):
            send_digests()

        assert not Notification.objects.filter(recipient=member).exists()
        [email] = [email for email in mail.outbox if email.to == ["dubu@example.com"]]
        assert counts(email.subject) == ["2"]
        direct_line = chat_line(email, direct_room)
        walk_line = chat_line(email, walk_room)
        assert "콩이아빠" in direct_line
        assert counts(direct_line) == ["2"]
        assert "한강 저녁 산책" in walk_line
        assert counts(walk_line) == ["1"]
        assert "비밀" not in email.body
        assert "내가 쓴 말" not in email.body

    def test_read_and_already_emailed_messages_are_not_emailed_again(
        self, member, other_member, direct_room, django_capture_on_commit_callbacks
    ):
        chat_by_email(member)
        say(direct_room, other_member, "첫 번째")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        hours_pass(member)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0
        say(direct_room, other_member, "두 번째")
        chat_services.room_mark_read(room_id=direct_room.pk, member=member)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0
        say(direct_room, other_member, "세 번째")
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        assert len(mail.outbox) == 2
        assert counts(chat_line(mail.outbox[1], direct_room)) == ["1"]

    def test_chat_and_notifications_come_in_the_same_email(
        self, member, other_member, direct_room, django_capture_on_commit_callbacks
    ):
        chat_by_email(member)
        community_services.follow_add(follower=other_member, following=member)
        say(direct_room, other_member, "안녕")

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 1

        [email] = mail.outbox
        assert f"/chat/{direct_room.pk}/" in email.body
        assert email.body.count("콩이아빠") == 2

    def test_unsubscribing_stops_chat_emails_too(
        self, member, other_member, direct_room, django_capture_on_commit_callbacks
    ):
        chat_by_email(member)
        services.email_unsubscribe(member=member)
        say(direct_room, other_member, "안녕")

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0
