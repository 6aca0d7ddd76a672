"""Reads shared by pages and the API, with their joins and annotations applied."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from moderation import selectors as moderation_selectors
from moderation.models import Block, Mute
from notifications.selectors import shown_on_site
from pets.models import Pet

from .models import (
    PREFETCHED_PETS,
    PREFETCHED_PHOTOS,
    Comment,
    Follow,
    Hashtag,
    Notification,
    Post,
    PostPhoto,
)

User = get_user_model()
POPULAR_WINDOW = timedelta(days=7)


class Feed:
    FOLLOWING = "following"
    LATEST = "latest"
    POPULAR = "popular"
    ALL = (FOLLOWING, LATEST, POPULAR)


def post_list(*, viewer, with_pets: bool = True):
    """Posts as lists show them: author, photos, tagged pets and the viewer's like in fixed queries
    (photos and pets as ``Post.photo_list`` and ``Post.tagged_pet_list``).
    Posts by members the viewer blocked, muted or was blocked by are left out (subqueries).
    Post cards on pages do not show tagged pets: they skip that query (``with_pets=False``)."""
    visible = moderation_selectors.without_blocked_and_muted(Post.objects.visible_to(viewer), viewer=viewer)
    posts = (
        visible.with_viewer_state(viewer)
        .annotate(shown_comment_count=_shown_comment_count(viewer))
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "photos", queryset=PostPhoto.objects.order_by("position", "id"), to_attr=PREFETCHED_PHOTOS
            )
        )
    )
    if with_pets:
        posts = posts.prefetch_related(
            Prefetch(
                "pets",
                queryset=Pet.objects.not_deleted().order_by("created_at", "id"),
                to_attr=PREFETCHED_PETS,
            )
        )
    return posts


def _shown_comment_count(viewer):
    """The post's comment count less the comments the viewer does not see (by members blocked
    either way, or muted), so the number matches the thread; for visitors, the stored count."""
    if not viewer.is_authenticated:
        return F("comment_count")
    unseen = Comment.objects.filter(post=OuterRef("pk"), deleted_at__isnull=True).filter(
        moderation_selectors.hidden_from(viewer=viewer)
    )
    return F("comment_count") - _count_subquery(unseen, "post")


def feed_posts(*, viewer, feed: str, with_pets: bool = True):
    posts = post_list(viewer=viewer, with_pets=with_pets)
    if feed == Feed.FOLLOWING:
        followed = Follow.objects.filter(follower=viewer, following=OuterRef("author"))
        return posts.filter(Q(author=viewer) | Q(Exists(followed))).order_by("-created_at", "-id")
    if feed == Feed.POPULAR:
        since = timezone.now() - POPULAR_WINDOW
        return posts.filter(created_at__gte=since).order_by("-like_count", "-created_at", "-id")
    return posts.order_by("-created_at", "-id")


def member_posts(*, viewer, member, with_pets: bool = True):
    return post_list(viewer=viewer, with_pets=with_pets).filter(author=member).order_by("-created_at", "-id")


def hashtag_posts(*, viewer, hashtag: Hashtag, with_pets: bool = True):
    return (
        post_list(viewer=viewer, with_pets=with_pets).filter(hashtags=hashtag).order_by("-created_at", "-id")
    )


def post_detail(*, viewer, post_id: int) -> Post:
    return post_list(viewer=viewer).get(pk=post_id)


def post_comments(*, viewer, post: Post):
    """Top-level comments with their replies and authors, oldest first."""
    visible = moderation_selectors.without_blocked_and_muted(
        Comment.objects.visible_to(viewer), viewer=viewer
    ).select_related("author")
    return visible.filter(post=post, parent__isnull=True).prefetch_related(
        Prefetch("replies", queryset=visible.order_by("created_at", "id"), to_attr="visible_replies")
    )


def _count_subquery(queryset, group_field: str) -> Coalesce:
    """COUNT(*) of ``queryset`` (all rows share ``group_field``) as a scalar subquery."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def _count(queryset, field: str):
    """A correlated COUNT subquery (joins would multiply the three counts together)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def member_profile(*, viewer, username: str):
    """A member with their counts and whether the viewer follows them, in one query."""
    post_count = _count(Post.objects.filter(deleted_at__isnull=True, is_hidden=False), "author")
    if viewer.is_authenticated:
        # The profile lists none of their posts to this viewer: the count says so too.
        post_count = Case(
            When(moderation_selectors.hidden_from(viewer=viewer, author_ref="pk"), then=Value(0)),
            default=post_count,
        )
    members = User.objects.filter(is_active=True).annotate(
        post_count=post_count,
        follower_count=_count(Follow.objects.all(), "following"),
        following_count=_count(Follow.objects.all(), "follower"),
    )
    if viewer.is_authenticated:
        members = members.annotate(
            followed_by_viewer=Exists(Follow.objects.filter(follower=viewer, following=OuterRef("pk"))),
            blocked_by_viewer=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
            muted_by_viewer=Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
        )
    return members.get(username__iexact=username)


def notification_list(*, member):
    """The member's notifications of the kinds they want on the site, with what each line shows."""
    return shown_on_site(Notification.objects.filter(recipient=member), member=member).select_related(
        "actor", "post", "comment", "walk__board", "worldcup_event", "worldcup_entry"
    )


def unread_notification_count_expression(*, member) -> Coalesce:
    """The number on the nav's notifications link, as an expression (see ``nav_badges``)."""
    unread = shown_on_site(Notification.objects.filter(recipient=member, read_at__isnull=True), member=member)
    return _count_subquery(unread, "recipient")
