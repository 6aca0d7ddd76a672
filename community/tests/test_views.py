import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Comment, Follow, Like, Post
from community.tests.factories import CommentFactory, PostFactory, image_upload
from core import services as core_services
from core.models import TemporaryUpload
from notifications.models import Notification


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


@pytest.mark.django_db
class TestPostPages:
    @pytest.mark.smoke
    def test_member_posts_with_a_photo_and_sees_it(self, logged_in, member):
        response = logged_in.post(
            "/posts/new/",
            {"text": "오늘 #산책 완료", "photo_1": image_upload(), "alt_1": "공원의 두부"},
            follow=True,
        )

        assert response.status_code == 200
        post = Post.objects.get()
        html = response.content.decode()
        assert 'alt="공원의 두부"' in html
        assert post.photos.get().display.url in html
        assert "photo1-full" not in html, "pages serve renditions, not the full image"

    def test_a_photo_without_a_description_is_asked_about_once_with_the_photo_kept(self, logged_in, member):
        asked = logged_in.post("/posts/new/", {"text": "사진", "photo_1": image_upload(), "alt_1": ""})

        html = asked.content.decode()
        assert asked.status_code == 400
        assert not Post.objects.exists()
        assert 'data-role="describe-prompt"' in html
        assert "설명이 없는 사진이 있어요." in html
        assert 'href="#id_alt_1"' in html
        assert 'name="without_descriptions" value="on"' in html
        assert 'id="id_alt_1_error"' not in html, "asked, not refused"
        kept = TemporaryUpload.objects.get(owner=member)
        assert f'name="upload_1" value="{kept.key}"' in html

        posted = logged_in.post(
            "/posts/new/",
            {"text": "사진", "upload_1": kept.key, "alt_1": "", "without_descriptions": "on"},
            follow=True,
        )

        assert posted.status_code == 200
        photo = Post.objects.get().photos.get()
        assert photo.alt_text == ""
        assert 'alt="설명이 없는 사진"' in posted.content.decode()

    def test_described_photos_are_posted_without_being_asked(self, logged_in):
        response = logged_in.post("/posts/new/", {"text": "사진", "photo_1": image_upload(), "alt_1": "공원"})

        assert response.status_code == 302
        assert Post.objects.get().photos.get().alt_text == "공원"

    def test_non_image_is_refused_clearly(self, logged_in):
        fake = SimpleUploadedFile("dog.gif", b"GIF89a but not really", content_type="image/gif")

        response = logged_in.post("/posts/new/", {"text": "사진", "photo_1": fake, "alt_1": "강아지"})

        assert response.status_code == 400
        assert not Post.objects.exists()

    def test_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.post("/posts/new/", {"text": "익명"})

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not Post.objects.exists()

    def test_other_member_gets_403_on_edit_and_delete_and_nothing_changes(self, logged_in, other_member):
        post = PostFactory(author=other_member, text="남의 글")

        assert logged_in.get(f"/posts/{post.pk}/edit/").status_code == 403
        assert logged_in.post(f"/posts/{post.pk}/edit/", {"text": "바꿈"}).status_code == 403
        assert logged_in.post(f"/posts/{post.pk}/delete/").status_code == 403
        post.refresh_from_db()
        assert (post.text, post.deleted_at) == ("남의 글", None)

    def test_author_edits_and_deletes_and_sees_it_gone(self, logged_in, member):
        post = PostFactory(author=member, text="처음")

        logged_in.post(f"/posts/{post.pk}/edit/", {"text": "고쳤어요"})
        assert "고쳤어요" in logged_in.get(f"/posts/{post.pk}/").content.decode()

        asked = logged_in.post(f"/posts/{post.pk}/delete/")
        assert asked.status_code == 200, "without the dialog's confirmation the server asks on a page"
        assert logged_in.get(f"/posts/{post.pk}/").status_code == 200
        logged_in.post(f"/posts/{post.pk}/delete/", {"confirm": "yes"})
        assert logged_in.get(f"/posts/{post.pk}/").status_code == 404
        assert "고쳤어요" not in logged_in.get("/?feed=latest").content.decode()

    def test_hidden_post_is_marked_for_its_author_and_404_for_others(self, client, member, other_member):
        post = PostFactory(author=member, is_hidden=True, hidden_reason="도배")

        client.force_login(member)
        html = client.get(f"/posts/{post.pk}/").content.decode()
        assert "도배" in html
        client.force_login(other_member)
        assert client.get(f"/posts/{post.pk}/").status_code == 404
        assert post.text not in client.get("/?feed=latest").content.decode()

    def test_script_in_post_text_is_escaped_on_every_page(self, logged_in, member):
        PostFactory(author=member, text='<script>alert("x")</script> #산책')

        for url in ["/?feed=latest", "/members/dubu/", "/tags/산책/"]:
            html = logged_in.get(url).content.decode()
            assert '<script>alert("x")</script>' not in html, url


