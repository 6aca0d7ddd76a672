from functools import partial

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core import badges


def site_navigation(request):
    """What the base layout needs on every page."""
    return {
        "kakao_login_enabled": bool(settings.KAKAO_CLIENT_ID),
    }


def nav_badges(request):
    """The unread counts on the nav's links (``unread_chat``, ``unread_notifications``…), counted
    together (core/badges.py) only when a template shows one of them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = SimpleLazyObject(lambda: badges.counts(member=user))
    return {f"unread_{name}": SimpleLazyObject(partial(_count, counts, name)) for name in badges.names()}


def _count(counts: dict[str, int], name: str) -> int:
    return counts[name]
