"""What can be searched, declared by the apps that own it.

Each app with searchable content has a ``search.py`` (imported by ``SearchConfig.ready``) that
registers its types with ``register()``, so search imports none of them. What a viewer may see
(deleted, hidden, blocked or suspended authors) is the contributing app's rule, applied by its
``visible`` and ``load`` querysets. Types are shown in the order they register (INSTALLED_APPS,
then each module's order).

The app that owns hashtags and mentions also registers, with ``register_suggestions()``, what the
search box and the post and comment boxes suggest as a member types.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    template: str
    # What search may return to anyone (filters on index FilterFields only), newest first.
    indexed: Callable[[], QuerySet]
    # What this viewer may see (search combines it with `indexed`, for results and counts alike).
    visible: Callable[[Any], QuerySet]
    # Newest first within a rank (names and hashtags rank first through their indexed terms).
    recency_field: str
    # The page of results to show, for ids already in rank order.
    load: Callable[[Any, list], QuerySet]
    # How the API shows one result: a serializer's dotted path (imported when first used).
    serializer: str
    hashtag_filter: str | None = None
    # The fields whose change makes an indexed row stale: a save touching only others is not
    # indexed again. None: the owning app indexes its rows itself (search.indexing.index_object).
    watched_fields: frozenset[str] | None = None
    # Readies a page of results for the results page, with the parsed query (e.g. marks matches).
    prepare: Callable[[list, Any], None] | None = None


@dataclass(frozen=True)
class Suggestions:
    # Hashtags in use: (name, use_count) rows with use_count > 0, most used first, then by name.
    hashtag_uses: Callable[[], QuerySet]
    # Active members the search box may suggest to this viewer.
    members: Callable[[Any], QuerySet]
    # Members this viewer may @mention in a post or comment, each with `followed`.
    mentionable: Callable[[Any], QuerySet]


_types: dict[str, SearchType] = {}
_suggestions: Suggestions | None = None


def register(*search_types: SearchType) -> None:
    for search_type in search_types:
        _types[search_type.key] = search_type


def search_types() -> dict[str, SearchType]:
    """Every registered type by key, in the order shown."""
    return dict(_types)


def register_suggestions(contributed: Suggestions) -> None:
    global _suggestions
    _suggestions = contributed


def suggestions() -> Suggestions:
    if _suggestions is None:
        raise LookupError("no app registered search suggestions (community/search.py does)")
    return _suggestions
