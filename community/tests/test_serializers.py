from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework import serializers

from community import selectors, services
from community.serializers import PostOutputSerializer
from community.tests.factories import image_upload
from pets.tests.factories import PetFactory


def drf_fields(post) -> dict:
    """What DRF's declared fields give for the post, without the hand-built fast path."""
    return dict(serializers.Serializer.to_representation(PostOutputSerializer(), post))


class TestPostOutput:
    def test_the_hand_built_post_equals_the_declared_fields(self, member, other_member, settings, tmp_path):
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
        for post in posts:
            assert PostOutputSerializer(post).data == drf_fields(post)
        shown = PostOutputSerializer(posts[0]).data
        assert shown["liked_by_me"] is True
        assert shown["pets"][0]["name"] == "두부"
        assert shown["author"]["avatar_url"]
        assert len(shown["photos"]) == 2
        assert PostOutputSerializer(posts[1]).data["is_hidden"] is True
