import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from community import services
from community.models import Comment, Follow, Like, Post
from community.tests.factories import CommentFactory, PostFactory, image_upload
from core import services as core_services
from core.models import TemporaryUpload
from moderation import services as moderation_services
from moderation.guards import MemberBlocked
from notifications.models import Notification


@pytest.mark.django_db
class TestPosts:
    def test_post_keeps_text_and_links_hashtags_and_mentions(self, member, other_member):
        post = services.post_create(author=member, text="#산책 갔다왔어요 #Walk @kongi @nobody")

        assert post.text == "#산책 갔다왔어요 #Walk @kongi @nobody"
        assert sorted(post.hashtags.values_list("name", flat=True)) == ["walk", "산책"]
        assert list(post.mentions.all()) == [other_member]
        mention = Notification.objects.get(recipient=other_member)
        assert (mention.kind, mention.actor, mention.target) == ("mention", member, post)

    def test_empty_post_without_photos_is_refused(self, member):
        with pytest.raises(ValidationError) as error:
            services.post_create(author=member, text="   \n ")

        assert "text" in error.value.message_dict
        assert Post.objects.count() == 0

    def test_too_long_text_is_refused(self, member):
        with pytest.raises(ValidationError):
            services.post_create(author=member, text="가" * 2001)
        assert Post.objects.count() == 0

    def test_a_post_takes_at_most_ten_photos(self, member):
        too_many = [services.PhotoUpload(image_upload(), "강아지") for _ in range(11)]
        with pytest.raises(ValidationError) as eleven:
            services.post_create(author=member, text="사진", photos=too_many)

        assert "photos" in eleven.value.message_dict
        assert Post.objects.count() == 0

    def test_a_photo_may_go_without_a_description(self, member):
        post = services.post_create(
            author=member, text="사진", photos=[services.PhotoUpload(image_upload(), " ")]
        )

        photo = post.photos.get()
        assert photo.alt_text == ""
        assert photo.description == "설명이 없는 사진"

    def test_a_bad_photo_stores_nothing(self, member):
        good = services.PhotoUpload(image_upload(), "강아지")
        bad = services.PhotoUpload(SimpleUploadedFile("x.png", b"not an image", "image/png"), "가짜")

        with pytest.raises(ValidationError) as error:
            services.post_create(author=member, text="사진 두 장", photos=[good, bad])

        assert "사진 2" in " ".join(error.value.message_dict["photos"])
        assert Post.objects.count() == 0

    def test_photos_are_stored_as_resized_webp_without_the_original(self, member):
        upload = image_upload(size=(3000, 2000), image_format="JPEG")

        post = services.post_create(author=member, text="", photos=[services.PhotoUpload(upload, "큰 사진")])

        photo = post.photos.get()
        assert (photo.width, photo.height) == (2048, 1365)
        assert photo.display.name.endswith(".webp")
        assert photo.thumb.width == photo.thumb.height == 400
        assert photo.alt_text == "큰 사진"

    def test_only_the_author_edits_and_other_members_change_nothing(self, member, other_member):
        post = PostFactory(author=member, text="원래 글 #산책")

        with pytest.raises(PermissionDenied):
            services.post_update(post_id=post.pk, member=other_member, text="바꿔치기")
        with pytest.raises(PermissionDenied):
            services.post_delete(post_id=post.pk, member=other_member)

        post.refresh_from_db()
        assert (post.text, post.deleted_at, post.edited_at) == ("원래 글 #산책", None, None)

    def test_edit_updates_hashtags_and_marks_edited(self, member):
        post = PostFactory(author=member, text="#산책")

        services.post_update(post_id=post.pk, member=member, text="#간식 먹었어요")

        post.refresh_from_db()
        assert post.edited_at is not None
        assert list(post.hashtags.values_list("name", flat=True)) == ["간식"]

    def test_edit_notifies_only_newly_mentioned_members(self, member, other_member):
        third = UserFactory(username="nabi")
        post = PostFactory(author=member, text="@kongi 안녕")

        services.post_update(post_id=post.pk, member=member, text="@kongi @nabi 안녕")

        assert Notification.objects.filter(recipient=other_member, kind="mention").count() == 1
        assert Notification.objects.filter(recipient=third, kind="mention").count() == 1

    def test_delete_is_soft_and_hides_the_post_from_everyone(self, member, other_member):
        post = PostFactory(author=member)

        services.post_delete(post_id=post.pk, member=member)

        assert Post.objects.filter(pk=post.pk, deleted_at__isnull=False).exists()
        assert not Post.objects.visible_to(member).filter(pk=post.pk).exists()
        assert not Post.objects.visible_to(other_member).filter(pk=post.pk).exists()


