"""The nav's chat badge: unread messages in the member's rooms (see core/badges.py)."""

from core import badges

from .selectors import unread_badge_expression

badges.register("chat", unread_badge_expression)
