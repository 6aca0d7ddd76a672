"""The restricted reader of the legacy PyTorch checkpoint (no torch, no TensorFlow)."""

import collections
import io
import os
import pickle
import struct
import sys
import types

import numpy as np
import pytest

from ml.checkpoint import (
    LEGACY_MAGIC_NUMBER,
    LEGACY_PROTOCOL_VERSION,
    CheckpointError,
    efficientnet_lite0_checkpoint_path,
    read_state_dict,
)

HEADER = (
    pickle.dumps(LEGACY_MAGIC_NUMBER, protocol=2)
    + pickle.dumps(LEGACY_PROTOCOL_VERSION, protocol=2)
    + pickle.dumps({"protocol_version": 1001, "little_endian": True, "type_sizes": {"int": 4}}, protocol=2)
)


@pytest.fixture
def fake_torch(monkeypatch):
    """Importable stand-ins named like torch's, so the standard pickler writes what torch.save writes."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    class FloatStorage:
        def __init__(self, key, values):
            self.key, self.values = key, np.asarray(values, dtype="<f4")

    def _rebuild_tensor_v2(*args):  # never called: only its name goes into the pickle
        raise AssertionError

    FloatStorage.__module__, FloatStorage.__qualname__ = "torch", "FloatStorage"
    _rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = "torch._utils", "_rebuild_tensor_v2"
    torch.FloatStorage, torch._utils, utils._rebuild_tensor_v2 = FloatStorage, utils, _rebuild_tensor_v2
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return torch


def legacy_file(fake_torch, tensors) -> bytes:
    """A legacy-format checkpoint: ``tensors`` maps name -> (storage, offset, size, stride)."""

    class Tensor:
        def __init__(self, storage, offset, size, stride):
            self.args = (storage, offset, size, stride, False, collections.OrderedDict())

        def __reduce__(self):
            return sys.modules["torch._utils"]._rebuild_tensor_v2, self.args

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, fake_torch.FloatStorage):
                return ("storage", fake_torch.FloatStorage, obj.key, "cpu", obj.values.size, None)
            return None

    state = collections.OrderedDict((name, Tensor(*spec)) for name, spec in tensors.items())
    storages = {spec[0].key: spec[0] for spec in tensors.values()}
    body = io.BytesIO()
    Pickler(body, protocol=2).dump(state)
    body.write(pickle.dumps(list(storages), protocol=2))
    for storage in storages.values():
        body.write(struct.pack("<q", storage.values.size) + storage.values.tobytes())
    return HEADER + body.getvalue()


def test_reads_strided_views_of_shared_storage(fake_torch):
    storage = fake_torch.FloatStorage("7", np.arange(10))
    data = legacy_file(
        fake_torch,
        {
            "matrix": (storage, 0, (2, 3), (3, 1)),
            "transposed": (storage, 0, (3, 2), (1, 3)),
            "tail": (storage, 6, (4,), (1,)),
            "scalar": (storage, 9, (), ()),
        },
    )
    state = read_state_dict(data)
    assert list(state) == ["matrix", "transposed", "tail", "scalar"]
    assert np.array_equal(state["matrix"], [[0, 1, 2], [3, 4, 5]])
    assert np.array_equal(state["transposed"], [[0, 3], [1, 4], [2, 5]])
    assert np.array_equal(state["tail"], [6, 7, 8, 9])
    assert state["scalar"].shape == ()
    assert state["scalar"] == 9
    assert state["matrix"].dtype == np.float32
    assert state["matrix"].flags.c_contiguous


def test_tensor_past_the_end_of_its_storage_is_refused(fake_torch):
    storage = fake_torch.FloatStorage("1", np.arange(4))
    with pytest.raises(CheckpointError, match="past the end"):
        read_state_dict(legacy_file(fake_torch, {"x": (storage, 2, (3,), (1,))}))


def test_truncated_storage_data_is_refused(fake_torch):
    storage = fake_torch.FloatStorage("1", np.arange(4))
    data = legacy_file(fake_torch, {"x": (storage, 0, (4,), (1,))})
    with pytest.raises(CheckpointError, match="truncated"):
        read_state_dict(data[:-3])


class RunsCode:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(collections.OrderedDict(x=RunsCode()), protocol=2),
        pickle.dumps({"x": RunsCode()}, protocol=4),
        b"cbuiltins\neval\n(S'1+1'\ntR.",
    ],
)
def test_pickle_calling_anything_else_is_refused(payload, monkeypatch):
    monkeypatch.setattr(os, "system", lambda *args: pytest.fail("os.system was called"))
    with pytest.raises(CheckpointError, match="refusing to load"):
        read_state_dict(HEADER + payload)


def test_globals_in_the_header_pickles_are_refused():
    with pytest.raises(CheckpointError, match="refusing to load"):
        read_state_dict(pickle.dumps(RunsCode(), protocol=2))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 rest of a zip", "zip-format"),
        (pickle.dumps(42, protocol=2), "magic number"),
        (b"", "not a legacy PyTorch checkpoint"),
        (HEADER + pickle.dumps([1, 2, 3], protocol=2), "flat state dict"),
    ],
)
def test_other_files_are_refused(data, message):
    with pytest.raises(CheckpointError, match=message):
        read_state_dict(data)


def test_reads_the_shipped_efficientnet_lite0_checkpoint():
    state = read_state_dict(efficientnet_lite0_checkpoint_path())
    assert len(state) == 296
    assert "torch" not in sys.modules
    assert state["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert state["_blocks.15._depthwise_conv.weight"].shape == (1152, 1, 3, 3)
    assert state["_fc.weight"].shape == (1000, 1280)
    floats = [v for v in state.values() if v.dtype == np.float32]
    counters = [k for k, v in state.items() if v.dtype == np.int64]
    assert len(floats) + len(counters) == 296
    assert all(k.endswith(".num_batches_tracked") for k in counters)
    assert sum(v.size for v in floats) == 4_694_024  # 4,652,008 parameters + BN running statistics
    assert all(np.isfinite(v).all() for v in floats)
