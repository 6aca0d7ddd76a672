"""The Keras EfficientNet-Lite0 with the real weights (loaded once per session: see conftest.ml_runtime)."""

import hashlib

import numpy as np
import pytest

from ml.checkpoint import efficientnet_lite0_checkpoint_path, read_state_dict
from ml.classifier import classify_images
from ml.images import preprocess

from .conftest import FIXTURES, REFERENCE, fixture_labels

EXPECTED = {"dog": "dog", "cat": "cat", "other": "neither", "other_animal": "neither"}
LABELS = fixture_labels()


@pytest.fixture(scope="session")
def reference():
    with np.load(REFERENCE) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="session")
def fixture_verdicts(ml_runtime):
    names = sorted(LABELS)
    return dict(zip(names, classify_images([FIXTURES / name for name in names]), strict=True))


def test_every_checkpoint_tensor_is_used_and_every_weight_assigned(ml_runtime):
    report = ml_runtime.load_report
    assert report.checkpoint_tensors == 296
    assert report.keras_variables == len(ml_runtime.model.weights) == 247
    assert len(report.consumed_counters) == 49  # one num_batches_tracked per BatchNorm
    assert report.keras_variables + len(report.consumed_counters) == report.checkpoint_tensors


def test_weight_mapping_refuses_extra_or_missing_tensors(ml_runtime):
    from ml.efficientnet_lite import WeightMappingError, build_model, load_state_dict

    state = read_state_dict(efficientnet_lite0_checkpoint_path())
    model = build_model()
    with pytest.raises(WeightMappingError, match="left unused"):
        load_state_dict(model, {**state, "_blocks.16._bn1.weight": np.zeros(3, np.float32)})
    del state["_blocks.7._project_conv.weight"]
    with pytest.raises(WeightMappingError, match=r"no tensor _blocks\.7\._project_conv\.weight"):
        load_state_dict(model, state)


def test_stride_two_convs_pad_like_tensorflow_same():
    from ml.efficientnet_lite import same_padding

    assert same_padding(224, 3, 2) == (0, 1)  # PyTorch's usual padding=1 would be (1, 1)
    assert same_padding(56, 5, 2) == (1, 2)
    assert same_padding(14, 5, 1) == (2, 2)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_fixture_verdict(name, fixture_verdicts):
    verdict = fixture_verdicts[name]
    assert verdict.label == EXPECTED[LABELS[name]], verdict
    assert 0.5 <= verdict.confidence <= 1.0


def test_probabilities_match_the_pytorch_reference(ml_runtime, reference):
    from ml.runtime import predict_probabilities

    files = [FIXTURES / str(name) for name in reference["files"]]
    assert sorted(reference["files"]) == sorted(LABELS)
    assert [hashlib.sha256(f.read_bytes()).hexdigest() for f in files] == list(reference["file_sha256"])
    checkpoint = hashlib.sha256(efficientnet_lite0_checkpoint_path().read_bytes()).hexdigest()
    assert checkpoint == str(reference["checkpoint_sha256"])

    probabilities = predict_probabilities(np.stack([preprocess(f) for f in files]))
    assert probabilities.shape == (len(files), 1000)
    assert np.abs(probabilities - reference["probabilities"]).max() < 1e-5
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_batch_and_single_predictions_agree(ml_runtime):
    from ml.runtime import predict_probabilities

    batch = np.stack([preprocess(FIXTURES / name) for name in sorted(LABELS)[:3]])
    together = predict_probabilities(batch)
    alone = np.concatenate([predict_probabilities(batch[i : i + 1]) for i in range(3)])
    # Not bit-identical: oneDNN picks kernels (summation orders) by batch size and thread count.
    assert np.abs(together - alone).max() < 1e-5


def test_long_lists_are_split_into_batches(ml_runtime, monkeypatch):
    from ml.runtime import predict_probabilities

    batch = np.stack([preprocess(FIXTURES / name) for name in sorted(LABELS)[:5]])
    whole = predict_probabilities(batch)
    monkeypatch.setenv("ML_MAX_BATCH", "2")
    assert np.abs(predict_probabilities(batch) - whole).max() < 1e-5


def test_bytes_and_paths_give_the_same_verdict(ml_runtime):
    path = FIXTURES / "skimage_chelsea.png"
    by_path, by_bytes = classify_images([path, path.read_bytes()])
    assert (by_path.label, by_path.top1_class) == (by_bytes.label, by_bytes.top1_class)
    # One batch, two rows: the CPU kernels may sum in another order per row (float32 rounding).
    for score in ("confidence", "dog_score", "cat_score"):
        assert getattr(by_path, score) == pytest.approx(getattr(by_bytes, score), abs=1e-5)
    assert by_path.label == "cat"


# Keras' saver calls np.array() on TF variables, whose __array__ predates numpy 2's copy keyword.
@pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)
def test_model_round_trips_through_a_keras_file(ml_runtime, tmp_path):
    import keras

    path = tmp_path / "efficientnet_lite0.keras"
    ml_runtime.model.save(path)
    loaded = keras.saving.load_model(path)
    x = np.stack([preprocess(FIXTURES / "gcompris_farm_dog.webp")])
    assert np.abs(np.asarray(loaded(x, training=False)) - ml_runtime.infer(x).numpy()).max() < 1e-6
