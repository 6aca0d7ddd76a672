from rest_framework.pagination import CursorPagination


class WalkCursorPagination(CursorPagination):
    """Keyset pages of walks, soonest first: stable while walks are posted, cheap at any depth."""

    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"
    ordering = ("start_at", "id")
