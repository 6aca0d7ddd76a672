"""The decision rule and the public API's guarantees that need no model."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ml import classifier, runtime
from ml.apps import MlConfig
from ml.classifier import ImageRejected, Verdict, classify_images, verdict_from_probabilities

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def probabilities(**mass: float) -> np.ndarray:
    """1000 probabilities with the given mass on classes written as c<index>, the rest spread evenly."""
    p = np.zeros(1000)
    for name, value in mass.items():
        p[int(name[1:])] = value
    rest = 1.0 - p.sum()
    p[p == 0] = rest / np.count_nonzero(p == 0)
    return p


def test_dog_by_probability_sum():
    p = probabilities(c151=0.2, c200=0.2, c268=0.15, c500=0.3)
    verdict = verdict_from_probabilities(p)
    assert verdict.label == "dog"
    assert verdict.top1_class == 500
    assert verdict.confidence == pytest.approx(verdict.dog_score)
    assert verdict.dog_score == pytest.approx(0.55 + 115 * 0.15 / 996)


def test_cat_by_top1_below_half():
    verdict = verdict_from_probabilities(probabilities(c281=0.3, c500=0.25, c501=0.25))
    assert (verdict.label, verdict.top1_class) == ("cat", 281)
    assert verdict.confidence == pytest.approx(verdict.cat_score)
    assert verdict.cat_score < 0.5


def test_neighbouring_classes_are_neither():
    # 150 (sea lion), 269 (timber wolf), 280 (grey fox) and 286 (cougar) are outside both groups.
    verdict = verdict_from_probabilities(probabilities(c150=0.3, c269=0.3, c280=0.2, c286=0.19))
    assert verdict.label == "neither"
    assert verdict.confidence == pytest.approx(1 - max(verdict.dog_score, verdict.cat_score))


def test_both_groups_qualify_larger_sum_wins():
    # Dog breeds sum to 0.6 but the single most likely class is a cat.
    verdict = verdict_from_probabilities(probabilities(c281=0.35, c160=0.2, c161=0.2, c162=0.2))
    assert verdict.top1_class == 281
    assert verdict.label == "dog"


def test_verdict_fields_are_plain_python_numbers():
    verdict = verdict_from_probabilities(probabilities(c235=0.9))
    assert verdict == Verdict("dog", verdict.dog_score, verdict.dog_score, verdict.cat_score, 235)
    assert all(type(v) is float for v in (verdict.confidence, verdict.dog_score, verdict.cat_score))
    assert type(verdict.top1_class) is int


def test_wrong_shape_is_an_error():
    with pytest.raises(ValueError, match="1000"):
        verdict_from_probabilities(np.ones(999) / 999)


@pytest.fixture
def model_forbidden(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the model must not be touched")

    monkeypatch.setattr(runtime, "get_runtime", forbidden)
    monkeypatch.setattr(runtime, "predict_probabilities", forbidden)


@pytest.mark.usefixtures("model_forbidden")
@pytest.mark.parametrize(
    "bad",
    [
        b"not an image",
        (FIXTURES / "skimage_rocket.jpg").read_bytes()[:20000],  # truncated
        b"\x00" * (11 * 1024 * 1024),  # oversized
    ],
)
def test_a_bad_image_stops_the_batch_before_the_model(bad):
    with pytest.raises(ImageRejected, match="image #1"):
        classify_images([FIXTURES / "gcompris_farm_dog.webp", bad])


@pytest.mark.usefixtures("model_forbidden")
def test_no_images_no_model():
    assert classify_images([]) == []


@pytest.mark.processes
def test_web_side_modules_do_not_import_tensorflow():
    code = (
        "import sys, ml, ml.apps, ml.images, ml.checkpoint, ml.classifier, ml.runtime\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'tensorflow', 'keras', 'torch'})\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)  # noqa: S603


def test_app_label():
    assert (MlConfig.name, MlConfig.label) == ("ml", "ml")
    assert (classifier.DOG_CLASSES.start, classifier.DOG_CLASSES.stop) == (151, 269)
    assert (classifier.CAT_CLASSES.start, classifier.CAT_CLASSES.stop) == (281, 286)
