from django.utils.functional import SimpleLazyObject

from .selectors import unread_notification_count


def notifications_badge(request):
    """The unread count in the nav, counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_notification_count(member=user))}
