"""Chat rooms (a walk's group room or a 1:1 conversation), their members and messages.

A walk room belongs to its walk. Walks announce membership changes and closure
(``walks.chat_bridge``); chat keeps the room in step (``receivers``). A walk deleted outright
(its host's account erased with their posts) leaves its room and the others' messages: the room
keeps no walk then.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 2000
CLIENT_ID_MAX_LENGTH = 64
CLIENT_ID_PATTERN = rf"^[A-Za-z0-9._:-]{{1,{CLIENT_ID_MAX_LENGTH}}}$"


class Room(models.Model):
    class Kind(models.TextChoices):
        WALK = "walk", _("walk group")
        DIRECT = "direct", _("direct messages")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    walk = models.OneToOneField(
        "walks.Walk",
        verbose_name=_("walk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_room",
    )
    direct_key = models.CharField(
        _("member pair"),
        max_length=50,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The two member ids, smaller first, for a direct room."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="walk", direct_key__isnull=True)
                | Q(kind="direct", walk__isnull=True, direct_key__isnull=False),
                name="chat_room_kind_key",
            ),
        ]

    def __str__(self) -> str:
        return f"walk {self.walk_id}" if self.kind == self.Kind.WALK else f"direct {self.direct_key}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @staticmethod
    def pair_key(first_id: int, second_id: int) -> str:
        low, high = sorted((int(first_id), int(second_id)))
        return f"{low}:{high}"


class RoomMember(models.Model):
    """A member's seat in a room, with their read marker (the last message id they have seen)."""

    # Both keys lead an index already (the constraint and chat_member_rooms): no single-column ones.
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships", db_index=False
    )
    last_read_id = models.PositiveBigIntegerField(_("last read message"), default=0)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("room member")
        verbose_name_plural = _("room members")
        constraints = [models.UniqueConstraint(fields=["room", "member"], name="chat_member_once_per_room")]
        indexes = [models.Index(fields=["member", "room"], name="chat_member_rooms")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.room_id}"


class Message(models.Model):
    """Plain text, stored as written. Deleting sets ``deleted_at``; the text is never shown again."""

    # Both keys lead an index already (chat_message_room_id and the client id constraint).
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages", db_index=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages", db_index=False
    )
    client_id = models.CharField(
        _("client id"),
        max_length=CLIENT_ID_MAX_LENGTH,
        help_text=_("Made by the sending app, unique per sender: a resend is stored once."),
    )
    text = models.TextField(_("text"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "client_id"], name="chat_message_client_id_once"),
        ]
        indexes = [models.Index(fields=["room", "id"], name="chat_message_room_id")]

    def __str__(self) -> str:
        return f"{self.sender_id}: {self.text[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ChatPreference(models.Model):
    """Who may start or send direct messages to a member. No row means everyone."""

    class DirectMessages(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        FOLLOWING = "following", _("Only people I follow")
        NOBODY = "nobody", _("Nobody")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_preference"
    )
    direct_messages = models.CharField(
        _("who can send me direct messages"),
        max_length=10,
        choices=DirectMessages.choices,
        default=DirectMessages.EVERYONE,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("chat preference")
        verbose_name_plural = _("chat preferences")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.direct_messages}"
