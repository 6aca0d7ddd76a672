from django.core.files.base import ContentFile
from django.utils import timezone

from community import selectors, services
from community.serializers import PostOutputSerializer
from community.tests.factories import image_upload
from pets.tests.factories import PetFactory


class TestPostOutput:
    def test_a_post_shows_its_author_photos_pets_and_the_viewers_like(
        self, member, other_member, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        member.avatar.save("avatar.webp", ContentFile(image_upload().read()), save=True)
        pet = PetFactory(owner=member, name="두부")
        photos = [
            services.PhotoUpload(image_upload("a.png"), "공원"),
            services.PhotoUpload(image_upload("b.jpg", image_format="JPEG"), "간식 <b>"),
        ]
        tagged = services.post_create(
            author=member,
            text="#산책 with @nobody https://example.com <script>",
            photos=photos,
            pets=[pet.pk],
        )
        services.like_add(post_id=tagged.pk, member=other_member)
        plain = services.post_create(author=member, text="그냥 글")
        type(plain).objects.filter(pk=plain.pk).update(
            edited_at=timezone.now(), is_hidden=True, hidden_reason="스팸"
        )

        posts = list(selectors.feed_posts(viewer=other_member, feed=selectors.Feed.LATEST)) + list(
            selectors.feed_posts(viewer=member, feed=selectors.Feed.LATEST)
        )

        assert len(posts) == 3, "the hidden post shows to its author only"
        shown = PostOutputSerializer(posts[0]).data
        assert set(shown) == {
            "id", "author", "text", "text_html", "photos", "pets", "like_count", "comment_count",
            "liked_by_me", "is_hidden", "hidden_reason", "created_at", "edited_at", "url",
        }  # fmt: skip
        assert shown["id"] == tagged.pk
        assert shown["url"] == f"/posts/{tagged.pk}/"
        assert shown["liked_by_me"] is True
        assert shown["like_count"] == 1
        assert shown["author"]["username"] == member.username
        assert shown["author"]["avatar_url"].endswith(".webp")
        assert "&lt;script&gt;" in shown["text_html"]
        assert 'href="/tags/' in shown["text_html"]
        assert [photo["alt_text"] for photo in shown["photos"]] == ["공원", "간식 <b>"]
        assert all(photo["thumb_url"] and photo["display_url"] for photo in shown["photos"])
        assert shown["pets"] == [
            {"id": pet.pk, "name": "두부", "species": pet.species, "url": f"/pets/{pet.pk}/"}
        ]
        assert shown["edited_at"] is None
        hidden = PostOutputSerializer(posts[1]).data
        assert hidden["is_hidden"] is True
        assert hidden["hidden_reason"] == "스팸"
        assert hidden["edited_at"] is not None
        assert hidden["liked_by_me"] is False
        assert hidden["photos"] == []
        assert hidden["pets"] == []