@pytest.mark.django_db
class TestHiddenPosts:
    def test_hidden_posts_show_only_to_author_and_moderators(self, member, other_member, moderator):
        post = PostFactory(author=member, is_hidden=True, hidden_reason="스팸")

        assert Post.objects.visible_to(member).filter(pk=post.pk).exists()
        assert Post.objects.visible_to(moderator).filter(pk=post.pk).exists()
        assert not Post.objects.visible_to(other_member).filter(pk=post.pk).exists()

    def test_other_members_cannot_like_or_comment_on_hidden_posts(self, member, other_member):
        post = PostFactory(author=member, is_hidden=True)

        with pytest.raises(Post.DoesNotExist):
            services.like_add(post_id=post.pk, member=other_member)
        with pytest.raises(Post.DoesNotExist):
            services.comment_create(post_id=post.pk, author=other_member, text="보여요?")
        assert not Like.objects.exists()
        assert not Comment.objects.exists()


@pytest.mark.django_db
class TestLikes:
    def test_like_once_counts_once(self, member, other_member):
        post = PostFactory(author=member)

        services.like_add(post_id=post.pk, member=other_member)
        post = services.like_add(post_id=post.pk, member=other_member)

        assert post.like_count == 1
        assert Like.objects.count() == 1

    def test_unlike_lowers_the_count_and_never_below_zero(self, member, other_member):
        post = PostFactory(author=member)
        services.like_add(post_id=post.pk, member=other_member)

        services.like_remove(post_id=post.pk, member=other_member)
        post = services.like_remove(post_id=post.pk, member=other_member)

        assert post.like_count == 0

    def test_repeated_likes_on_one_post_group_into_one_notification(self, member):
        post = PostFactory(author=member)
        fans = UserFactory.create_batch(4)
        for fan in fans:
            services.like_add(post_id=post.pk, member=fan)

        grouped = Notification.objects.get(recipient=member, kind="like")
        assert grouped.actor_count == 4
        assert grouped.actor == fans[-1]

    def test_likes_after_reading_start_a_new_group(self, member, other_member):
        post = PostFactory(author=member)
        services.like_add(post_id=post.pk, member=other_member)
        services.notifications_mark_read(member=member)

        services.like_add(post_id=post.pk, member=UserFactory())

        assert Notification.objects.filter(recipient=member, kind="like").count() == 2

    def test_finding_11_like_notifications_count_people_not_like_events(self, client, member, other_member):
        post = PostFactory(author=member)
        for _ in range(5):
            services.like_add(post_id=post.pk, member=other_member)
            services.like_remove(post_id=post.pk, member=other_member)
        services.like_add(post_id=post.pk, member=other_member)
        services.like_add(post_id=post.pk, member=UserFactory(nickname="보리아빠"))

        grouped = Notification.objects.get(recipient=member, kind="like")
        client.force_login(member)
        page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert grouped.actor_count == 2
        assert "보리아빠 and 1 other liked your post" in page

    def test_finding_7_a_blocked_member_cannot_like_the_blockers_posts_nor_notify_them(
        self, member, other_member, member_api_client
    ):
        post = PostFactory(author=other_member)
        moderation_services.block_add(member=other_member, other=member)

        with pytest.raises(MemberBlocked):
            services.like_add(post_id=post.pk, member=member)
        response = member_api_client.post(f"/api/posts/{post.pk}/like/")

        post.refresh_from_db()
        assert response.status_code == 403
        assert response.json()["code"] == "blocked"
        assert (post.like_count, Like.objects.count()) == (0, 0)
        assert not Notification.objects.filter(recipient=other_member).exists()

    def test_liking_your_own_post_notifies_nobody(self, member):
        post = PostFactory(author=member)

        services.like_add(post_id=post.pk, member=member)

        assert not Notification.objects.exists()


