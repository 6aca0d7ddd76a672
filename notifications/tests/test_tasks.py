from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import services as community_services
from community.models import Notification
from community.tests.factories import PostFactory
from notifications import services
from notifications.models import EmailDigest
from notifications.schedule import DIGEST_SCHEDULE_NAME, ensure_digest_schedule
from notifications.tasks import send_digests


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

    def test_kinds_turned_off_by_email_are_left_out(
        self, member, other_member, django_capture_on_commit_callbacks
    ):
        services.settings_update(member=member, choices={"follows": {"on_site": True, "by_email": False}})
        community_services.follow_add(follower=other_member, following=member)

        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests() == 0

        assert mail.outbox == []
        assert Notification.objects.filter(recipient=member).count() == 1

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
