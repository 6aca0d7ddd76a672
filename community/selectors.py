"""Reads shared by pages and the API, with their joins and annotations applied."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import staff_filter
from core.pagination import paginate
from moderation import selectors as moderation_selectors
from moderation.models import Block, Mute
from pets.models import Pet

from .activities import activities
from .models import (
    PREFETCHED_PETS,
    PREFETCHED_PHOTOS,
    Comment,
    Follow,
    Hashtag,
    Post,
    PostDraft,
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


def _follow_rows(*, viewer, member, person: str):
    """Follow rows of ``member`` whose other side (``person``) is an active member the viewer sees,
    with ``followed_by_viewer`` for their follow buttons."""
    rows = (
        Follow.objects.filter(**{f"{person}__is_active": True})
        .select_related(person)
        .order_by("-created_at", "-id")
    )
    rows = moderation_selectors.without_blocked_and_muted(rows, viewer=viewer, author_ref=person)
    if viewer.is_authenticated:
        rows = rows.annotate(
            followed_by_viewer=Exists(Follow.objects.filter(follower=viewer, following=OuterRef(person)))
        )
    else:
        rows = rows.annotate(followed_by_viewer=Value(False))
    return rows


def member_followers(*, viewer, member):
    """Who follows ``member``, newest first (``Follow`` rows; the person is ``follower``)."""
    return _follow_rows(viewer=viewer, member=member, person="follower").filter(following=member)


def member_following(*, viewer, member):
    """Whom ``member`` follows, newest first (``Follow`` rows; the person is ``following``)."""
    return _follow_rows(viewer=viewer, member=member, person="following").filter(follower=member)


SUGGESTION_ACTIVITY_WINDOW = timedelta(days=30)
SUGGESTION_POOL = 200  # the most recent of each kind of candidate, before ranking


def first_run(*, member) -> dict[str, bool]:
    """What a new member has done of the first steps (a pet, a post, and each activity of the apps
    above: a walk) and whether they follow anyone yet, in one query. The home page shows the
    first-run card and suggestions until ``follows_anyone``."""
    steps = {
        activity.step: ExpressionWrapper(activity.took_part(), output_field=BooleanField())
        for activity in activities()
    }
    row = (
        User.objects.filter(pk=member.pk)
        .annotate(
            has_pet=Exists(Pet.objects.not_deleted().filter(owner=OuterRef("pk"))),
            has_post=Exists(Post.objects.not_deleted().filter(author=OuterRef("pk"))),
            **steps,
            follows_anyone=Exists(Follow.objects.filter(follower=OuterRef("pk"))),
        )
        .values("has_pet", "has_post", *steps, "follows_anyone")
        .first()
    )
    return row or dict.fromkeys(["has_pet", "has_post", *steps, "follows_anyone"], False)


def members_to_follow(*, viewer, limit: int = 5) -> list:
    """Members a new member might follow, in two queries: active members (posted in the last 30
    days), members with a pet of the same breed as one of the viewer's, and members near the viewer
    through an activity of the apps above (walks in the regions whose walks the viewer hosted or
    joined); best matches first. Never the viewer, members they follow already, members blocked
    either way or muted, former or inactive members, or staff.

    Each carries ``shared_breed`` (the breed in common, or None), each activity's ``nearby``
    (``same_region``) and ``recent_posts``."""
    since = timezone.now() - SUGGESTION_ACTIVITY_WINDOW
    viewer_breeds = Pet.objects.not_deleted().filter(owner=viewer).exclude(breed="").values("breed")
    shared_breed = (
        Pet.objects.not_deleted()
        .filter(owner=OuterRef("pk"), breed__in=viewer_breeds)
        .order_by("created_at", "id")
        .values("breed")[:1]
    )
    nearby = {
        activity.nearby: ExpressionWrapper(activity.near(viewer), output_field=BooleanField())
        for activity in activities()
    }
    recent = Post.objects.filter(deleted_at__isnull=True, is_hidden=False, created_at__gte=since)
    recent_posts = _count(recent, "author")
    blocked = Block.objects.filter(
        Q(blocker=viewer, blocked=OuterRef("pk")) | Q(blocker=OuterRef("pk"), blocked=viewer)
    )
    # A bounded pool first, in a query of its own (each part LIMITed on an index): ranked in the
    # same query, PostgreSQL would expect the whole member table and spend seconds on JIT.
    candidates = Q(pk__in=recent.order_by("-created_at").values("author")[:SUGGESTION_POOL]) | Q(
        pk__in=Pet.objects.not_deleted()
        .filter(breed__in=viewer_breeds)
        .order_by("-created_at")
        .values("owner")[:SUGGESTION_POOL]
    )
    for activity in activities():
        for members in activity.candidates(viewer, SUGGESTION_POOL):
            candidates |= Q(pk__in=members)
    pool = set(User.objects.filter(candidates).values_list("pk", flat=True))
    pool.discard(viewer.pk)
    if not pool:
        return []
    staff = User.objects.filter(staff_filter()).filter(pk=OuterRef("pk"))
    reasons = Q(shared_breed__isnull=False) | Q(recent_posts__gt=0)
    match = Case(When(shared_breed__isnull=False, then=Value(2)), default=Value(0))
    for name in nearby:
        reasons |= Q(**{name: True})
        match += Case(When(**{name: True}, then=Value(2)), default=Value(0))
    members = (
        User.objects.filter(pk__in=sorted(pool), is_active=True)
        .exclude(pk=viewer.pk)
        .exclude(Exists(staff))
        .exclude(Exists(Follow.objects.filter(follower=viewer, following=OuterRef("pk"))))
        .exclude(Exists(blocked))
        .exclude(Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))))
        .annotate(
            shared_breed=Subquery(shared_breed),
            **nearby,
            recent_posts=recent_posts,
            followed_by_viewer=Value(False),
        )
        .filter(reasons)
        .annotate(match=match)
        .order_by("-match", "-recent_posts", "-date_joined", "-pk")[:limit]
    )
    return list(members)


def post_draft(*, member) -> PostDraft | None:
    """The member's unfinished post, if they have one."""
    return PostDraft.objects.filter(member=member).first()


def home_feed(*, request, feed: str) -> dict:
    """The home page's feed tabs, one cursor page of the chosen feed; anonymous visitors see the
    latest posts.

    A member who follows nobody yet (a new member, after sign-up and e-mail verification) gets the
    first-run card with their first steps and members to follow, above the latest posts."""
    viewer = request.user
    first_run_card = None
    if viewer.is_authenticated:
        state = first_run(member=viewer)
        if not state["follows_anyone"]:
            first_run_card = {**state, "suggestions": list(members_to_follow(viewer=viewer))}
    if feed not in Feed.ALL or (feed == Feed.FOLLOWING and not viewer.is_authenticated):
        following_first = viewer.is_authenticated and first_run_card is None
        feed = Feed.FOLLOWING if following_first else Feed.LATEST
    items, next_link = paginate(request, feed_posts(viewer=viewer, feed=feed, with_pets=False))
    return {"feed": feed, "posts": items, "next_link": next_link, "first_run": first_run_card}
