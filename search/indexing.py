"""The one module that talks to search backends.

Policy: the database backend's index is updated inside the same transaction as the content,
so it is always current (it is the fallback). When a search engine is configured
(SEARCH_URL), it is updated after commit by a django-q2 task that is retried, so saving a
post never fails because the engine is down; the task never creates an index (`search_setup`
does, with our mappings). Wagtail's own signal-driven updates are off for these models
(`search_auto_update = False`).

Both backends rank alike (search/korean.py): by the best level at which every query word
matches, hits in names and hashtags first within a level. The database answers one group
(level × names-or-not) at a time, newest first; an engine answers once, the levels and the
names-first step being constant-score boosts, then newest first.
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.search import index as search_index
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Or, PlainText

from .korean import ParsedQuery, level_query, levels, priority_query

logger = logging.getLogger(__name__)

DATABASE = "database"
DOCUMENT_FIELD = "search_document"
# Model label → the fields whose change makes an indexed row stale (from the registered search
# types' `watched_fields`, when the signals are connected).
_watched: dict[str, frozenset[str]] = {}
# Engine scores: each level a match reaches adds LEVEL_BOOST, names and hashtags at the best
# level add PRIORITY_BOOST (constant scores), then the newest first, as on the database. BM25 is
# left out on purpose: our documents are sets of terms (each once), so within a level it would
# only rank shorter posts first, and the engine would order differently from its fallback.
LEVEL_BOOST = 100.0
PRIORITY_BOOST = 1.0


class IndexMissing(RuntimeError):
    """The engine has no index for a model: `search_setup` has not run (the task is retried)."""


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
    """Brings the engine's copy of one object up to date (raises so the task is retried).

    Writing to a missing index would make the engine create one with a guessed mapping, on
    which our queries find nothing: the task fails instead, until `search_setup` has run.
    """
    model = apps.get_model(label)
    backend = get_search_backend("default")
    index = backend.get_index_for_model(model)
    if not backend.es.indices.exists(index=index.name):
        raise IndexMissing(f"no search index {index.name}: run manage.py search_setup")
    instance = model.get_indexed_objects().filter(pk=pk).first()
    if instance is None:
        backend.delete(model(pk=pk))
    else:
        backend.add(instance)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    watched = _watched[_label(instance)]
    if update_fields is not None and not watched.intersection(update_fields):
        return
    index_object(instance)


def _on_delete(sender, instance, **kwargs):
    database_backend().delete(instance)
    if engine_configured():
        label, pk = _label(instance), instance.pk
        transaction.on_commit(lambda: enqueue_engine_update(label, pk))


def _on_page_change(sender, instance, **kwargs):
    """Wagtail keeps the database index of pages; the engine's copy follows through the task."""
    if engine_configured() and document_field(type(instance)) is not None:
        label, pk = _label(instance), instance.pk
        transaction.on_commit(lambda: enqueue_engine_update(label, pk))


