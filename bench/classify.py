"""Benchmark of the dog / cat classifier's model layer (ml/).

Run from the repository root, pinned to one core:

    ML_THREADS=1 taskset -c 0 .venv/bin/python bench/classify.py

Prints: the model load time (TensorFlow import; building from the wheel's checkpoint, which is what
workers do; for comparison only, saving and loading a .keras file, which workers do not use), the
per-image model latency at batch 1 and batch 8 through the hot path (``ml.runtime.predict_probabilities``,
a traced ``model(x, training=False)``), the same for naive per-image ``model.predict`` with the ratio,
preprocessing and end-to-end ``classify_images`` time per image, and the peak RSS
(``resource.getrusage``). Latencies are medians over ``--runs`` timed runs after ``--warmup`` runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

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


if __name__ == "__main__":
    main()
