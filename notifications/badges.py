"""The nav's notifications badge: unread notifications (see core/badges.py)."""

from core import badges

from .selectors import unread_notification_count_expression

badges.register("notifications", unread_notification_count_expression)
