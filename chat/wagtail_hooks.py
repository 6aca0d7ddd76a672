"""Chat in the Wagtail admin: nothing to browse. A reported message's case shows the messages
around it, so the moderator judges it in its conversation (``moderation.wagtail_hooks``)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from moderation.wagtail_hooks import CASE_CONTEXT_HOOK

from . import selectors
from .models import Message

# Messages shown before and after the reported one.
AROUND = 5


class MessagesAround(Component):
    template_name = "chat/admin/messages_around.html"

    def __init__(self, message: Message):
        self.message = message

    def get_context_data(self, parent_context):
        return {
            "reported_id": self.message.pk,
            "messages": selectors.messages_around(message_id=self.message.pk, count=AROUND),
        }


@hooks.register(CASE_CONTEXT_HOOK)
def messages_around_a_reported_message(target):
    return MessagesAround(target) if isinstance(target, Message) else None