@pytest.mark.django_db
class TestComments:
    def test_comment_counts_and_notifies_the_author(self, member, other_member):
        post = PostFactory(author=member)

        comment = services.comment_create(post_id=post.pk, author=other_member, text="귀여워요")

        post.refresh_from_db()
        assert post.comment_count == 1
        note = Notification.objects.get(recipient=member)
        assert (note.kind, note.target) == ("comment", comment)

    def test_reply_to_a_reply_stays_one_level_deep_and_notifies_the_thread_starter(
        self, member, other_member
    ):
        post = PostFactory(author=member)
        third = UserFactory()
        top = CommentFactory(post=post, author=other_member)
        reply = CommentFactory(post=post, author=third, parent=top)

        nested = services.comment_create(post_id=post.pk, author=member, text="고마워요", parent_id=reply.pk)

        assert reply.parent == top
        assert nested.parent == top
        assert Notification.objects.filter(recipient=other_member, kind="reply").count() == 2

    def test_reply_to_a_comment_on_another_post_is_refused(self, member, other_member):
        elsewhere = CommentFactory(post=PostFactory(author=other_member), author=other_member)
        post = PostFactory(author=member)

        with pytest.raises(ValidationError):
            services.comment_create(post_id=post.pk, author=member, text="답글", parent_id=elsewhere.pk)

    def test_only_the_author_edits_or_deletes_a_comment(self, member, other_member):
        comment = CommentFactory(author=member, text="원래 댓글")

        with pytest.raises(PermissionDenied):
            services.comment_update(comment_id=comment.pk, member=other_member, text="바꿈")
        with pytest.raises(PermissionDenied):
            services.comment_delete(comment_id=comment.pk, member=other_member)

        comment.refresh_from_db()
        assert (comment.text, comment.deleted_at) == ("원래 댓글", None)

    def test_deleting_a_comment_lowers_the_count_and_removes_its_notification(self, member, other_member):
        post = PostFactory(author=member)
        comment = CommentFactory(post=post, author=other_member)

        services.comment_delete(comment_id=comment.pk, member=other_member)

        post.refresh_from_db()
        assert post.comment_count == 0
        assert not Notification.objects.for_target(comment).exists()


@pytest.mark.django_db
class TestFollows:
    def test_follow_once_and_notify(self, member, other_member):
        assert services.follow_add(follower=member, following=other_member) is True
        assert services.follow_add(follower=member, following=other_member) is False

        assert Follow.objects.count() == 1
        assert Notification.objects.filter(recipient=other_member, kind="follow").count() == 1

    def test_self_follow_is_refused(self, member):
        with pytest.raises(ValidationError):
            services.follow_add(follower=member, following=member)
        assert not Follow.objects.exists()

    def test_unfollow(self, member, other_member):
        services.follow_add(follower=member, following=other_member)

        assert services.follow_remove(follower=member, following=other_member) is True
        assert not Follow.objects.exists()