@pytest.mark.django_db
class TestInteractionPages:
    @pytest.mark.smoke
    def test_like_works_as_a_plain_form_and_as_json(self, logged_in, other_member):
        post = PostFactory(author=other_member)

        plain = logged_in.post(f"/posts/{post.pk}/like/", {"action": "like"})
        assert plain.status_code == 302
        enhanced = logged_in.post(
            f"/posts/{post.pk}/like/", {"action": "unlike"}, HTTP_ACCEPT="application/json"
        )

        assert enhanced.json() == {"liked": False, "like_count": 0}
        assert not Like.objects.exists()

    def test_like_redirect_stays_on_this_site(self, logged_in, other_member):
        post = PostFactory(author=other_member)

        response = logged_in.post(f"/posts/{post.pk}/like/", {"next": "https://evil.example/"})

        assert response["Location"] == f"/posts/{post.pk}/"

    def test_follow_and_unfollow_from_the_profile(self, logged_in, member, other_member):
        followed = logged_in.post(
            "/members/kongi/follow/", {"action": "follow"}, HTTP_ACCEPT="application/json"
        )
        assert followed.json() == {"following": True, "username": "kongi", "follower_count": 1}
        html = logged_in.get("/members/kongi/").content.decode()
        assert 'aria-pressed="true"' in html

        logged_in.post("/members/kongi/follow/", {"action": "unfollow"})
        assert not Follow.objects.exists()

    def test_following_yourself_is_refused(self, logged_in):
        response = logged_in.post("/members/dubu/follow/", HTTP_ACCEPT="application/json")

        assert response.status_code == 400
        assert not Follow.objects.exists()

    def test_comment_as_json_returns_rendered_html(self, logged_in, other_member):
        post = PostFactory(author=other_member)

        response = logged_in.post(
            f"/posts/{post.pk}/comments/", {"text": "<i>멋져요</i>"}, HTTP_ACCEPT="application/json"
        )

        assert response.status_code == 201
        assert "&lt;i&gt;멋져요&lt;/i&gt;" in response.json()["html"]
        assert Comment.objects.get().author.username == "dubu"

    def test_finding_9_deleting_a_comment_asks_first(self, client, member, other_member):
        comment = CommentFactory(author=member, text="지울 댓글")
        client.force_login(member)

        asked = client.post(f"/comments/{comment.pk}/delete/")
        comment.refresh_from_db()
        assert asked.status_code == 200
        assert "이 댓글을 삭제할까요?" in asked.content.decode()
        assert comment.deleted_at is None
        page = client.get(f"/posts/{comment.post_id}/").content.decode()
        assert 'data-confirm="이 댓글을 삭제할까요?"' in page

        client.post(f"/comments/{comment.pk}/delete/", {"confirm": "yes"})
        comment.refresh_from_db()
        assert comment.deleted_at is not None

    def test_comment_as_json_gives_the_new_heading(self, logged_in, other_member):
        post = PostFactory(author=other_member)
        CommentFactory(post=post, author=other_member)
        Post.objects.filter(pk=post.pk).update(comment_count=1)

        response = logged_in.post(
            f"/posts/{post.pk}/comments/", {"text": "저도요!"}, HTTP_ACCEPT="application/json"
        )

        assert response.json()["comment_count"] == 2
        assert response.json()["comment_heading"] == "댓글 2개"
        page = logged_in.get(f"/posts/{post.pk}/").content.decode()
        assert 'data-role="comment-heading" aria-live="polite">댓글 2개<' in page

    def test_other_member_cannot_delete_my_comment(self, client, member, other_member):
        comment = CommentFactory(author=member)
        client.force_login(other_member)

        assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
        comment.refresh_from_db()
        assert comment.deleted_at is None

    def test_nav_badge_counts_unread_and_opening_the_list_clears_it(self, logged_in, member, other_member):
        CommentFactory(post=PostFactory(author=member), author=other_member)

        html = logged_in.get("/").content.decode()
        assert 'data-role="unread-badge">1<' in html
        page = logged_in.get("/notifications/").content.decode()

        assert "콩이아빠" in page
        assert page.count('class="notification notification--unread"') == 1, "still shown as new this time"
        assert 'data-role="unread-badge"' not in page, "the badge is cleared on the list itself"
        assert 'data-role="unread-badge"' not in logged_in.get("/").content.decode()
        assert not Notification.objects.filter(read_at__isnull=True).exists()
        again = logged_in.get("/notifications/").content.decode()
        assert "notification--unread" not in again

    def test_opening_the_list_reads_only_what_it_shows(self, logged_in, member):
        from accounts.tests.factories import UserFactory
        from community import services

        for fan in UserFactory.create_batch(3):
            services.follow_add(follower=fan, following=member)

        page = logged_in.get("/notifications/?page_size=2").content.decode()

        assert 'data-role="unread-badge">1<' in page
        assert Notification.objects.filter(read_at__isnull=True).count() == 1
        logged_in.head("/notifications/")
        assert Notification.objects.filter(read_at__isnull=True).count() == 1, "HEAD reads nothing"
        enhanced = logged_in.post("/notifications/read/", HTTP_ACCEPT="application/json")
        assert enhanced.json() == {"unread": 0}
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_a_notification_whose_post_is_gone_says_so_instead_of_linking(
        self, logged_in, member, other_member
    ):
        from community import services

        hidden = services.post_create(author=other_member, text="@dubu 같이 산책해요")
        deleted = services.post_create(author=other_member, text="@dubu 안녕하세요")
        kept = services.post_create(author=other_member, text="@dubu 반가워요")
        Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
        Post.objects.filter(pk=deleted.pk).update(deleted_at=kept.created_at)

        page = logged_in.get("/notifications/").content.decode()

        assert page.count("이 게시물은 삭제되었거나 숨겨졌어요.") == 2
        assert f'href="/posts/{kept.pk}/"' in page
        assert f"/posts/{hidden.pk}/" not in page
        assert f"/posts/{deleted.pk}/" not in page
        assert logged_in.get(f"/posts/{hidden.pk}/").status_code == 404

    def test_a_reply_whose_comment_was_hidden_says_so(self, logged_in, member, other_member):
        from community import services

        post = services.post_create(author=other_member, text="산책 코스 추천해 주세요")
        mine = services.comment_create(post_id=post.pk, author=member, text="양재천 좋아요")
        reply = services.comment_create(
            post_id=post.pk, author=other_member, text="광고예요", parent_id=mine.pk
        )
        Comment.objects.filter(pk=reply.pk).update(is_hidden=True)

        page = logged_in.get("/notifications/").content.decode()

        assert "이 댓글이나 게시물은 삭제되었거나 숨겨졌어요." in page
        assert f"#comment-{reply.pk}" not in page

    def test_a_follow_from_a_member_who_left_says_so(self, logged_in, member, other_member):
        from community import services

        services.follow_add(follower=other_member, following=member)
        other_member.is_active = False
        other_member.save(update_fields=["is_active"])

        page = logged_in.get("/notifications/").content.decode()

        assert "더 이상 볼 수 없는 회원이에요." in page
        assert 'href="/members/kongi/"' not in page

    def test_kinds_off_on_the_site_stay_out_of_the_list_and_the_badge(self, logged_in, member, other_member):
        from community import services
        from notifications import services as notification_services

        notification_services.settings_update(
            member=member, choices={"follows": {"on_site": False, "by_email": True}}
        )
        services.follow_add(follower=other_member, following=member)

        assert 'data-role="unread-badge"' not in logged_in.get("/").content.decode()
        assert "콩이아빠" not in logged_in.get("/notifications/").content.decode()

        notification_services.settings_update(
            member=member, choices={"follows": {"on_site": True, "by_email": True}}
        )

        assert 'data-role="unread-badge">1<' in logged_in.get("/").content.decode()
        assert "콩이아빠" in logged_in.get("/notifications/").content.decode()

    def test_grouped_likes_read_as_one_line(self, logged_in, member):
        from accounts.tests.factories import UserFactory
        from community import services

        post = PostFactory(author=member)
        for fan in UserFactory.create_batch(3):
            services.like_add(post_id=post.pk, member=fan)

        html = logged_in.get("/notifications/").content.decode()

        assert html.count('class="notification notification--unread"') == 1

    def test_unknown_profile_and_hashtag_are_404(self, client):
        assert client.get("/members/nobody/").status_code == 404
        assert client.get("/tags/없는태그/").status_code == 404

    def test_profile_shows_counts(self, client, member, other_member):
        PostFactory(author=member)
        Follow.objects.create(follower=other_member, following=member)

        html = client.get("/members/DUBU/").content.decode()

        assert "두부엄마" in html
        assert "<dd>1</dd>" in html
        assert 'href="/members/dubu/followers/" data-role="follower-count" data-member="dubu">1</a>' in html
        assert '<a href="/members/dubu/following/">0</a>' in html

    def test_follower_and_following_lists(self, client, member, other_member):
        from accounts.tests.factories import UserFactory

        Follow.objects.create(follower=other_member, following=member)
        gone = UserFactory(username="gone", nickname="떠난회원", is_active=False)
        Follow.objects.create(follower=gone, following=member)
        client.force_login(other_member)

        followers = client.get("/members/dubu/followers/").content.decode()
        following = client.get("/members/kongi/following/").content.decode()

        assert "콩이아빠" in followers
        assert "떠난회원" not in followers
        assert "두부엄마" in following
        assert 'aria-pressed="true"' in following, "kongi follows dubu: the button says so"
        assert client.get("/members/nobody/followers/").status_code == 404

    def test_follower_list_takes_fixed_queries(self, client, member, django_assert_num_queries):
        from accounts.tests.factories import UserFactory

        client.force_login(member)
        Follow.objects.create(follower=UserFactory(), following=member)
        client.get("/members/dubu/followers/")
        with CaptureQueriesContext(connection) as one:
            client.get("/members/dubu/followers/")
        for fan in UserFactory.create_batch(10):
            Follow.objects.create(follower=fan, following=member)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get("/members/dubu/followers/")
        assert response.content.decode().count('class="member-row"') == 11


