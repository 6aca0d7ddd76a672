"""Checking and preprocessing images for the dog / cat classifier, with Pillow and numpy only.

This module must stay importable without TensorFlow (and without Django): the web process
(``site_core.images``) checks member photos with :func:`open_checked_image` and converts them with
:func:`to_rgb`, turning :class:`ImageRejected` codes into its own translated messages, and the
PyTorch reference script (``ml/tests/reference/make_reference.py``) uses :func:`preprocess` so that
its numbers differ from the Keras model's only by the network.

Checks, all made before an image can reach the model (:class:`ImageRejected` otherwise):

* at most :data:`MAX_BYTES` (10 MB) of input, checked before reading a file whole (a path, bytes,
  or a binary file object such as Django's ``UploadedFile``);
* a format in :data:`ALLOWED_FORMATS`, identified from the content, not the name. Only the allowed
  decoders verify or decode the bytes; when none of them recognises the input, Pillow's other
  plugins only parse its header, to tell an image in another format (``bad_format``) from
  something that is not an image at all (``not_an_image``);
* at most :data:`MAX_PIXELS` pixels, checked from the header before anything is decoded (Pillow's
  own ``Image.MAX_IMAGE_PIXELS`` guard, ``DecompressionBombError``, is caught as well);
* ``Image.verify()`` on a first opening, then a full decode of a second opening (``verify`` leaves
  an image unusable, and does not catch every truncation on its own).

Preprocessing follows the EfficientNet-Lite evaluation pipeline of the reference TensorFlow
implementation: EXIF orientation applied, any mode converted to RGB (transparency composited onto
white), a centred square crop of ``224 / (224 + 32)`` of the shorter side, resized to 224 x 224
with bicubic interpolation, then ``(x - 127) / 128``. Cropping first and resizing the crop is the
same geometry as "shorter side to 256, centre-crop 224", in one resampling step.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
_PILLOW_FORMATS = sorted(ALLOWED_FORMATS)

IMAGE_SIZE = 224
CROP_PADDING = 32
MEAN_RGB = 127.0
STDDEV_RGB = 128.0

ImageSource = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes]


class ImageRejected(ValueError):
    """An input the classifier will not look at. ``code`` says why, in a word."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def read_limited(source: ImageSource, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a path, bytes-like input or binary file object, refusing more than ``max_bytes``.

    A file object is read from its start and left rewound (as Django's uploaded files expect); one
    with a ``size`` attribute (Django's ``File``) is refused from it before anything is read.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif hasattr(source, "read"):
        size = getattr(source, "size", None)
        if size is not None and size > max_bytes:
            raise ImageRejected(f"the image is larger than {max_bytes} bytes", "too_large")
        source.seek(0)
        try:
            data = source.read(max_bytes + 1)
        finally:
            source.seek(0)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > max_bytes:
                raise ImageRejected(f"{path.name} is larger than {max_bytes} bytes", "too_large")
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as error:
            raise ImageRejected(
                f"cannot read {path.name}: {error.strerror or error}", "unreadable"
            ) from error
    else:
        raise TypeError(f"expected a file path, bytes or a file object, not {type(source).__name__}")
    if len(data) > max_bytes:
        raise ImageRejected(f"the image is larger than {max_bytes} bytes", "too_large")
    if not data:
        raise ImageRejected("the file is empty", "empty")
    return data


def open_checked_image(source: ImageSource, *, draft_size: int | None = None) -> Image.Image:
    """Validates the input and returns it fully decoded (first frame), or raises ImageRejected.

    ``draft_size`` lets the JPEG decoder scale down by a power of two while decoding, keeping both
    sides at least that large (much faster for big photos; used by :func:`preprocess`).
    """
    data = read_limited(source)
    try:
        # Only the allowed decoders ever see the bytes; anything else is "not an image".
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS) as probe:
            width, height = probe.size
            if width < 1 or height < 1:
                raise ImageRejected("the image has no pixels", "invalid_image")
            if width * height > MAX_PIXELS:
                raise ImageRejected(f"the image has too many pixels ({width} x {height})", "too_many_pixels")
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS)
        if draft_size is not None and image.format == "JPEG":
            image.draft(image.mode, (draft_size, draft_size))
        image.load()
    except ImageRejected:
        raise
    except Image.DecompressionBombError as error:
        raise ImageRejected("the image has too many pixels", "too_many_pixels") from error
    except UnidentifiedImageError as error:
        other = _other_format(data)
        if other is not None:
            raise ImageRejected(
                f"the file is not a JPEG, PNG, WebP or GIF image (it reads as {other})", "bad_format"
            ) from error
        raise ImageRejected("the file is not a JPEG, PNG, WebP or GIF image", "not_an_image") from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ImageRejected(f"the image is damaged or truncated: {error}", "invalid_image") from error
    return image


