import pytest

from community.models import Comment, Follow, Like, Post
from community.tests.factories import CommentFactory, PostFactory, image_upload
from notifications.models import Notification


@pytest.mark.django_db
class TestPostApi:
    def test_create_with_photos_and_read_back(self, member_api_client, member):
        response = member_api_client.post(
            "/api/posts/",
            {
                "text": "#산책 최고 <b>굵게</b>",
                "photos": [image_upload("a.png"), image_upload("b.jpg", image_format="JPEG")],
                "alt_texts": ["공원", "간식"],
            },
            format="multipart",
        )

        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["author"]["username"] == "dubu"
        assert body["text"] == "#산책 최고 <b>굵게</b>"
        assert "&lt;b&gt;" in body["text_html"]
        assert [p["alt_text"] for p in body["photos"]] == ["공원", "간식"]
        assert all(p["thumb_url"].endswith(".webp") for p in body["photos"])
        assert Post.objects.get().author == member

    def test_author_in_the_body_is_ignored(self, member_api_client, member, other_member):
        response = member_api_client.post(
            "/api/posts/", {"text": "내 글", "author": other_member.pk}, format="json"
        )

        assert response.status_code == 201
        assert Post.objects.get().author == member

    def test_photos_without_matching_alt_texts_are_refused(self, member_api_client):
        response = member_api_client.post(
            "/api/posts/", {"text": "사진", "photos": [image_upload()], "alt_texts": []}, format="multipart"
        )

        assert response.status_code == 400
        assert "alt_texts" in response.json()
        assert not Post.objects.exists()

    def test_a_photo_may_go_without_a_description_given_as_an_empty_one(self, member_api_client):
        response = member_api_client.post(
            "/api/posts/",
            {"text": "사진", "photos": [image_upload(), image_upload("b.png")], "alt_texts": ["", "간식"]},
            format="multipart",
        )

        assert response.status_code == 201
        assert [p["alt_text"] for p in response.json()["photos"]] == ["", "간식"]

    def test_non_image_upload_is_a_clear_400(self, member_api_client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("cat.png", b"<?php echo 1; ?>", content_type="image/png")
        response = member_api_client.post(
            "/api/posts/", {"text": "사진", "photos": [fake], "alt_texts": ["고양이"]}, format="multipart"
        )

        assert response.status_code == 400
        assert "photos" in response.json()
        assert not Post.objects.exists()

    def test_anonymous_callers_cannot_post(self, api_client):
        assert api_client.post("/api/posts/", {"text": "익명"}, format="json").status_code == 401
        assert not Post.objects.exists()

    def test_other_member_cannot_edit_or_delete(self, member_api_client, other_member):
        post = PostFactory(author=other_member, text="남의 글")

        edit = member_api_client.patch(f"/api/posts/{post.pk}/", {"text": "해킹"}, format="json")
        delete = member_api_client.delete(f"/api/posts/{post.pk}/")

        assert edit.status_code == 403
        assert delete.status_code == 403
        post.refresh_from_db()
        assert (post.text, post.deleted_at) == ("남의 글", None)

    def test_author_edits_and_deletes(self, member_api_client, member):
        post = PostFactory(author=member, text="처음")

        edited = member_api_client.patch(f"/api/posts/{post.pk}/", {"text": "고침 #간식"}, format="json")
        assert edited.status_code == 200
        assert edited.json()["edited_at"] is not None

        assert member_api_client.delete(f"/api/posts/{post.pk}/").status_code == 204
        assert member_api_client.get(f"/api/posts/{post.pk}/").status_code == 404

    def test_hidden_post_is_404_for_others_and_marked_for_its_author(
        self, member_api_client, member, other_member
    ):
        mine = PostFactory(author=member, is_hidden=True, hidden_reason="광고")
        theirs = PostFactory(author=other_member, is_hidden=True)

        assert member_api_client.get(f"/api/posts/{theirs.pk}/").status_code == 404
        body = member_api_client.get(f"/api/posts/{mine.pk}/").json()
        assert (body["is_hidden"], body["hidden_reason"]) == (True, "광고")

    def test_list_filters_are_allow_listed(self, member_api_client, member, other_member):
        PostFactory(author=member, text="#산책 하나")
        PostFactory(author=other_member, text="#간식 둘")

        by_author = member_api_client.get("/api/posts/", {"author": "KONGI"}).json()["results"]
        by_tag = member_api_client.get("/api/posts/", {"hashtag": "#산책"}).json()["results"]
        ignored = member_api_client.get("/api/posts/", {"author__password__startswith": "md5"}).json()[
            "results"
        ]

        assert [p["text"] for p in by_author] == ["#간식 둘"]
        assert [p["text"] for p in by_tag] == ["#산책 하나"]
        assert len(ignored) == 2

    def test_page_size_is_capped(self, member_api_client, member):
        for n in range(3):
            PostFactory(author=member, text=f"글 {n}")

        response = member_api_client.get("/api/posts/", {"page_size": 1000})

        assert response.status_code == 200
        assert len(response.json()["results"]) == 3

    def test_invalid_cursor_is_404(self, member_api_client):
        assert member_api_client.get("/api/posts/", {"cursor": "garbage"}).status_code == 404


@pytest.mark.django_db
class TestFeedsApi:
    def test_following_feed_shows_followed_members_and_me(self, member_api_client, member, other_member):
        stranger_post = PostFactory(text="모르는 사람")
        followed_post = PostFactory(author=other_member, text="팔로우한 사람")
        my_post = PostFactory(author=member, text="내 글")
        Follow.objects.create(follower=member, following=other_member)

        texts = [p["text"] for p in member_api_client.get("/api/feed/following/").json()["results"]]

        assert texts == [my_post.text, followed_post.text]
        assert stranger_post.text not in texts

    def test_popular_feed_orders_by_likes_this_week(self, member_api_client, member):
        from datetime import timedelta

        from django.utils import timezone

        quiet = PostFactory(text="조용한 글")
        loved = PostFactory(text="인기 글", like_count=5)
        PostFactory(text="지난주 글", like_count=50, created_at=timezone.now() - timedelta(days=8))

        texts = [p["text"] for p in member_api_client.get("/api/feed/popular/").json()["results"]]

        assert texts == [loved.text, quiet.text]

    def test_unknown_feed_is_404(self, member_api_client):
        assert member_api_client.get("/api/feed/secret/").status_code == 404

    def test_feed_pages_with_a_cursor(self, member_api_client, member):
        for n in range(5):
            PostFactory(author=member, text=f"글 {n}")

        first = member_api_client.get("/api/feed/latest/", {"page_size": 2}).json()
        second = member_api_client.get(first["next"]).json()

        assert [p["text"] for p in first["results"]] == ["글 4", "글 3"]
        assert [p["text"] for p in second["results"]] == ["글 2", "글 1"]


@pytest.mark.django_db
class TestInteractionsApi:
    def test_like_and_unlike(self, member_api_client, other_member):
        post = PostFactory(author=other_member)

        liked = member_api_client.post(f"/api/posts/{post.pk}/like/")
        again = member_api_client.post(f"/api/posts/{post.pk}/like/")
        unliked = member_api_client.delete(f"/api/posts/{post.pk}/like/")

        assert liked.json() == {"liked": True, "like_count": 1}
        assert again.json() == {"liked": True, "like_count": 1}
        assert unliked.json() == {"liked": False, "like_count": 0}

    def test_like_on_a_missing_post_is_404(self, member_api_client):
        assert member_api_client.post("/api/posts/999999/like/").status_code == 404
        assert not Like.objects.exists()

    def test_comment_thread_and_replies(self, member_api_client, member, other_member):
        post = PostFactory(author=other_member)
        top = member_api_client.post(
            f"/api/posts/{post.pk}/comments/", {"text": "첫 댓글"}, format="json"
        ).json()
        member_api_client.post(
            f"/api/posts/{post.pk}/comments/", {"text": "답글", "parent": top["id"]}, format="json"
        )

        thread = member_api_client.get(f"/api/posts/{post.pk}/comments/").json()

        assert [c["text"] for c in thread] == ["첫 댓글"]
        assert [r["text"] for r in thread[0]["replies"]] == ["답글"]

    def test_other_member_cannot_edit_or_delete_a_comment(self, member_api_client, other_member):
        comment = CommentFactory(author=other_member, text="남의 댓글")

        assert (
            member_api_client.patch(f"/api/comments/{comment.pk}/", {"text": "x"}, format="json").status_code
            == 403
        )
        assert member_api_client.delete(f"/api/comments/{comment.pk}/").status_code == 403
        comment.refresh_from_db()
        assert (comment.text, comment.deleted_at) == ("남의 댓글", None)

    def test_empty_comment_is_400(self, member_api_client, other_member):
        post = PostFactory(author=other_member)

        response = member_api_client.post(f"/api/posts/{post.pk}/comments/", {"text": "  "}, format="json")

        assert response.status_code == 400
        assert not Comment.objects.exists()

    def test_follow_unfollow_and_profile(self, member_api_client, member, other_member):
        assert member_api_client.post("/api/members/kongi/follow/").json() == {"following": True}
        profile = member_api_client.get("/api/members/kongi/").json()
        assert (profile["follower_count"], profile["followed_by_me"]) == (1, True)

        assert member_api_client.delete("/api/members/kongi/follow/").json() == {"following": False}
        assert not Follow.objects.exists()

    def test_self_follow_is_400(self, member_api_client):
        response = member_api_client.post("/api/members/dubu/follow/")

        assert response.status_code == 400
        assert not Follow.objects.exists()

    def test_notifications_list_and_mark_read(self, member_api_client, member, other_member):
        post = PostFactory(author=member)
        CommentFactory(post=post, author=other_member)
        Follow.objects.create(follower=other_member, following=member)

        notes = member_api_client.get("/api/notifications/").json()["results"]
        assert [n["kind"] for n in notes] == ["comment"]

        marked = member_api_client.post(
            "/api/notifications/mark-read/", {"ids": [notes[0]["id"]]}, format="json"
        )
        assert marked.json() == {"marked": 1}
        assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()

    def test_the_list_leaves_out_kinds_off_on_the_site(self, member_api_client, member, other_member):
        from community import services
        from notifications import services as notification_services

        notification_services.settings_update(
            member=member, choices={"comments": {"on_site": False, "by_email": True}}
        )
        CommentFactory(post=PostFactory(author=member), author=other_member)
        services.follow_add(follower=other_member, following=member)

        notes = member_api_client.get("/api/notifications/").json()["results"]

        assert [n["kind"] for n in notes] == ["follow"]

    def test_marking_someone_elses_notifications_changes_nothing(
        self, member_api_client, member, other_member
    ):
        theirs = CommentFactory(post=PostFactory(author=other_member), author=member)
        note = Notification.objects.for_target(theirs).get(recipient=other_member)

        response = member_api_client.post("/api/notifications/mark-read/", {"ids": [note.pk]}, format="json")

        assert response.json() == {"marked": 0}
        note.refresh_from_db()
        assert note.read_at is None
