"""The one module that talks to search backends.

Policy: the database backend's index is updated inside the same transaction as the content,
so it is always current (it is the fallback). When a search engine is configured
(SEARCH_URL), it is updated after commit by a django-q2 task that is retried, so saving a
post never fails because the engine is down. Wagtail's own signal-driven updates are off for
these models (`search_auto_update = False`).
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Or, PlainText

from .korean import PRIORITY_MARK

logger = logging.getLogger(__name__)

DATABASE = "database"
# The fields whose change makes an indexed row stale; saves touching only others skip indexing.
INDEXED_MODELS = {
    "community.Post": {"text", "deleted_at", "is_hidden", "created_at"},
    "accounts.User": {"username", "nickname", "is_active", "date_joined"},
    "pets.Pet": {"name", "breed", "intro", "species", "deleted_at", "created_at"},
    "walks.Walk": {
        "title",
        "description_html",
        "area",
        "board",
        "deleted_at",
        "is_hidden",
        "status",
        "start_at",
        "created_at",
    },
}


def engine_configured() -> bool:
    return DATABASE in settings.WAGTAILSEARCH_BACKENDS


def database_backend():
    return get_search_backend(DATABASE if engine_configured() else "default")


def _label(instance) -> str:
    return instance._meta.label


def index_object(instance) -> None:
    """Indexes one object now in the database index, and after commit in the engine."""
    database_backend().add(instance)
    if engine_configured():
        label, pk = _label(instance), instance.pk
        transaction.on_commit(lambda: enqueue_engine_update(label, pk))


def enqueue_engine_update(label: str, pk) -> None:
    from django_q.tasks import async_task

    async_task("search.indexing.update_engine_index", label, pk, task_name=f"index {label} {pk}")


def update_engine_index(label: str, pk) -> None:
    """Brings the engine's copy of one object up to date (raises so the task is retried)."""
    model = apps.get_model(label)
    backend = get_search_backend("default")
    instance = model.get_indexed_objects().filter(pk=pk).first()
    if instance is None:
        backend.delete(model(pk=pk))
    else:
        backend.add(instance)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    watched = INDEXED_MODELS[_label(instance)]
    if update_fields is not None and not watched.intersection(update_fields):
        return
    index_object(instance)


def _on_delete(sender, instance, **kwargs):
    database_backend().delete(instance)
    if engine_configured():
        label, pk = _label(instance), instance.pk
        transaction.on_commit(lambda: enqueue_engine_update(label, pk))


def connect_signals() -> None:
    for label in INDEXED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-index-{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-unindex-{label}")


def engine_candidates(queryset, terms: tuple[str, ...], *, limit: int) -> list | None:
    """Ids of up to `limit` newest rows matching every term in the engine, or None if it failed.

    An engine matches each term of one query against edge n-grams, with AND between terms.
    """
    query = PlainText(" ".join(terms), operator="and")
    try:
        results = get_search_backend("default").autocomplete(
            query, queryset.only("pk"), order_by_relevance=False
        )
        return [row.pk for row in results[:limit]]
    except Exception:  # any engine failure (network, timeout, bad response) falls back
        logger.warning("search engine unavailable, answering from the database index", exc_info=True)
        return None


@dataclass(frozen=True)
class RankedWindow:
    """One page of ids, whether more follow, and the number of matches counted up to a cap."""

    ids: list
    has_next: bool
    total: int
    total_capped: bool


def database_ranked_page(
    queryset, terms: tuple[str, ...], *, offset: int, limit: int, count_cap: int
) -> RankedWindow:
    """One page of ids matching every term, hits on priority terms first, each group newest first.

    The database backends treat only a query's last word as a prefix, so each term is its own
    query; PRIORITY_MARK copies of names and hashtags tell the two groups apart in the index.
    Counting every match of a common term costs as much as reading them all, so the total is
    counted up to ``count_cap`` (as search engines do); a page reads one row more than it shows
    to know whether another follows.
    """
    backend = database_backend()
    every_term = [PlainText(term) for term in terms]
    priority_hit = Or([PlainText(PRIORITY_MARK + term) for term in terms])
    first = backend.autocomplete(And([priority_hit, *every_term]), queryset, order_by_relevance=False)
    rest = backend.autocomplete(And([Not(priority_hit), *every_term]), queryset, order_by_relevance=False)
    ids = [row.pk for row in first[offset : offset + limit + 1]]
    if len(ids) <= limit:
        # The first group ends on or before this page: the rest continues after it.
        first_count = offset + len(ids) if ids or not offset else first[:offset].count()
        start = offset + len(ids) - first_count
        ids += [row.pk for row in rest[start : start + limit + 1 - len(ids)]]
    has_next = len(ids) > limit
    ids = ids[:limit]
    if not has_next:  # the last page: everything before it was shown
        return RankedWindow(ids, False, offset + len(ids), False)
    every_match = backend.autocomplete(And(every_term), queryset, order_by_relevance=False)
    # Counted unordered: sorted by recency, a rare term's count would walk the whole table.
    counted = every_match.get_queryset().order_by()[: count_cap + 1].count()
    total = max(min(counted, count_cap), offset + len(ids) + 1)
    return RankedWindow(ids, True, total, counted > count_cap)