def _other_format(data: bytes) -> str | None:
    """The format Pillow's full plugin set names for bytes no allowed decoder would open, if any.

    ``Image.open`` only reads the header; the image is closed without being verified or decoded.
    """
    try:
        with Image.open(io.BytesIO(data)) as other:
            image_format = other.format
    except Image.DecompressionBombError as error:
        raise ImageRejected("the image has too many pixels", "too_many_pixels") from error
    except Exception:  # whatever a header parser raises: not an image we can name
        return None
    return image_format if image_format and image_format not in ALLOWED_FORMATS else None


_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})


def to_rgb(image: Image.Image) -> Image.Image:
    """Applies EXIF orientation and converts any mode to 8-bit RGB, compositing alpha onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in _SIXTEEN_BIT_MODES or image.mode in {"I", "F"}:
        image = _high_depth_to_l(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
    if has_alpha:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode == "RGB":
        return image
    try:
        return image.convert("RGB")
    except ValueError as error:
        raise ImageRejected(f"images in mode {image.mode} are not supported", "bad_mode") from error


def _high_depth_to_l(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale to 8-bit: 16-bit ranges are scaled, floats taken as 0-255."""
    values = np.asarray(image, dtype=np.float64)
    if image.mode in _SIXTEEN_BIT_MODES or (image.mode == "I" and values.size and values.max() > 255):
        values = values / 257.0
    grey = Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), mode="L")
    if "transparency" in image.info:
        # A tRNS grey level given in the source depth: mark it in the 8-bit copy as fully transparent.
        mask = np.asarray(image) != image.info["transparency"]
        grey = Image.merge("LA", (grey, Image.fromarray((mask * 255).astype(np.uint8), mode="L")))
    return grey


def centre_crop_box(width: int, height: int) -> tuple[int, int, int, int]:
    """The centred square that EfficientNet's evaluation crops: 224/256 of the shorter side."""
    crop = max(1, int(IMAGE_SIZE / (IMAGE_SIZE + CROP_PADDING) * min(width, height)))
    left = (width - crop + 1) // 2
    top = (height - crop + 1) // 2
    return left, top, left + crop, top + crop


def to_model_input(rgb: Image.Image) -> np.ndarray:
    """An RGB image as a (224, 224, 3) float32 array in the model's (x - 127) / 128 scale."""
    if rgb.mode != "RGB":
        raise ValueError("to_model_input expects an RGB image; use to_rgb first")
    resized = rgb.resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BICUBIC, box=centre_crop_box(*rgb.size))
    pixels = np.asarray(resized, dtype=np.float32)
    return (pixels - np.float32(MEAN_RGB)) / np.float32(STDDEV_RGB)


def preprocess(source: ImageSource) -> np.ndarray:
    """Validates one image and returns the (224, 224, 3) float32 model input (NHWC without N)."""
    # The crop is 7/8 of the shorter side; decoding at >= 256 px keeps it at >= 224 px.
    image = open_checked_image(source, draft_size=IMAGE_SIZE + CROP_PADDING)
    try:
        return to_model_input(to_rgb(image))
    finally:
        image.close()


def preprocess_batch(sources: Iterable[ImageSource]) -> np.ndarray:
    """Validates and preprocesses every image before returning an (N, 224, 224, 3) batch.

    The first invalid input raises :class:`ImageRejected` (its message names the position), so a
    batch with a bad image never reaches the model.
    """
    arrays = []
    for index, source in enumerate(sources):
        try:
            arrays.append(preprocess(source))
        except ImageRejected as error:
            raise ImageRejected(f"image #{index}: {error}", error.code) from error
    if not arrays:
        return np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.float32)
    return np.stack(arrays)
