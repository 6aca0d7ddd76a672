"""Reads shared by other apps (block/mute filters, suspensions) and by the review queue."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from . import registry
from .models import MEMBER_FACING, Action, Block, Case, CaseStatus, Mute


def blocked_either_way(*, viewer, author_ref: str = "author") -> Exists:
    """True when the viewer and the row's member (``author_ref``) blocked one another."""
    author = OuterRef(author_ref)
    return Exists(Block.objects.filter(Q(blocker=viewer, blocked=author) | Q(blocker=author, blocked=viewer)))


def suspended(*, member_ref: str = "pk", now: datetime | None = None) -> Exists:
    """True when the row's member (``member_ref``) is under a suspension in force."""
    return Exists(Action.objects.suspensions_in_force(now).filter(member=OuterRef(member_ref)))


def hidden_from(*, viewer, author_ref: str = "author"):
    """True when the viewer does not see the row's member's posts and comments: blocked either
    way, or muted."""
    muted = Exists(Mute.objects.filter(muter=viewer, muted=OuterRef(author_ref)))
    return blocked_either_way(viewer=viewer, author_ref=author_ref) | muted


def without_blocked_and_muted(queryset: QuerySet, *, viewer, author_ref: str = "author") -> QuerySet:
    """Drops rows by members the viewer blocked, muted or was blocked by, in the same query."""
    if not viewer.is_authenticated:
        return queryset
    muted = Exists(Mute.objects.filter(muter=viewer, muted=OuterRef(author_ref)))
    return queryset.exclude(blocked_either_way(viewer=viewer, author_ref=author_ref)).exclude(muted)


def is_blocked(*, member_id: int, other_id: int) -> bool:
    """Whether either member blocked the other."""
    return Block.objects.filter(
        Q(blocker_id=member_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=member_id)
    ).exists()


def blocked_among(*, member_id: int, other_ids: Iterable[int]) -> set[int]:
    """Those of ``other_ids`` who blocked the member or were blocked by them."""
    other_ids = list(other_ids)
    rows = Block.objects.filter(
        Q(blocker_id=member_id, blocked_id__in=other_ids) | Q(blocked_id=member_id, blocker_id__in=other_ids)
    ).values_list("blocker_id", "blocked_id")
    return {blocked if blocker == member_id else blocker for blocker, blocked in rows}


def blocks(*, member, other) -> bool:
    return Block.objects.filter(blocker=member, blocked=other).exists()


def mutes(*, member, other) -> bool:
    return Mute.objects.filter(muter=member, muted=other).exists()


def suspension(*, member, now: datetime | None = None) -> Action | None:
    """The member's suspension in force that ends last, if any."""
    if not member.is_authenticated:
        return None
    return Action.objects.suspensions_in_force(now).filter(member=member).order_by("-until").first()


def member_notices(*, member) -> QuerySet[Action]:
    """What moderators did about the member, with the reason, newest first."""
    return (
        Action.objects.filter(member=member, kind__in=MEMBER_FACING)
        .select_related("case__content_type", "appeal")
        .order_by("-created_at", "-id")
    )


def queue(*, status: str | None = CaseStatus.OPEN) -> QuerySet[Case]:
    cases = Case.objects.select_related("content_type", "member")
    return cases.filter(status=status) if status else cases


def dashboard_counts(*, now: datetime | None = None) -> dict[str, int]:
    """Open cases, and the members and posts (the reportable "post", community/moderation.py) new today."""
    today = timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    posts = registry.get("post").model._default_manager
    return {
        "open_cases": Case.objects.filter(status=CaseStatus.OPEN).count(),
        "new_members": get_user_model().objects.filter(date_joined__gte=today).count(),
        "posts": posts.filter(created_at__gte=today, deleted_at__isnull=True).count(),
    }
