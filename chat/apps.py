from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from moderation.models import Block
        from walks import chat_bridge

        from . import membership, receivers
        from .models import RoomMember

        post_delete.connect(membership.seat_deleted, sender=RoomMember, dispatch_uid="chat-seat-deleted")
        post_save.connect(membership.block_saved, sender=Block, dispatch_uid="chat-block-saved")
        post_save.connect(membership.block_changed, sender=Block, dispatch_uid="chat-block-changed")
        post_delete.connect(membership.block_changed, sender=Block, dispatch_uid="chat-block-lifted")
        chat_bridge.walk_members_changed.connect(
            receivers.walk_members_changed, dispatch_uid="chat-walk-members"
        )
        chat_bridge.walk_closed.connect(receivers.walk_closed, dispatch_uid="chat-walk-closed")
