from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import CLIENT_ID_PATTERN, MESSAGE_MAX_LENGTH, ChatPreference, Room


class ChatMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    avatar_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_avatar_url(self, member):
        return member.avatar.url if member.avatar else None


class ChatMessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room_id = serializers.IntegerField()
    sender = ChatMemberSerializer()
    client_id = serializers.CharField()
    text = serializers.SerializerMethodField(
        help_text=_("Plain text as written (empty once deleted). Escape it when you show it.")
    )
    created_at = serializers.DateTimeField()
    deleted = serializers.BooleanField(source="is_deleted")

    @extend_schema_field(serializers.CharField())
    def get_text(self, message):
        return "" if message.is_deleted else message.text


def _datetime(value) -> str:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone (``Z`` for UTC)."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def member_data(member) -> dict:
    return {
        "id": member.pk,
        "username": member.username,
        "display_name": member.display_name,
        "avatar_url": member.avatar.url if member.avatar else None,
    }


def message_data(message) -> dict:
    """A message as clients receive it, over HTTP and in WebSocket frames: exactly what
    ``ChatMessageOutputSerializer`` gives (a test holds them together), built without it because
    it runs for every message sent and DRF serializers cost more than the rest of the send."""
    deleted = message.deleted_at is not None
    return {
        "id": message.pk,
        "room_id": message.room_id,
        "sender": member_data(message.sender),
        "client_id": message.client_id,
        "text": "" if deleted else message.text,
        "created_at": _datetime(message.created_at),
        "deleted": deleted,
    }


class ChatMessageCreateInputSerializer(serializers.Serializer):
    client_id = serializers.RegexField(
        CLIENT_ID_PATTERN,
        help_text=_(
            "An id your app makes for this message (e.g. a UUID), unique per sender: "
            "sending again with the same id returns the stored message instead of a copy."
        ),
    )
    text = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH, help_text=_("Plain text, up to 2,000 characters.")
    )


class ChatMessagePageSerializer(serializers.Serializer):
    results = ChatMessageOutputSerializer(many=True, help_text=_("Oldest first."))
    has_more = serializers.BooleanField(help_text=_("Whether more messages lie beyond this page."))
    older = serializers.CharField(allow_null=True, help_text=_("The page of older messages."))
    newer = serializers.CharField(allow_null=True, help_text=_("The page of newer messages."))


class ChatRoomOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="room.id")
    kind = serializers.ChoiceField(choices=Room.Kind.choices, source="room.kind")
    title = serializers.CharField()
    walk_id = serializers.IntegerField(source="room.walk_id", allow_null=True)
    other_member = ChatMemberSerializer(allow_null=True, help_text=_("The other person, in a direct room."))
    members = ChatMemberSerializer(many=True)
    unread_count = serializers.IntegerField()
    last_message = ChatMessageOutputSerializer(allow_null=True)
    is_closed = serializers.BooleanField(
        source="room.is_closed", help_text=_("A closed room (cancelled walk) is read-only.")
    )
    url = serializers.SerializerMethodField()
    websocket_path = serializers.SerializerMethodField(
        help_text=_("Connect here for live messages; see the chat API description for the frames.")
    )

    @extend_schema_field(serializers.CharField())
    def get_url(self, summary):
        return reverse("chat:room", args=[summary.room.pk])

    @extend_schema_field(serializers.CharField())
    def get_websocket_path(self, summary):
        return f"/ws/chat/{summary.room.pk}/"


class ChatDirectRoomInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=40, help_text=_("The member to talk to."))


class ChatMarkReadInputSerializer(serializers.Serializer):
    message_id = serializers.IntegerField(
        min_value=1, required=False, help_text=_("Read up to this message (default: the latest).")
    )


class ChatMarkReadOutputSerializer(serializers.Serializer):
    last_read_id = serializers.IntegerField()
    unread_total = serializers.IntegerField()


class ChatUnreadOutputSerializer(serializers.Serializer):
    unread_total = serializers.IntegerField()


class ChatPreferenceOutputSerializer(serializers.Serializer):
    direct_messages = serializers.ChoiceField(choices=ChatPreference.DirectMessages.choices)


class ChatPreferenceInputSerializer(serializers.Serializer):
    direct_messages = serializers.ChoiceField(
        choices=ChatPreference.DirectMessages.choices,
        help_text=_("Who may send you direct messages: everyone, only people you follow, or nobody."),
    )
