"""Chat's part of a member's data export and deletion (see core/personal_data.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import ChatPreference, Message, RoomMember


def export(member, writer) -> None:
    writer.add_json(
        "chat_messages.json",
        list(
            Message.objects.filter(sender=member, deleted_at__isnull=True).values(
                "id", "room_id", "text", "created_at"
            )
        ),
    )
    # One read position per room: how far the member has read (the others see it as counts).
    writer.add_json(
        "chat_read_positions.json",
        list(RoomMember.objects.filter(member=member).values("room_id", "last_read_id", "joined_at")),
    )


def erase(erasure) -> None:
    """The member leaves every room (their read positions go with their seats); their messages are wiped, or kept under "former member"."""
    member = erasure.member
    RoomMember.objects.filter(member=member).delete()
    ChatPreference.objects.filter(member=member).delete()
    if erasure.delete_content:
        Message.objects.filter(sender=member).update(text="", deleted_at=timezone.now())


register(
    "chat",
    export=export,
    erase=erase,
    retained=[
        _(
            "Chat messages you sent, without your name, if you keep your posts: the others in the room still see them."
        )
    ],
)
