"""Walks' part of a member's data export and deletion (see core/personal_data.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from . import services
from .models import Walk, WalkParticipant, WalkStatus


def export(member, writer) -> None:
    writer.add_json(
        "walks.json",
        {
            "hosted": list(
                Walk.objects.filter(host=member).values(
                    "id",
                    "title",
                    "description_html",
                    "start_at",
                    "end_at",
                    "meeting_place",
                    "latitude",
                    "longitude",
                    "area",
                    "capacity",
                    "status",
                    "created_at",
                    "deleted_at",
                )
            ),
            "joined": list(
                WalkParticipant.objects.filter(member=member).values(
                    "walk_id", "walk__title", "walk__start_at", "joined_at", "removed_at"
                )
            ),
        },
    )


def erase(erasure) -> None:
    """Walks still to come are cancelled for those who joined; meeting places and points are wiped."""
    member = erasure.member
    now = timezone.now()
    for participation in WalkParticipant.objects.filter(
        member=member, removed_at__isnull=True, walk__start_at__gt=now
    ).exclude(walk__status=WalkStatus.CANCELLED):
        services.walk_leave(walk_id=participation.walk_id, member=member)
    WalkParticipant.objects.filter(member=member).delete()
    hosted = Walk.objects.filter(host=member)
    for walk_id in hosted.filter(deleted_at__isnull=True, start_at__gt=now).values_list("pk", flat=True):
        services.walk_delete_on_leaving(walk_id=walk_id, member=member)
    if erasure.delete_content:
        for walk in hosted:
            walk.delete()
    else:
        hosted.update(meeting_place="", latitude=None, longitude=None)


register(
    "walks",
    export=export,
    erase=erase,
    retained=[_("Past walks you hosted, without their meeting place or point, if you keep your posts.")],
)
