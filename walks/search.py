"""Walks in search (search/registry.py): listed walks only, as the boards show them."""

from django.utils.translation import gettext_lazy as _

from search.registry import SearchType, register

from .models import Walk
from .selectors import walk_list

register(
    SearchType(
        key="walks",
        label=_("Walks"),
        template="search/includes/walk_result.html",
        indexed=lambda: Walk.objects.filter(deleted_at__isnull=True, is_hidden=False).order_by("-created_at"),
        visible=lambda viewer: Walk.objects.listed(),
        recency_field="created_at",
        load=lambda viewer, ids: walk_list(viewer=viewer).filter(pk__in=ids),
        serializer="walks.serializers.WalkOutputSerializer",
        watched_fields=frozenset(
            {
                "title",
                "description_html",
                "area",
                "board",
                "deleted_at",
                "is_hidden",
                "status",
                "start_at",
                "created_at",
            }
        ),
    )
)
