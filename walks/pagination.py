from rest_framework.pagination import CursorPagination


class WalkCursorPagination(CursorPagination):
    """Keyset pages of walks, soonest first: stable while walks are posted, cheap at any depth."""

    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"
    ordering = ("start_at", "id")

    def get_ordering(self, request, queryset, view):
        """Walks near a point (walks.geo.near) come nearest first, and page on that distance."""
        if "distance_km" in queryset.query.annotations:
            return ("distance_km", "id")
        return self.ordering
