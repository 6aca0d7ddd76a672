import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import Comment, Follow, Like, Notification, Post
from community.tests.factories import CommentFactory, PostFactory, image_upload
from core import services as core_services
from core.models import TemporaryUpload


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

    def test_photo_without_description_is_refused_with_the_form_kept(self, logged_in):
        response = logged_in.post("/posts/new/", {"text": "사진", "photo_1": image_upload(), "alt_1": ""})

        assert response.status_code == 400
        assert 'id="id_alt_1_error"' in response.content.decode()
        assert not Post.objects.exists()

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

        logged_in.post(f"/posts/{post.pk}/delete/")
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
        assert followed.json() == {"following": True, "follower_count": 1}
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

    def test_other_member_cannot_delete_my_comment(self, client, member, other_member):
        comment = CommentFactory(author=member)
        client.force_login(other_member)

        assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
        comment.refresh_from_db()
        assert comment.deleted_at is None

    def test_nav_badge_counts_unread_and_reading_clears_it(self, logged_in, member, other_member):
        CommentFactory(post=PostFactory(author=member), author=other_member)

        html = logged_in.get("/").content.decode()
        assert 'data-role="unread-badge">1<' in html
        page = logged_in.get("/notifications/").content.decode()
        assert "콩이아빠" in page

        logged_in.post("/notifications/read/")
        assert 'data-role="unread-badge"' not in logged_in.get("/").content.decode()
        assert not Notification.objects.filter(read_at__isnull=True).exists()

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
        assert 'id="id_alt_2_error"' in html
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
