from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.functional import SimpleLazyObject

from chat.selectors import unread_badge_expression
from community.selectors import unread_notification_count_expression

# Stands for the member when the badge query is compiled; no member has a negative id.
_ANY_MEMBER_ID = -987_654_321


def site_navigation(request):
    """What the base layout needs on every page."""
    return {
        "kakao_login_enabled": bool(settings.KAKAO_CLIENT_ID),
    }


@cache
def _nav_badges_sql(off_on_site: tuple[str, ...]) -> tuple[str, tuple]:
    """The badge query, compiled by the ORM once per process for a stand-in member with the
    same notification kinds turned off on the site (``off_on_site``).

    Building it (two counting subqueries) cost the ORM about 6 ms on every page, ten times as
    long as running it; only the member's id changes from one request to the next.
    """
    member = get_user_model()(pk=_ANY_MEMBER_ID, notifications_off_on_site=list(off_on_site))
    counts = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .values_list(
            unread_notification_count_expression(member=member), unread_badge_expression(member=member)
        )
    )
    return counts.query.sql_with_params()


def nav_badge_counts(*, member) -> dict[str, int]:
    """The nav's unread notifications and chat messages, in one query."""
    sql, params = _nav_badges_sql(tuple(sorted(member.notifications_off_on_site)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [member.pk if value == _ANY_MEMBER_ID else value for value in params])
        row = cursor.fetchone() or (0, 0)
    return dict(zip(("notifications", "chat"), row, strict=True))


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
