"""What can be searched. Each app's searchable model is described once here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from community.models import Post
from community.selectors import post_list
from moderation.selectors import without_blocked_and_muted
from pets.models import Pet
from pets.selectors import pet_list
from walks.models import Walk
from walks.selectors import walk_list
from worldcup.models import Entry, WorldCupEventPage


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    template: str
    # What search may return to anyone (filters on index FilterFields only), newest first.
    indexed: Callable[[], QuerySet]
    # What this viewer may see (search combines it with `indexed`, for results and counts alike).
    visible: Callable[[object], QuerySet]
    # Newest first within a rank (names and hashtags rank first through their indexed terms).
    recency_field: str
    # The page of results to show, for ids already in rank order.
    load: Callable[[object, list], QuerySet]
    # How the API shows one result: a serializer's dotted path (imported when first used).
    serializer: str
    hashtag_filter: str | None = None


POSTS = SearchType(
    key="posts",
    label=_("Posts"),
    template="search/includes/post_result.html",
    indexed=lambda: Post.objects.filter(deleted_at__isnull=True, is_hidden=False).order_by("-created_at"),
    visible=lambda viewer: without_blocked_and_muted(Post.objects.visible_to(viewer), viewer=viewer),
    recency_field="created_at",
    load=lambda viewer, ids: post_list(viewer=viewer).filter(pk__in=ids),
    serializer="community.serializers.PostOutputSerializer",
    hashtag_filter="hashtags__name",
)

MEMBERS = SearchType(
    key="members",
    label=_("Members"),
    template="search/includes/member_result.html",
    indexed=lambda: get_user_model().objects.filter(is_active=True).order_by("-date_joined"),
    visible=lambda viewer: get_user_model().objects.filter(is_active=True),
    recency_field="date_joined",
    load=lambda viewer, ids: get_user_model().objects.filter(pk__in=ids),
    serializer="community.serializers.MemberSummarySerializer",
)

PETS = SearchType(
    key="pets",
    label=_("Pets"),
    template="search/includes/pet_result.html",
    indexed=lambda: Pet.objects.filter(deleted_at__isnull=True).order_by("-created_at"),
    visible=lambda viewer: pet_list(viewer=viewer),
    recency_field="created_at",
    load=lambda viewer, ids: pet_list(viewer=viewer).filter(pk__in=ids),
    serializer="pets.serializers.PetOutputSerializer",
)

WALKS = SearchType(
    key="walks",
    label=_("Walks"),
    template="search/includes/walk_result.html",
    indexed=lambda: Walk.objects.filter(deleted_at__isnull=True, is_hidden=False).order_by("-created_at"),
    visible=lambda viewer: Walk.objects.listed(),
    recency_field="created_at",
    load=lambda viewer, ids: walk_list(viewer=viewer).filter(pk__in=ids),
    serializer="walks.serializers.WalkOutputSerializer",
)

EVENTS = SearchType(
    key="events",
    label=_("World Cup events"),
    template="worldcup/includes/event_result.html",
    indexed=lambda: WorldCupEventPage.objects.live().order_by("-first_published_at"),
    visible=lambda viewer: WorldCupEventPage.objects.live(),
    recency_field="first_published_at",
    load=lambda viewer, ids: WorldCupEventPage.objects.live().filter(pk__in=ids),
    serializer="worldcup.serializers.EventOutputSerializer",
)

ENTRIES = SearchType(
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
)

SEARCH_TYPES: dict[str, SearchType] = {
    search_type.key: search_type for search_type in (POSTS, MEMBERS, PETS, WALKS, EVENTS, ENTRIES)
}
