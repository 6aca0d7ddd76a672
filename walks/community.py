"""Walks as something members do together (community/activities.py): hosting or joining one is a
first-run step, and members who walk in the regions where the viewer walked are suggested."""

from django.db.models import Exists, OuterRef, Q

from community.activities import Activity, register

from .models import Walk, WalkParticipant


def _took_part():
    return Exists(WalkParticipant.objects.filter(member=OuterRef("pk"), removed_at__isnull=True)) | Exists(
        Walk.objects.not_deleted().filter(host=OuterRef("pk"))
    )


def _region_walks(viewer):
    """Walks in the regions whose walks the viewer hosted or joined."""
    joined = WalkParticipant.objects.filter(member=viewer, removed_at__isnull=True).values(
        "walk__board__region"
    )
    hosted = Walk.objects.not_deleted().filter(host=viewer).values("board__region")
    return Walk.objects.not_deleted().filter(Q(board__region__in=joined) | Q(board__region__in=hosted))


def _near(viewer):
    region_walks = _region_walks(viewer)
    return Exists(region_walks.filter(host=OuterRef("pk"))) | Exists(
        WalkParticipant.objects.filter(
            member=OuterRef("pk"), removed_at__isnull=True, walk__in=region_walks.values("pk")
        )
    )


def _candidates(viewer, limit: int):
    region_walks = _region_walks(viewer)
    participants = WalkParticipant.objects.filter(removed_at__isnull=True, walk__in=region_walks.values("pk"))
    return [
        region_walks.order_by("-start_at").values("host")[:limit],
        participants.order_by("-joined_at").values("member")[:limit],
    ]


register(
    Activity(step="has_walk", took_part=_took_part, nearby="same_region", near=_near, candidates=_candidates)
)
