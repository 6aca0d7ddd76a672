import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pets.services import ML_CLUSTER

ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 120.0


@pytest.fixture(scope="session")
def ml_runtime():
    """The Keras model, built once for the whole test session (as in ml/tests/conftest.py)."""
    from ml import runtime

    return runtime.get_runtime()


@pytest.fixture
def ml_queue(monkeypatch, ml_runtime):
    """Runs the ml queue in this process (pets.tests.queue), with the model already loaded.

    django-q2's worker and monitor close "old" database connections before each task, which
    would break the test's transaction in this single process: here there is only one connection.
    """
    from pets.tests import queue

    monkeypatch.setattr("django_q.worker.close_old_django_connections", lambda: None)
    monkeypatch.setattr("django_q.monitor.close_old_django_connections", lambda: None)
    return queue


def worker_database_url() -> str:
    """A DATABASE_URL for the database this test session uses (PostgreSQL)."""
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class MlWorker:
    """``Q_CLUSTER_NAME=ml manage.py qcluster`` in a subprocess, on the test database."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pets.tests.worker_settings",
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "Q_CLUSTER_NAME": ML_CLUSTER,
            "ML_THREADS": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            # SIGTERM to the cluster's main process only: it stops its sentinel and workers itself
            # (signalling the whole group can deadlock django-q2's shutdown).
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def ml_worker(transactional_db, tmp_path):
    """A factory: ``ml_worker()`` starts a real ml worker; it is stopped after the test.

    Only on PostgreSQL: the worker is another process, and the SQLite test database lives in memory.
    """
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the PostgreSQL test database")
    workers: list[MlWorker] = []

    def start() -> MlWorker:
        worker = MlWorker(tmp_path / f"ml-worker-{len(workers)}.log")
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, *, timeout: float, interval: float = 0.25, worker: MlWorker | None = None):
    """Polls ``predicate()`` until it returns something truthy; fails with the worker's log if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker is not None and worker.process is not None and worker.process.poll() is not None:
            pytest.fail(f"the ml worker exited ({worker.process.returncode}):\n{worker.log()}")
        time.sleep(interval)
    pytest.fail(f"gave up after {timeout:.0f} s" + (f"; worker log:\n{worker.log()}" if worker else ""))