@pytest.mark.django_db
class TestPostPhotos:
    """Photos chosen earlier (temporary uploads) become the post's; editing changes them all."""

    def kept(self, member, color=(200, 120, 40)):
        return core_services.temporary_upload_create(owner=member, file=image_upload(color=color))

    def test_temporary_uploads_become_the_posts_photos_in_order(self, member):
        first, second = self.kept(member), self.kept(member)

        post = services.post_create(
            author=member,
            text="",
            photos=[
                services.PhotoUpload(upload_key=second.key, alt_text="둘째"),
                services.PhotoUpload(upload_key=first.key, alt_text="첫째"),
            ],
        )

        photos = list(post.photos.all())
        assert [photo.alt_text for photo in photos] == ["둘째", "첫째"]
        assert [photo.thumb.name for photo in photos] == [second.thumb.name, first.thumb.name]
        assert all(photo.full.storage.exists(photo.full.name) for photo in photos)
        assert (photos[0].width, photos[0].height) == (64, 48)
        assert not TemporaryUpload.objects.exists(), "the uploads were taken over"

    def test_another_members_upload_cannot_be_posted(self, member, other_member):
        theirs = self.kept(other_member)

        with pytest.raises(ValidationError) as error:
            services.post_create(
                author=member,
                text="",
                photos=[services.PhotoUpload(upload_key=theirs.key, alt_text="남의 사진")],
            )

        assert "24" in error.value.message_dict["photos"][0]
        assert not Post.objects.exists()
        assert TemporaryUpload.objects.get() == theirs

    def test_editing_adds_removes_reorders_and_describes_photos(
        self, member, django_capture_on_commit_callbacks
    ):
        post = PostFactory(author=member, photos=3)
        first, second, third = post.photos.all()
        new = self.kept(member)

        with django_capture_on_commit_callbacks(execute=True):
            services.post_update(
                post_id=post.pk,
                member=member,
                text="사진을 바꿨어요",
                photos=[
                    services.PhotoUpload(photo_id=third.pk, alt_text="셋째, 이제 처음"),
                    services.PhotoUpload(upload_key=new.key, alt_text="새 사진"),
                    services.PhotoUpload(photo_id=first.pk, alt_text="사진 0"),
                ],
            )

        assert list(post.photos.values_list("alt_text", flat=True)) == [
            "셋째, 이제 처음",
            "새 사진",
            "사진 0",
        ]
        assert list(post.photos.values_list("position", flat=True)) == [0, 1, 2]
        assert not second.full.storage.exists(second.full.name), "a removed photo's files go"
        assert first.full.storage.exists(first.full.name)
        post.refresh_from_db()
        assert (post.text, post.edited_at is not None) == ("사진을 바꿨어요", True)

    def test_editing_away_every_photo_needs_text(self, member):
        post = PostFactory(author=member, text="", photos=1)

        with pytest.raises(ValidationError):
            services.post_update(post_id=post.pk, member=member, text="", photos=[])

        assert post.photos.count() == 1

    def test_a_photo_of_another_post_cannot_be_moved_in(self, member):
        post, other = PostFactory(author=member, photos=1), PostFactory(author=member, photos=1)

        with pytest.raises(ValidationError):
            services.post_update(
                post_id=post.pk,
                member=member,
                text="",
                photos=[services.PhotoUpload(photo_id=other.photos.get().pk, alt_text="훔친 사진")],
            )

        assert other.photos.count() == 1

    def test_editing_text_alone_leaves_the_photos(self, member):
        post = PostFactory(author=member, photos=2)

        services.post_update(post_id=post.pk, member=member, text="글만 고쳤어요")

        assert post.photos.count() == 2


@pytest.mark.django_db
def test_one_upload_named_twice_becomes_one_photo(member):
    upload = core_services.temporary_upload_create(owner=member, file=image_upload())

    post = services.post_create(
        author=member,
        text="",
        photos=[services.PhotoUpload(upload_key=upload.key, alt_text=alt) for alt in ("하나", "둘")],
    )

    assert list(post.photos.values_list("alt_text", flat=True)) == ["하나"]
