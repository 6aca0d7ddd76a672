from rest_framework.pagination import CursorPagination

from .selectors import Feed


class PostCursorPagination(CursorPagination):
    """Keyset pages of posts: stable while new posts arrive, cheap at any depth."""

    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")


class PopularCursorPagination(PostCursorPagination):
    ordering = ("-like_count", "-created_at", "-id")


class NotificationCursorPagination(CursorPagination):
    page_size = 30
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("-updated_at", "-id")


class FollowCursorPagination(CursorPagination):
    """A member's followers or followings (``Follow`` rows), newest first."""

    page_size = 30
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")


def pagination_for_feed(feed: str) -> PostCursorPagination:
    return PopularCursorPagination() if feed == Feed.POPULAR else PostCursorPagination()