@pytest.mark.django_db
class TestPhotosSurviveFormErrors:
    """The post form without JavaScript: photos sent with it are kept at once, so an error elsewhere
    brings the form back with them (thumbnails, order and descriptions), and editing changes them."""

    def test_a_missing_description_brings_both_photos_back_and_they_publish(self, logged_in, member):
        response = logged_in.post(
            "/posts/new/",
            {
                "text": "두 장이에요",
                "photo_1": image_upload("a.png", color=(250, 0, 0)),
                "alt_1": "빨간 공",
                "photo_2": image_upload("b.png", color=(0, 0, 250)),
                "alt_2": "",
            },
        )

        assert response.status_code == 400
        html = response.content.decode()
        first, second = TemporaryUpload.objects.filter(owner=member).order_by("pk")
        assert html.index(first.thumb.url) < html.index(second.thumb.url), "both thumbnails, in order"
        assert f'name="upload_1" value="{first.key}"' in html
        assert f'name="upload_2" value="{second.key}"' in html
        assert 'value="빨간 공"' in html
        assert 'data-role="describe-prompt"' in html
        assert 'href="#id_alt_2"' in html
        assert not Post.objects.exists()

        fixed = logged_in.post(
            "/posts/new/",
            {
                "text": "두 장이에요",
                "upload_1": first.key,
                "alt_1": "빨간 공",
                "upload_2": second.key,
                "alt_2": "파란 공",
            },
        )

        assert fixed.status_code == 302
        post = Post.objects.get()
        assert list(post.photos.values_list("alt_text", flat=True)) == ["빨간 공", "파란 공"]
        assert not TemporaryUpload.objects.exists()
        assert post.photos.first().display.url in logged_in.get(f"/posts/{post.pk}/").content.decode()

    def test_a_refused_photo_says_why_in_its_row_and_the_others_stay(self, logged_in, member):
        fake = SimpleUploadedFile("dog.gif", b"GIF89a but not really", content_type="image/gif")

        response = logged_in.post(
            "/posts/new/",
            {"text": "", "photo_1": image_upload(), "alt_1": "공원", "photo_2": fake, "alt_2": "가짜"},
        )

        assert response.status_code == 400
        html = response.content.decode()
        kept = TemporaryUpload.objects.get(owner=member)
        assert kept.thumb.url in html
        assert 'id="id_photo_2_error"' in html
        assert not Post.objects.exists()

    def test_the_places_set_the_order(self, logged_in):
        logged_in.post(
            "/posts/new/",
            {
                "text": "",
                "photo_1": image_upload(),
                "alt_1": "나중",
                "order_1": "2",
                "photo_2": image_upload(),
                "alt_2": "먼저",
                "order_2": "1",
            },
        )

        assert list(Post.objects.get().photos.values_list("alt_text", flat=True)) == ["먼저", "나중"]

    def test_someone_elses_upload_is_not_taken(self, logged_in, other_member):
        theirs = core_services.temporary_upload_create(owner=other_member, file=image_upload())

        response = logged_in.post("/posts/new/", {"text": "", "upload_1": theirs.key, "alt_1": "남의 사진"})

        assert response.status_code == 400
        assert theirs.thumb.url not in response.content.decode()
        assert not Post.objects.exists()

    def test_the_edit_form_shows_the_photos_in_order(self, logged_in, member):
        post = PostFactory(author=member, photos=2)
        first, second = post.photos.all()

        html = logged_in.get(f"/posts/{post.pk}/edit/").content.decode()

        assert html.index(first.thumb.url) < html.index(second.thumb.url)
        assert f'name="existing_1" value="{first.pk}"' in html
        assert 'value="사진 1"' in html

    def test_editing_a_post_whose_photo_went_without_a_description_does_not_ask_again(
        self, logged_in, member
    ):
        post = PostFactory(author=member, text="사진", photos=1)
        photo = post.photos.get()
        photo.alt_text = ""
        photo.save(update_fields=["alt_text"])

        response = logged_in.post(
            f"/posts/{post.pk}/edit/",
            {"text": "사진 (고침)", "existing_1": photo.pk, "alt_1": "", "order_1": 1},
        )

        assert response.status_code == 302
        post.refresh_from_db()
        assert post.text == "사진 (고침)"

    def test_clearing_a_photos_description_while_editing_is_asked_about(self, logged_in, member):
        post = PostFactory(author=member, text="사진", photos=1)
        photo = post.photos.get()

        response = logged_in.post(
            f"/posts/{post.pk}/edit/", {"text": "사진", "existing_1": photo.pk, "alt_1": "", "order_1": 1}
        )

        assert response.status_code == 400
        assert 'data-role="describe-prompt"' in response.content.decode()
        assert "설명 없이 저장하기" in response.content.decode()
        photo.refresh_from_db()
        assert photo.alt_text == "사진 0", "unchanged"

    def test_editing_adds_removes_reorders_and_describes(
        self, logged_in, member, django_capture_on_commit_callbacks
    ):
        post = PostFactory(author=member, text="세 장", photos=3)
        first, second, third = post.photos.all()

        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post(
                f"/posts/{post.pk}/edit/",
                {
                    "text": "바꿨어요",
                    "existing_1": first.pk,
                    "alt_1": "첫째",
                    "order_1": "3",
                    "existing_2": second.pk,
                    "alt_2": "둘째",
                    "remove_2": "on",
                    "existing_3": third.pk,
                    "alt_3": "셋째가 먼저",
                    "order_3": "1",
                    "photo_4": image_upload(),
                    "alt_4": "새 사진",
                    "order_4": "2",
                },
            )

        assert response.status_code == 302
        assert list(post.photos.values_list("alt_text", flat=True)) == ["셋째가 먼저", "새 사진", "첫째"]
        assert not second.full.storage.exists(second.full.name)
        assert not TemporaryUpload.objects.exists()

    def test_an_edit_error_keeps_the_new_photo(self, logged_in, member):
        post = PostFactory(author=member, text="한 장", photos=1)
        photo = post.photos.get()

        response = logged_in.post(
            f"/posts/{post.pk}/edit/",
            {
                "text": "한 장",
                "existing_1": photo.pk,
                "alt_1": "사진 0",
                "photo_2": image_upload(),
                "alt_2": "",
            },
        )

        assert response.status_code == 400
        html = response.content.decode()
        assert photo.thumb.url in html
        assert TemporaryUpload.objects.get(owner=member).thumb.url in html
        assert post.photos.count() == 1

    def test_photos_sent_with_the_form_count_against_the_upload_limit(self, logged_in, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (1, 1800)}

        response = logged_in.post(
            "/posts/new/",
            {
                "text": "",
                "photo_1": image_upload(),
                "alt_1": "하나",
                "photo_2": image_upload(),
                "alt_2": "둘",
            },
        )

        assert response.status_code == 429
        assert not Post.objects.exists()
