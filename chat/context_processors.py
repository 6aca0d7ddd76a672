from django.utils.functional import SimpleLazyObject

from .selectors import unread_badge


def chat_badge(request):
    """Unread chat messages for the nav, counted (one query) only when a template shows it, and
    none when the member turned chat notifications off on the site."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_chat": SimpleLazyObject(lambda: unread_badge(member=user))}
