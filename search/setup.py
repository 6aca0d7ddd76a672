"""Creating, checking and rebuilding the search indexes: part of every deployment.

`manage.py search_setup` (compose's `migrate` service, `make run`) makes every index what this
code expects, and is safe to run again:

- on the engine, each index is an alias to a concrete index `<alias>_<fingerprint>` created with
  our settings and mappings; its mapping's `_meta` records who made it, the analysis version and
  the fingerprint (a hash of settings, mappings and analysis version). A missing index is created
  at once (empty, so indexing tasks can write to it) and filled in the background; one with
  another fingerprint, or made by someone else (a dynamic mapping the engine guessed), is rebuilt
  in the background into a new concrete index, and the alias moves when it is full;
- the database index records its analysis version per model (`IndexVersion`); another version
  is rebuilt in the background, in place.

`/readyz` fails while an engine index is missing or was not made here (`engine_problems`).
"""

import hashlib
import json
import logging
from importlib.metadata import version as package_version

from django.apps import apps
from wagtail.search.backends import get_search_backend
from wagtail.search.index import get_indexed_models

from .indexing import DATABASE, database_backend, document_field, engine_call, engine_configured
from .korean import ANALYSIS_VERSION
from .models import IndexVersion

logger = logging.getLogger(__name__)

MANAGED_BY = "petrasche search_setup"
BATCH = 1000


def analysis_version() -> str:
    """What the stored terms depend on: our term rules and the analyzer's version."""
    return f"{ANALYSIS_VERSION}/kiwi-{package_version('kiwipiepy')}"


def _queue(func: str, *args, name: str) -> None:
    from django_q.tasks import async_task

    async_task(func, *args, task_name=name)


# Engine ---------------------------------------------------------------------------------------


def engine_indexes() -> dict[str, list]:
    """Each engine index (alias) name with the models it holds."""
    backend = get_search_backend("default")
    indexes: dict[str, list] = {}
    for model in get_indexed_models():
        indexes.setdefault(backend.get_index_for_model(model).name, []).append(model)
    return indexes


def _body(models: list) -> dict:
    backend = get_search_backend("default")
    properties: dict = {}
    for model in models:
        properties.update(backend.mapping_class(model).get_mapping()["properties"])
    return {"settings": backend.settings["settings"], "mappings": {"properties": properties}}


def fingerprint(models: list) -> str:
    body = json.dumps(_body(models), sort_keys=True, default=str)
    return hashlib.sha256(f"{body}|{analysis_version()}".encode()).hexdigest()[:12]


def _meta(alias: str) -> dict | None:
    """The alias's mapping `_meta`, {} when the index has none, None when there is no index."""
    es = get_search_backend("default").es
    if not es.indices.exists(index=alias):
        return None
    mappings = es.indices.get_mapping(index=alias)
    return next(iter(mappings.values()), {}).get("mappings", {}).get("_meta", {})


def engine_state(alias: str, models: list) -> str:
    """missing, unmanaged (not made by search_setup), stale (another fingerprint) or current."""
    meta = _meta(alias)
    if meta is None:
        return "missing"
    if meta.get("managed_by") != MANAGED_BY:
        return "unmanaged"
    return "current" if meta.get("fingerprint") == fingerprint(models) else "stale"


def engine_problems() -> list[str]:
    """What keeps the engine from answering right: missing indexes, or ones made elsewhere."""
    return [
        f"{alias}: {state}"
        for alias, models in engine_indexes().items()
        if (state := engine_state(alias, models)) in ("missing", "unmanaged")
    ]


def _create(concrete: str, models: list) -> None:
    body = _body(models)
    body["mappings"]["_meta"] = {
        "managed_by": MANAGED_BY,
        "analysis_version": analysis_version(),
        "fingerprint": fingerprint(models),
    }
    engine_call(get_search_backend("default").es.indices.create, body, index=concrete)


def setup_engine(*, out=None) -> dict[str, str]:
    """Brings every engine index to what this code expects (see the module docstring)."""
    es = get_search_backend("default").es
    done = {}
    for alias, models in engine_indexes().items():
        state = engine_state(alias, models)
        done[alias] = state
        if state == "current":
            continue
        concrete = f"{alias}_{fingerprint(models)}"
        if not es.indices.exists(index=concrete):
            _create(concrete, models)
        if state == "missing":
            es.indices.put_alias(index=concrete, name=alias)
        _queue("search.setup.fill_engine_index", alias, concrete, name=f"search index {concrete}")
        if out:
            out(f"{alias}: {state}, filling {concrete} in the background")
    return done


def fill_engine_index(alias: str, concrete: str) -> None:
    """Indexes every object of the alias's models into `concrete`, then points the alias at it."""
    backend = get_search_backend("default")
    es = backend.es
    models = engine_indexes()[alias]
    if not es.indices.exists(index=concrete):
        return  # a later search_setup replaced it
    index = backend.index_class(backend, concrete)
    for model in models:
        objects = model.get_indexed_objects().order_by("pk")
        for start in range(0, objects.count(), BATCH):
            index.add_items(model, list(objects[start : start + BATCH]))
    index.refresh()
    if es.indices.exists_alias(name=alias):
        old = [name for name in es.indices.get_alias(name=alias) if name != concrete]
        actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        engine_call(
            es.indices.update_aliases, {"actions": [*actions, {"add": {"index": concrete, "alias": alias}}]}
        )
        for name in old:
            es.indices.delete(index=name)
    else:
        if es.indices.exists(index=alias):  # a concrete index under the alias's name
            es.indices.delete(index=alias)
        es.indices.put_alias(index=concrete, name=alias)
    logger.info("search index %s filled and in use as %s", concrete, alias)


# Database -------------------------------------------------------------------------------------


def database_models() -> list:
    """The models whose database index holds our computed terms."""
    return [model for model in get_indexed_models() if document_field(model) is not None]


def _version_key(model) -> str:
    return f"{DATABASE}:{model._meta.label_lower}"


def setup_database(*, out=None) -> dict[str, str]:
    done = {}
    current = analysis_version()
    recorded = dict(IndexVersion.objects.values_list("name", "analysis_version"))
    for model in database_models():
        key = _version_key(model)
        if recorded.get(key) == current:
            done[key] = "current"
            continue
        if not model.get_indexed_objects().exists():
            IndexVersion.objects.update_or_create(name=key, defaults={"analysis_version": current})
            done[key] = "empty"
            continue
        done[key] = "stale"
        _queue(
            "search.setup.rebuild_database_index", model._meta.label, current, name=f"search rebuild {key}"
        )
        if out:
            out(f"{key}: analysis {recorded.get(key, 'unknown')} → {current}, rebuilding in the background")
    return done


def rebuild_database_index(label: str, version: str) -> None:
    """Stores every object's terms again, then records the version they were computed with."""
    model = apps.get_model(label)
    backend = database_backend()
    objects = model.get_indexed_objects().order_by("pk")
    for start in range(0, objects.count(), BATCH):
        backend.add_bulk(model, list(objects[start : start + BATCH]))
    IndexVersion.objects.update_or_create(name=_version_key(model), defaults={"analysis_version": version})


def setup(*, out=None) -> dict[str, str]:
    done = setup_database(out=out)
    if engine_configured():
        done.update(setup_engine(out=out))
    return done
