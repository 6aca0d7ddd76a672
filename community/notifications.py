"""What community tells notifications (notifications/registry.py): how a notification names and
links its posts, comments and members, and which of them a viewer can still open (not deleted,
not hidden from them by moderators, and no block between them and the author or member)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from moderation.models import Block
from notifications.registry import register_target

from .models import Comment, Post


def not_blocked(viewer, member_field: str) -> Q:
    """Rows whose ``member_field`` neither blocked the viewer nor was blocked by them."""
    return ~Q(**{f"{member_field}__in": Block.objects.filter(blocker=viewer).values("blocked")}) & ~Q(
        **{f"{member_field}__in": Block.objects.filter(blocked=viewer).values("blocker")}
    )


def shown(viewer, *, owner_field: str, prefix: str = "") -> Q:
    """Not deleted, and not hidden by moderators unless the viewer owns it or moderates."""
    shown = Q(**{f"{prefix}deleted_at__isnull": True})
    if not viewer.has_perm("community.view_hidden_content"):
        shown &= Q(**{f"{prefix}is_hidden": False}) | Q(**{f"{prefix}{owner_field}": viewer.pk})
    return shown


def post_visible(viewer) -> Q:
    return shown(viewer, owner_field="author") & not_blocked(viewer, "author")


def comment_visible(viewer) -> Q:
    return (
        shown(viewer, owner_field="author")
        & shown(viewer, owner_field="author", prefix="post__")
        & not_blocked(viewer, "post__author")
    )


def comment_url(comment: Comment) -> str:
    return reverse("community:post_detail", args=[comment.post_id]) + f"#comment-{comment.pk}"


def member_visible(viewer) -> Q:
    return Q(is_active=True) & not_blocked(viewer, "pk")


register_target(Post, url=Post.get_absolute_url, visible=post_visible)
register_target(Comment, url=comment_url, visible=comment_visible)
# A new follower: the notification's target is the member who followed.
register_target(
    get_user_model(),
    url=lambda member: reverse("community:profile", args=[member.username]),
    visible=member_visible,
)
