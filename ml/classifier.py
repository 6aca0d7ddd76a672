"""The classifier's public API: is this photo a dog, a cat, or neither?

    from ml.classifier import classify_images
    verdicts = classify_images([path_or_bytes, ...])

Importing this module does not import TensorFlow: the model is loaded lazily, once per process,
by the first :func:`classify_images` call (see :mod:`ml.runtime`). Call it from the worker, not
from the web process. Every image is validated and preprocessed before any of them reaches the
model; an invalid one raises :class:`ml.images.ImageRejected` and nothing is classified.

Decision on the ImageNet-1k softmax: ``dog_score`` is the summed probability of classes 151-268
(dog breeds), ``cat_score`` of classes 281-285 (domestic cats). A group wins when its sum is at
least 0.5 or the top-1 class belongs to it; if both qualify, the larger sum wins (ties go to the
top-1's group). Otherwise the verdict is "neither". ``confidence`` is the winning group's sum, or
``1 - max(dog_score, cat_score)`` for "neither".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ml.images import ImageRejected, ImageSource, preprocess_batch

__all__ = [
    "CAT_CLASSES",
    "DOG_CLASSES",
    "ImageRejected",
    "Verdict",
    "classify_images",
    "verdict_from_probabilities",
]

DOG_CLASSES = range(151, 269)  # ImageNet 151 Chihuahua ... 268 Mexican hairless
CAT_CLASSES = range(281, 286)  # ImageNet 281 tabby ... 285 Egyptian cat
THRESHOLD = 0.5

Label = Literal["dog", "cat", "neither"]


@dataclass(frozen=True)
class Verdict:
    label: Label
    confidence: float
    dog_score: float
    cat_score: float
    top1_class: int


def verdict_from_probabilities(probabilities: np.ndarray) -> Verdict:
    """Applies the dog / cat / neither rule to one vector of 1000 ImageNet probabilities."""
    p = np.asarray(probabilities, dtype=np.float64)
    if p.shape != (1000,):
        raise ValueError(f"expected 1000 ImageNet probabilities, got shape {p.shape}")
    dog = float(p[DOG_CLASSES.start : DOG_CLASSES.stop].sum())
    cat = float(p[CAT_CLASSES.start : CAT_CLASSES.stop].sum())
    top1 = int(np.argmax(p))
    is_dog = dog >= THRESHOLD or top1 in DOG_CLASSES
    is_cat = cat >= THRESHOLD or top1 in CAT_CLASSES
    if is_dog and is_cat:
        is_dog = (dog, top1 in DOG_CLASSES) > (cat, top1 in CAT_CLASSES)
        is_cat = not is_dog
    if is_dog:
        return Verdict("dog", dog, dog, cat, top1)
    if is_cat:
        return Verdict("cat", cat, dog, cat, top1)
    return Verdict("neither", 1.0 - max(dog, cat), dog, cat, top1)


def classify_images(sources: Sequence[ImageSource]) -> list[Verdict]:
    """Verdicts for image files (paths) or image bytes, in order. Worker-side: loads the model.

    Raises :class:`ImageRejected` (too large, not an image, damaged, too many pixels, ...) before
    the model is touched if any input is invalid.
    """
    batch = preprocess_batch(sources)
    if not len(batch):
        return []
    from ml import runtime  # lazy: keeps TensorFlow out of processes that never classify

    return [verdict_from_probabilities(row) for row in runtime.predict_probabilities(batch)]
