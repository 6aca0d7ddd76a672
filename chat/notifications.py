"""What chat tells notifications (notifications/registry.py): the push for a new message, and the
unread messages the e-mail digest counts."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Topic
from notifications.registry import register_digest, register_push

from . import presence, selectors
from .models import Message, RoomMember

CHAT_PREVIEW_LENGTH = 100


def _others(message_id: int):
    """Ids of the room's members other than the sender (a subquery)."""
    message = Message.objects.filter(pk=message_id)
    return (
        RoomMember.objects.filter(room_id=message.values("room_id")[:1])
        .exclude(member_id=message.values("sender_id")[:1])
        .values("member_id")
    )


def message_push(message_id: int):
    """The room's members who have no socket open to it, and what their devices show."""
    message = Message.objects.select_related("sender", "room").filter(pk=message_id).first()
    if message is None or message.is_deleted:
        return None
    room = message.room
    member_ids = set(
        RoomMember.objects.filter(room=room)
        .exclude(member_id=message.sender_id)
        .values_list("member_id", flat=True)
    )
    member_ids -= presence.present(room_id=room.pk, member_ids=member_ids)
    if not member_ids:
        return None
    sender_name = message.sender.display_name
    if room.kind == room.Kind.DIRECT:
        title, body = sender_name, message.text
    else:
        title = selectors.room_title(room, viewer=message.sender)
        body = _("%(name)s: %(text)s") % {"name": sender_name, "text": message.text}
    if len(body) > CHAT_PREVIEW_LENGTH:
        body = body[: CHAT_PREVIEW_LENGTH - 1] + "…"
    payload = {
        "title": title,
        "body": body,
        "url": reverse("chat:room", args=[room.pk]),
        "tag": f"chat-room-{room.pk}",
    }
    return member_ids, payload


register_push("chat_message", topic=Topic.CHAT, recipients=_others, build=message_push)
register_digest(
    "chat",
    topic=Topic.CHAT,
    members=lambda since: selectors.members_with_unread(since=since),
    items=lambda member, after_id, since: selectors.unread_rooms(
        member=member, after_id=after_id, since=since
    ),
)
