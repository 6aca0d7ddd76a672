from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

from chat.selectors import unread_badge_expression
from notifications.selectors import unread_notification_count_expression


def site_navigation(request):
    """What the base layout needs on every page."""
    return {
        "kakao_login_enabled": bool(settings.KAKAO_CLIENT_ID),
    }


def nav_badge_counts(*, member) -> dict[str, int]:
    """The nav's unread notifications and chat messages, in one query."""
    notifications, chat = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .values_list(
            unread_notification_count_expression(member=member), unread_badge_expression(member=member)
        )
        .first()
    ) or (0, 0)
    return {"notifications": notifications, "chat": chat}


def nav_badges(request):
    """The unread counts on the nav's links, counted only when a template shows one of them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = SimpleLazyObject(lambda: nav_badge_counts(member=user))
    return {
        "unread_notifications": SimpleLazyObject(lambda: counts["notifications"]),
        "unread_chat": SimpleLazyObject(lambda: counts["chat"]),
    }
