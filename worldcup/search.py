"""World Cup events and entries in search (search/registry.py).

Neither is indexed on every save (no ``watched_fields``): Wagtail indexes events as they are
published, worldcup.services indexes entries (both through search.indexing for the engine).
"""

from django.utils.translation import gettext_lazy as _

from search.registry import SearchType, register

from .models import Entry, WorldCupEventPage

register(
    SearchType(
        key="events",
        label=_("World Cup events"),
        template="worldcup/includes/event_result.html",
        indexed=lambda: WorldCupEventPage.objects.live().order_by("-first_published_at"),
        visible=lambda viewer: WorldCupEventPage.objects.live(),
        recency_field="first_published_at",
        load=lambda viewer, ids: WorldCupEventPage.objects.live().filter(pk__in=ids),
        serializer="worldcup.serializers.EventOutputSerializer",
    ),
    SearchType(
        key="entries",
        label=_("World Cup entries"),
        template="worldcup/includes/entry_result.html",
        indexed=lambda: Entry.objects.filter(withdrawn_at__isnull=True).order_by("-entered_at"),
        visible=lambda viewer: Entry.objects.active().filter(event__live=True),
        recency_field="entered_at",
        load=lambda viewer, ids: (
            Entry.objects.active().filter(pk__in=ids, event__live=True).select_related("event", "member")
        ),
        serializer="worldcup.serializers.EntryOutputSerializer",
    ),
)