def connect_signals(search_types) -> None:
    """Indexes the rows of each type with `watched_fields` as they are saved and deleted."""
    from wagtail.signals import page_published, page_unpublished

    for search_type in search_types:
        if search_type.watched_fields is None:
            continue
        model = search_type.indexed().model
        label = model._meta.label
        _watched[label] = search_type.watched_fields
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-index-{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-unindex-{label}")
    page_published.connect(_on_page_change, dispatch_uid="search-page-published")
    page_unpublished.connect(_on_page_change, dispatch_uid="search-page-unpublished")


def document_field(model):
    """The model's field holding our computed terms, or None for Wagtail's own models."""
    for field in model.get_autocomplete_search_fields():
        if field.field_name == DOCUMENT_FIELD:
            return field
    return None


# Database index ------------------------------------------------------------------------------


def _wagtail(node):
    kind, value = node
    if kind == "term":
        return PlainText(value)
    if kind == "not":
        return Not(_wagtail(value))
    children = [_wagtail(child) for child in value]
    return And(children) if kind == "and" else Or(children)


def ranked_groups(query: ParsedQuery) -> list[tuple]:
    """The query's groups in rank order: each level's name-and-hashtag hits, then the rest.

    Each group leaves out what a better level matched, so every result is in exactly one.
    """
    groups, better = [], None
    for level in levels(query):
        matched = level_query(query, level)
        new = matched if better is None else ("and", [matched, ("not", better)])
        priority = priority_query(query, level)
        if priority is None:
            groups.append(new)
        else:
            groups += [("and", [new, priority]), ("and", [new, ("not", priority)])]
        better = matched
    return groups


@dataclass(frozen=True)
class RankedWindow:
    """One page of ids, whether more follow, and the number of matches counted up to a cap."""

    ids: list
    has_next: bool
    total: int
    total_capped: bool


def database_ranked_page(
    indexed, visible, query: ParsedQuery, *, offset: int, limit: int, count_cap: int
) -> RankedWindow:
    """One page of ids in rank order (see `ranked_groups`), each group newest first.

    The index is searched within `indexed` (what Wagtail can filter on: index FilterFields);
    what the viewer may see (`visible`, any filter) narrows the matches for results and counts
    alike. A page reads groups in order until it holds one row more than it shows (to know
    whether another follows); a group before the page is only counted, up to what the page
    skips. Counting every match of a common term costs as much as reading them all, so the total
    is counted up to ``count_cap`` (as search engines do).
    """
    backend = database_backend()
    ordering = visible.query.order_by

    def matching(node):
        found = backend.autocomplete(_wagtail(node), indexed, order_by_relevance=False).get_queryset()
        return found & visible.order_by()

    # Counted first, unordered (sorted by recency, a rare term's count would walk the whole
    # table): nothing to rank when nothing matches, and once the page has seen every match the
    # remaining groups need no query.
    counted = matching(level_query(query, levels(query)[-1])).order_by()[: count_cap + 1].count()
    if not counted or (counted <= count_cap and offset >= counted):
        return RankedWindow([], False, min(counted, count_cap), counted > count_cap)
    ids: list = []
    skip = offset
    seen = 0  # matches in the groups read so far
    for group in ranked_groups(query):
        if counted <= count_cap and seen >= counted:
            break
        rows = matching(group)
        found = list(
            rows.order_by(*ordering).values_list("pk", flat=True)[skip : skip + limit + 1 - len(ids)]
        )
        if skip and not found:  # the whole group comes before this page
            before = rows.order_by()[:skip].count()
            skip -= before
            seen += before
            continue
        seen += skip + len(found)
        skip = 0
        ids += found
        if len(ids) > limit:
            break
    has_next = len(ids) > limit
    ids = ids[:limit]
    if not has_next:  # the last page: everything before it was shown
        return RankedWindow(ids, False, offset + len(ids), False)
    total = max(min(counted, count_cap), offset + len(ids) + 1)
    return RankedWindow(ids, True, total, counted > count_cap)


# Engine --------------------------------------------------------------------------------------


def _engine_clause(node, column: str) -> dict:
    kind, value = node
    if kind == "term":
        return {"match": {column: {"query": value, "analyzer": "whitespace"}}}
    if kind == "not":
        return {"bool": {"must_not": [_engine_clause(value, column)]}}
    children = [_engine_clause(child, column) for child in value]
    return {"bool": {"filter": children}} if kind == "and" else {"bool": {"should": children}}


def engine_query(model, query: ParsedQuery) -> dict:
    """The engine's query: each level and the names-first step as constant-score boosts."""
    mapping = get_search_backend("default").mapping_class(model)
    column = mapping.get_field_column_name(document_field(model))
    should = []
    better = None
    for level in levels(query):
        matched = level_query(query, level)
        should.append({"constant_score": {"filter": _engine_clause(matched, column), "boost": LEVEL_BOOST}})
        priority = priority_query(query, level)
        if priority is not None:
            named = ("and", [matched, priority] + ([("not", better)] if better else []))
            should.append(
                {"constant_score": {"filter": _engine_clause(named, column), "boost": PRIORITY_BOOST}}
            )
        better = matched
    everything = _engine_clause(level_query(query, levels(query)[-1]), column)
    return {"bool": {"filter": [everything], "should": should}}


def engine_call(method, body: dict, **kwargs):
    """Calls the engine's client with a request body, as each client wants it (Elasticsearch's
    takes the body's keys as arguments, OpenSearch's the body itself), as Wagtail does."""
    if get_search_backend("default").use_new_elasticsearch_api:
        return method(**body, **kwargs)
    return method(body=body, **kwargs)


def engine_ranked_ids(model, query: ParsedQuery, *, recency_field: str, limit: int) -> list | None:
    """Ids of up to `limit` best matches in the engine, in rank order, or None if it failed."""
    backend = get_search_backend("default")
    try:
        mapping = backend.mapping_class(model)
        recency = mapping.get_field_column_name(search_index.FilterField(recency_field))
        body = {
            "query": engine_query(model, query),
            "sort": [{"_score": "desc"}, {recency: {"order": "desc", "missing": "_last"}}],
            "size": limit,
            "_source": False,
            "stored_fields": ["pk"],
        }
        response = engine_call(backend.es.search, body, index=backend.get_index_for_model(model).name)
        return [model._meta.pk.to_python(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]
    except Exception:  # any engine failure (network, timeout, bad response) falls back
        logger.warning("search engine unavailable, answering from the database index", exc_info=True)
        return None
