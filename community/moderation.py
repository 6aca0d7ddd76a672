"""Posts (with their photos) and comments in the moderators' review queue
(moderation/registry.py), and the follows a block ends."""

from django.db.models import Q
from django.urls import reverse

from moderation.registry import on_block, register

from .models import Comment, Follow, Post


def _end_follows(*, member, other) -> None:
    """Follows end both ways and cannot be made again while the block holds."""
    Follow.objects.filter(Q(follower=member, following=other) | Q(follower=other, following=member)).delete()


register(
    "post",
    Post,
    text=lambda post: post.text,
    url=lambda post: reverse("community:post_detail", args=[post.pk]),
    visible_to=lambda viewer: Post.objects.visible_to(viewer),
    photos=lambda post: [(photo.thumb.url, photo.alt_text) for photo in post.photos.all()],
    prefetch=("photos",),
)
register(
    "comment",
    Comment,
    text=lambda comment: comment.text,
    url=lambda comment: reverse("community:post_detail", args=[comment.post_id]) + f"#comment-{comment.pk}",
    visible_to=lambda viewer: Comment.objects.visible_to(viewer).filter(post__deleted_at__isnull=True),
)
on_block(_end_follows)
