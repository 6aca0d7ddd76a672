"""The one cursor pagination, for every API list and every HTML page with a "more" link.

Keyset pages stay stable while new rows arrive and cost the same at any depth. The order is the
queryset's own (the selector decides it: newest first, most liked, soonest, nearest…), so one class
serves every list; a queryset without an explicit ``order_by`` pages newest first.
"""

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class CursorPage(CursorPagination):
    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")

    def __init__(self, *, page_size: int | None = None, max_page_size: int | None = None):
        if page_size is not None:
            self.page_size = page_size
        if max_page_size is not None:
            self.max_page_size = max_page_size

    @classmethod
    def sized(cls, *, page_size: int, max_page_size: int) -> type["CursorPage"]:
        """For an API view's ``pagination_class`` whose list pages are longer than the default."""
        return type(
            f"CursorPage{page_size}", (cls,), {"page_size": page_size, "max_page_size": max_page_size}
        )

    def get_ordering(self, request, queryset, view):
        return tuple(queryset.query.order_by) or self.ordering


def paginate(request, queryset, *, page_size: int | None = None, max_page_size: int | None = None):
    """A cursor page for an HTML view: (items, link to the next page or None); 404 for a bad cursor."""
    paginator = CursorPage(page_size=page_size, max_page_size=max_page_size)
    try:
        items = paginator.paginate_queryset(queryset, Request(request))
    except NotFound as error:
        raise Http404(str(error.detail)) from error
    return items, paginator.get_next_link()
