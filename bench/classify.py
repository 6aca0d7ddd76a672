"""Benchmark of the dog / cat classifier's model layer (ml/).

Run from the repository root, pinned to one core:

    ML_THREADS=1 taskset -c 0 .venv/bin/python bench/classify.py

Prints: the model load time (TensorFlow import; building from the wheel's checkpoint, which is what
workers do; for comparison only, saving and loading a .keras file, which workers do not use), the
per-image model latency at batch 1 and batch 8 through the hot path (``ml.runtime.predict_probabilities``,
a traced ``model(x, training=False)``), the same for naive per-image ``model.predict`` with the ratio,
preprocessing and end-to-end ``classify_images`` time per image, and the peak RSS
(``resource.getrusage``). Latencies are medians over ``--runs`` timed runs after ``--warmup`` runs.

Then, end to end through the queue (``--skip-e2e`` leaves it out): on a throwaway database (a SQLite
file in a temporary folder, or ``--e2e-database-url postgres://…/<name with "bench">``, created and
dropped), pet photos are uploaded through the service members' uploads use (``pets.services``:
checks, re-encoding, the queued task) and a real ml worker (``Q_CLUSTER_NAME=ml manage.py qcluster``,
a subprocess with this process's CPU affinity and ``ML_THREADS``) classifies them. Reported: the upload
time (what the web request waits for), the time to the first verdict when the worker starts at the
upload (process start, TensorFlow import, model build), the time to check photos queued while the
worker was down, and the upload-to-verdict latency with the worker warm (median of ``--e2e-runs``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "ml" / "tests" / "fixtures"
TARGET_MS = 60.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def median_ms(fn, *, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per measurement (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first (default 5)")
    parser.add_argument("--naive-runs", type=int, default=15, help="timed runs of model.predict (default 15)")
    parser.add_argument("--skip-e2e", action="store_true", help="leave out the upload-to-verdict figures")
    parser.add_argument("--e2e-runs", type=int, default=10, help="warm uploads timed one by one (default 10)")
    parser.add_argument(
        "--e2e-queued", type=int, default=6, help="photos queued with the worker down (default 6)"
    )
    parser.add_argument(
        "--e2e-database-url",
        default="",
        help="a throwaway PostgreSQL database (its name must contain 'bench'; it is dropped); default SQLite",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from ml import runtime
    from ml.checkpoint import efficientnet_lite0_checkpoint_path, read_state_dict
    from ml.classifier import classify_images
    from ml.images import preprocess

    cores = sorted(os.sched_getaffinity(0))
    print(f"CPU cores usable: {cores}; ML_THREADS={os.environ.get('ML_THREADS', '(unset)')}")

    _, import_s = timed(lambda: __import__("tensorflow"))
    import keras
    import tensorflow as tf

    model_runtime, first_use_s = timed(runtime.get_runtime)
    _, checkpoint_s = timed(lambda: read_state_dict(efficientnet_lite0_checkpoint_path()))
    print(
        f"TF {tf.__version__}, Keras {keras.__version__}; intra-op threads "
        f"{tf.config.threading.get_intra_op_parallelism_threads() or 'default'}"
    )
    print("\n== model load (per worker process, once) ==")
    print(f"import tensorflow:                          {import_s:6.2f} s")
    print(
        f"build from checkpoint + trace (get_runtime): {first_use_s:6.2f} s  (checkpoint read: {checkpoint_s:.3f} s)"
    )

    photos = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".jpg", ".png", ".webp"})
    inputs = np.stack([preprocess(p) for p in photos])
    batch1 = inputs[:1]
    batch8 = inputs[:8]

    print(f"\n== model latency per image (median of {args.runs} runs after {args.warmup} warm-up) ==")
    b1 = median_ms(lambda: runtime.predict_probabilities(batch1), runs=args.runs, warmup=args.warmup)
    b8 = median_ms(lambda: runtime.predict_probabilities(batch8), runs=args.runs, warmup=args.warmup) / 8
    print(
        f"batch 1: {b1:7.1f} ms/image   (target <= {TARGET_MS:.0f} ms: {'met' if b1 <= TARGET_MS else 'NOT met'})"
    )
    print(f"batch 8: {b8:7.1f} ms/image")

    pre = median_ms(lambda: [preprocess(p) for p in photos], runs=5, warmup=1) / len(photos)
    e2e = median_ms(lambda: classify_images(photos), runs=5, warmup=1) / len(photos)
    print(
        f"preprocessing (decode, checks, crop, resize): {pre:6.1f} ms/image over the {len(photos)} fixture photos"
    )
    print(f"classify_images, all {len(photos)} fixtures in one call:  {e2e:6.1f} ms/image end to end")
    serving_rss = peak_rss_mib()
    print(f"peak RSS so far (model loaded and serving): {serving_rss:.0f} MiB")

    print(f"\n== naive Keras model.predict, one image per call (median of {args.naive_runs}) ==")
    model = model_runtime.model
    naive = median_ms(lambda: model.predict(batch1, verbose=0), runs=args.naive_runs, warmup=3)
    print(f"model.predict per image: {naive:7.1f} ms/image")
    print(f"ratio naive / hot path:  {naive / b1:7.1f}x at batch 1, {naive / b8:.1f}x vs batch 8")

    print("\n== for comparison only: a cached .keras file (workers do not use one) ==")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "efficientnet_lite0.keras"
        _, save_s = timed(lambda: model.save(path))
        loaded, load_s = timed(lambda: keras.saving.load_model(path))
        size_mib = path.stat().st_size / 2**20
        same = float(
            np.abs(np.asarray(loaded(batch8, training=False)) - runtime.predict_probabilities(batch8)).max()
        )
    print(
        f"save .keras: {save_s:.2f} s ({size_mib:.1f} MiB); load .keras: {load_s:.2f} s; max |difference|: {same:.1e}"
    )
    print(f"\npeak RSS, whole run: {peak_rss_mib():.0f} MiB")

    if not args.skip_e2e:
        end_to_end(args)


# ---------------------------------------------------------------------------------------------
# Upload to verdict through the ml worker.

E2E_PHOTOS = [
    ("gcompris_farm_dog.webp", "dog"),
    ("skimage_chelsea.png", "cat"),
    ("skimage_coffee.png", "neither"),
]
VERDICT_TIMEOUT_S = 300.0
POLL_S = 0.01


class ThrowawayDatabase:
    """A SQLite file in ``folder``, or a PostgreSQL database created (and later dropped) for the run."""

    def __init__(self, url: str, folder: Path):
        self.postgres = bool(url)
        self.url = url or f"sqlite:///{folder / 'bench.sqlite3'}"
        if self.postgres:
            parts = urlsplit(url)
            self.name = parts.path.lstrip("/")
            if "bench" not in self.name:
                raise SystemExit(
                    f"--e2e-database-url: the database name must contain 'bench' (got {self.name!r})"
                )
            self.server = urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgres:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _wait_for_verdicts(pet_ids: list[int], worker: subprocess.Popen, log: Path) -> dict[int, float]:
    """Seconds (perf_counter) at which each pet's verdict was first seen, polling every 10 ms."""
    from pets.models import Pet

    seen: dict[int, float] = {}
    deadline = time.perf_counter() + VERDICT_TIMEOUT_S
    while len(seen) < len(pet_ids):
        now = time.perf_counter()
        done = Pet.objects.filter(pk__in=[p for p in pet_ids if p not in seen]).exclude(
            photo_status="pending"
        )
        for pet_id in done.values_list("pk", flat=True):
            seen[pet_id] = now
        if worker.poll() is not None:
            raise SystemExit(f"the ml worker exited ({worker.returncode}):\n{log.read_text()[-3000:]}")
        if now > deadline:
            raise SystemExit(f"no verdict within {VERDICT_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(POLL_S)
    return seen


def end_to_end(args) -> None:
    print("\n== upload to verdict through the ml worker (django-q2 ORM queue, one worker) ==")
    with tempfile.TemporaryDirectory(prefix="petrasche-bench-") as folder:
        folder = Path(folder)
        database = ThrowawayDatabase(args.e2e_database_url, folder)
        database.create()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_core.settings.dev",
            "DATABASE_URL": database.url,
            "MEDIA_ROOT": str(folder / "media"),
            "Q_CLUSTER_NAME": "ml",
            "ML_THREADS": os.environ.get("ML_THREADS", "1"),
            "LOG_LEVEL": "WARNING",
        }
        try:
            _, migrate_s = timed(
                lambda: subprocess.run(
                    [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
            )
            print(
                f"throwaway database: {'PostgreSQL' if database.postgres else 'SQLite'}, migrated in {migrate_s:.1f} s"
            )
            for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDIA_ROOT", "LOG_LEVEL"):
                os.environ[key] = env[key]
            _measure_end_to_end(args, env, folder)
        finally:
            database.drop()


def _measure_end_to_end(args, env: dict, folder: Path) -> None:
    import django

    django.setup()
    from django.core.files.base import File
    from django_q.models import OrmQ

    from accounts.models import User
    from pets import services
    from pets.models import Pet

    owner = User.objects.create_user(username="benchowner", email="bench@example.com")

    uploads: list[float] = []

    def upload(index: int) -> tuple[Pet, str, float]:
        """Uploads a fixture photo for a new pet; records how long the service took."""
        name, expected = E2E_PHOTOS[index % len(E2E_PHOTOS)]
        with (FIXTURES / name).open("rb") as source:
            started = time.perf_counter()
            pet = services.pet_create(
                owner=owner, name=f"pet{index}", species="dog", photo=File(source, name=name)
            )
            uploads.append(time.perf_counter() - started)
            return pet, expected, started

    log = folder / "ml-worker.log"

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def stop(worker: subprocess.Popen) -> None:
        worker.terminate()  # the cluster's main process stops its sentinel and worker
        worker.wait(timeout=60)

    def check(pets: list[tuple[Pet, str, float]]) -> None:
        verdicts = dict(Pet.objects.filter(pk__in=[p.pk for p, _, _ in pets]).values_list("pk", "verdict"))
        wrong = [(p.name, expected, verdicts[p.pk]) for p, expected, _ in pets if verdicts[p.pk] != expected]
        if wrong:
            raise SystemExit(f"unexpected verdicts (name, expected, got): {wrong}")

    # 1. Photos uploaded while no worker runs wait in the queue; then the worker starts.
    queued = [upload(i) for i in range(args.e2e_queued)]
    waiting = OrmQ.objects.filter(key="ml").count()
    worker = start_worker()
    worker_started = time.perf_counter()
    try:
        seen = _wait_for_verdicts([p.pk for p, _, _ in queued], worker, log)
        check(queued)
        first = min(seen.values()) - worker_started
        drained = max(seen.values()) - worker_started
        print(
            f"{args.e2e_queued} photos queued with the worker down ({waiting} task rows waiting): first verdict "
            f"{first:.1f} s after the worker started (process start, TensorFlow import, model build), "
            f"all {drained:.1f} s"
        )

        # 2. Warm: one upload at a time, each timed from the upload to its verdict.
        latencies = []
        for i in range(args.e2e_runs):
            pet, expected, started = upload(args.e2e_queued + i)
            seen = _wait_for_verdicts([pet.pk], worker, log)
            latencies.append(seen[pet.pk] - started)
            check([(pet, expected, started)])
    finally:
        stop(worker)

    # 3. Cold: the worker starts at the moment of an upload.
    worker = start_worker()
    try:
        pet, expected, started = upload(10_000)
        seen = _wait_for_verdicts([pet.pk], worker, log)
        check([(pet, expected, started)])
        cold = seen[pet.pk] - started
    finally:
        stop(worker)

    median = statistics.median
    print(
        "upload (checks, re-encoding to WebP in 3 sizes, save, queue the task; what the request waits for): "
        f"median {median(uploads) * 1000:.0f} ms over {len(uploads)}"
    )
    print(
        f"upload -> verdict, worker warm: median {median(latencies) * 1000:.0f} ms, "
        f"min {min(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms over {len(latencies)} uploads "
        "(includes the ORM broker's 0.2 s poll)"
    )
    print(f"upload -> verdict, worker started at the upload (cold): {cold:.1f} s")


if __name__ == "__main__":
    main()
