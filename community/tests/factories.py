from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from community import services
from community.models import Comment, Post


def image_upload(name="photo.png", size=(64, 48), color=(200, 120, 40), image_format="PNG", **save_options):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format, **save_options)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type[image_format])


class PostFactory(factory.django.DjangoModelFactory):
    """A post made the way members make them (hashtags and mentions parsed by the service)."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"오늘도 산책 {n}번째 #산책")

    @classmethod
    def _create(cls, model_class, *args, author, text, photos=0, **kwargs):
        uploads = [
            services.PhotoUpload(file=image_upload(f"p{i}.png"), alt_text=f"사진 {i}") for i in range(photos)
        ]
        post = services.post_create(author=author, text=text, photos=uploads)
        if kwargs:
            Post.objects.filter(pk=post.pk).update(**kwargs)
            post.refresh_from_db()
        return post


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = "귀여워요!"

    @classmethod
    def _create(cls, model_class, *args, post, author, text, parent=None, **kwargs):
        return services.comment_create(
            post_id=post.pk, author=author, text=text, parent_id=parent.pk if parent else None
        )
