"""Walks in the moderators' review queue (moderation/registry.py)."""

from moderation.registry import register, soft_delete

from . import chat_bridge
from .models import Walk


def _delete(walk: Walk) -> None:
    """A deleted walk's chat room closes with it."""
    soft_delete(walk)
    chat_bridge.close_walk_room(walk_id=walk.pk)


register(
    "walk",
    Walk,
    author_field="host",
    text=lambda walk: f"{walk.title}\n{walk.description_text}",
    url=lambda walk: walk.get_absolute_url(),
    visible_to=lambda viewer: Walk.objects.visible_to(viewer),
    delete=_delete,
)
