"""The same search behaviour runs against the database index and a search engine.

The engine is an in-memory OpenSearch (osmem-server, started once per session) through
Wagtail's opensearch3 backend, or a real Elasticsearch/OpenSearch when SEARCH_TEST_URL names
one (e.g. SEARCH_TEST_URL=http://127.0.0.1:9200 for Elasticsearch 9).
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from site_core.tests.requirements import require

ENGINE_URL = os.environ.get("SEARCH_TEST_URL", "")


def engine_backends(url: str, settings) -> dict:
    backend = "wagtail.search.backends.elasticsearch9"
    if url.startswith("opensearch://") or not url.startswith("http"):
        backend = "wagtail.search.backends.opensearch3"
        url = url.replace("opensearch://", "http://")
    engine = dict(settings.WAGTAILSEARCH_BACKENDS.get("default", {}))
    base = {
        "BACKEND": backend,
        "URLS": [url],
        # Parallel test workers may share a real cluster (SEARCH_TEST_URL): an index set each.
        "INDEX_PREFIX": f"petrasche_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_",
        "TIMEOUT": 5,
        "AUTO_UPDATE": False,
    }
    if "INDEX_SETTINGS" in engine:
        base["INDEX_SETTINGS"] = engine["INDEX_SETTINGS"]
    return {"default": base, "database": {"BACKEND": "wagtail.search.backends.database"}}


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


# The database path is part of the smoke set that proves the embedded default on SQLite.
@pytest.fixture(
    params=[
        pytest.param("database", marks=pytest.mark.smoke),
        pytest.param("engine", marks=pytest.mark.processes),
    ]
)
def search_backend(request, settings, db):
    """Which index answers: the database's, or the engine's (indexed through the worker task)."""
    if request.param == "engine":
        url = request.getfixturevalue("engine_url")
        request.getfixturevalue("tasks_run_inline")
        settings.WAGTAILSEARCH_BACKENDS = engine_backends(url, settings)
        call_command("update_index", backend_name="default", stdout=StringIO())
    return request.param
