"""The Korean analyzer is loaded before the first request, only by processes that index or search."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.apps import serves_search

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "cluster", "loads"),
    [
        (["manage.py", "qcluster"], "", True),
        (["manage.py", "qcluster"], "ml", False),
        (["manage.py", "migrate"], "", False),
        (["manage.py", "seed_demo"], "", False),
    ],
)
def test_the_default_task_worker_loads_the_analyzer_as_it_starts_and_the_photo_worker_never(
    monkeypatch, argv, cluster, loads
):
    monkeypatch.setattr("sys.argv", argv)
    monkeypatch.setenv("Q_CLUSTER_NAME", cluster)

    assert serves_search() is loads


def test_the_web_server_entry_point_loads_the_analyzer_before_serving():
    """A fresh process, as uvicorn starts one: importing the ASGI application loads it."""
    script = "import site_core.asgi; from korean.analyzer import is_loaded; print(is_loaded())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip().splitlines()[-1] == "True"


def test_importing_the_site_does_not_load_the_analyzer():
    script = "import django; django.setup(); from korean.analyzer import is_loaded; print(is_loaded())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip().splitlines()[-1] == "False"
