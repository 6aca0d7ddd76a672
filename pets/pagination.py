from rest_framework.pagination import CursorPagination


class PetCursorPagination(CursorPagination):
    """Keyset pages of pets, newest first."""

    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")
