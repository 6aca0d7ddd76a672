"""Chat links for other apps' templates."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from community.text import link_urls

from .. import selectors

register = template.Library()


@register.filter
def chat_text(text: str):
    """A message's text, escaped, with its web addresses as links (as chat.js shows them)."""
    return link_urls(text or "")


@register.filter
def chat_day(value) -> str:
    """The day between a room's messages, in Seoul: "2026년 12월 7일 월요일" (as chat.js writes it)."""
    # Translators: a date format (Django's date filter letters) for the day between chat messages.
    return date_format(timezone.localtime(value), pgettext("chat day", "l, F j, Y"))


@register.inclusion_tag("chat/includes/message_button.html", takes_context=True)
def message_button(context, member):
    """A "Message" link to the direct chat with ``member``, for a signed-in member other than
    ``member`` who already has a conversation with them or whom they accept messages from."""
    viewer = context["request"].user
    shown = (
        viewer.is_authenticated
        and viewer.pk != member.pk
        and (
            selectors.direct_room(member=viewer, other=member) is not None
            or selectors.can_message(sender=viewer, recipient=member)
        )
    )
    return {"member": member, "shown": shown}
