"""The same search behaviour runs against the database index and a search engine.

The engine is an in-memory OpenSearch (osmem-server, started once per test process) through
Wagtail's opensearch3 backend, or a real Elasticsearch/OpenSearch when SEARCH_TEST_URL names
one (e.g. SEARCH_TEST_URL=http://127.0.0.1:9200 for Elasticsearch 9). Each pytest-xdist worker
uses indexes of its own (the prefix names the worker), dropped before every engine test, which
then sets the engine up as a deployment does: `manage.py search_setup`.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from site_core.tests.requirements import require

ENGINE_URL = os.environ.get("SEARCH_TEST_URL", "")


def index_prefix() -> str:
    return f"petrasche_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_"


def engine_backends(url: str, settings) -> dict:
    backend = "wagtail.search.backends.elasticsearch9"
    if url.startswith("opensearch://") or not url.startswith("http"):
        backend = "wagtail.search.backends.opensearch3"
        url = url.replace("opensearch://", "http://")
    return {
        "default": {
            "BACKEND": backend,
            "URLS": [url],
            "INDEX_PREFIX": index_prefix(),
            "TIMEOUT": 5,
            "AUTO_UPDATE": False,
            "INDEX_SETTINGS": settings.SEARCH_ENGINE_INDEX_SETTINGS,
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }


@pytest.fixture(scope="session")
def engine_url():
    if ENGINE_URL:
        yield ENGINE_URL
        return
    try:
        from osmem_server import OsmemServer
    except ImportError:
        OsmemServer = None
    require("osmem-server", OsmemServer is not None)
    server = OsmemServer.start(japanese=False)
    yield "opensearch://" + server.url.split("://", 1)[1]
    server.close()


@pytest.fixture
def tasks_run_inline(monkeypatch):
    """django-q2 runs queued tasks in-process (its own sync mode; its settings are read at import)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


def drop_engine_indexes() -> None:
    """Removes this worker's indexes: the engine is as a fresh deployment finds it."""
    from wagtail.search.backends import get_search_backend

    es = get_search_backend("default").es
    for name in list(es.indices.get(index=f"{index_prefix()}*")):
        es.indices.delete(index=name)


@pytest.fixture
def empty_engine(request, settings, db):
    """An engine configured as in production, with none of our indexes yet (queued tasks wait)."""
    url = request.getfixturevalue("engine_url")
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(url, settings)
    drop_engine_indexes()
    return url


# The database path is part of the smoke set that proves the embedded default on SQLite.
@pytest.fixture(
    params=[
        pytest.param("database", marks=pytest.mark.smoke),
        pytest.param("engine", marks=pytest.mark.processes),
    ]
)
def search_backend(request, settings, db):
    """Which index answers: the database's, or the engine's (set up by search_setup, then
    indexed through the worker task)."""
    if request.param == "engine":
        request.getfixturevalue("empty_engine")
        request.getfixturevalue("tasks_run_inline")
        call_command("search_setup", stdout=StringIO())
    return request.param


def refresh_engine(search_backend: str, *models) -> None:
    """Makes what was just indexed searchable on the engine (it refreshes about once a second)."""
    if search_backend == "engine":
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend("default")
        for model in models:
            backend.get_index_for_model(model).refresh()
