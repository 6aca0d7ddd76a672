"""Chat messages in the moderators' review queue (moderation/registry.py)."""

from django.db import transaction

from moderation.registry import register, soft_delete

from . import realtime
from .models import Message


def _delete(message: Message) -> None:
    """Chat has no "hidden": the message becomes a tombstone in every open room view."""
    soft_delete(message)
    transaction.on_commit(lambda: realtime.broadcast_deleted(message.room_id, message.pk), robust=True)


register(
    "chat_message",
    Message,
    author_field="sender",
    text=lambda message: message.text,
    visible_to=lambda viewer: Message.objects.filter(
        deleted_at__isnull=True, room__memberships__member=viewer
    ),
    hide=lambda message, reason: _delete(message),
    delete=_delete,
)
