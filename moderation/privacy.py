"""Moderation's part of a member's data export and deletion (see core/personal_data.py)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Action, Appeal, Block, Mute, Report


def export(member, writer) -> None:
    writer.add_json(
        "moderation.json",
        {
            "reports_filed": list(
                Report.objects.filter(reporter=member)
                .order_by("created_at", "pk")
                .values("case__content_type__model", "reason", "text", "created_at")
            ),
            "decisions_about_you": list(
                Action.objects.filter(member=member)
                .order_by("created_at", "pk")
                .values("kind", "reason", "until", "created_at")
            ),
            "appeals": list(
                Appeal.objects.filter(member=member).order_by("created_at", "pk").values("text", "created_at")
            ),
            "blocked": list(Block.objects.filter(blocker=member).values("blocked__username", "created_at")),
            "muted": list(Mute.objects.filter(muter=member).values("muted__username", "created_at")),
        },
    )


def erase(erasure) -> None:
    """Blocks and mutes go both ways; reports, decisions and appeals stay as moderation records,
    under the anonymous account."""
    member = erasure.member
    Block.objects.filter(Q(blocker=member) | Q(blocked=member)).delete()
    Mute.objects.filter(Q(muter=member) | Q(muted=member)).delete()


register(
    "moderation",
    export=export,
    erase=erase,
    retained=[
        _(
            "Moderation records — reports you filed, moderators' decisions about you and your "
            "appeals — without your name, as the evidence moderators must keep."
        )
    ],
)
