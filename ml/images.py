"""Checking, decoding and converting images, with Pillow and numpy only (no TensorFlow, no Django).

The web process (``core.images``) checks member photos and scales them with
:func:`open_scaled_rgb`, turning :class:`ImageRejected` codes into its own translated messages; the
classifier preprocesses with :func:`preprocess`, which the PyTorch reference script
(``ml/tests/reference/make_reference.py``) also uses, so that its numbers differ from the Keras
model's only by the network.

Checks, all made before an image is used (:class:`ImageRejected` otherwise):

* at most :data:`MAX_BYTES` (10 MB) of input, checked before reading a file whole (a path, bytes,
  or a binary file object such as Django's ``UploadedFile``);
* a format in :data:`ALLOWED_FORMATS`, identified from the content, not the name (HEIC/HEIF, as
  iPhones save photos, through pi-heif's decode-only libheif plugin). Only the allowed
  decoders verify or decode the bytes; when none of them recognises the input, Pillow's other
  plugins only parse its header, to tell an image in another format (``bad_format``) from
  something that is not an image at all (``not_an_image``);
* at most :data:`MAX_PIXELS` (25 million) pixels, checked from the header before anything is
  decoded (Pillow's own ``Image.MAX_IMAGE_PIXELS`` guard, ``DecompressionBombError``, is caught as
  well);
* ``Image.verify()`` on a first opening, then a full decode of a second opening (``verify`` leaves
  an image unusable, and does not catch every truncation on its own).

Bounded work. A decoded picture takes up to 4 bytes a pixel (100 MB at the pixel limit), and its
size, not the file's, sets the cost: a 150 KB PNG can hold 25 million pixels. So each process
decodes at most :data:`decode_slots` images at once (``UPLOAD_DECODE_CONCURRENCY``; callers hold a
slot from the decode until only scaled-down images are left), a JPEG is decoded at 1/2, 1/4 or 1/8
scale when that still covers the largest size the caller needs, and everything after the decode
works at that size, except the steps that need every pixel (palette and transparency onto white).

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
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import pi_heif
from PIL import ExifTags, Image, JpegImagePlugin, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# The site's promise is in whole megapixels (core.images tells members "at most 25").
MAX_PIXELS = 25_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "HEIF"})
# HEIF's orientation is its irot/imir transforms, which libheif applies while decoding; pi-heif then
# sets the EXIF tag to 1 so that the orientation step below does not turn the picture twice.
# No thumbnails: only the primary image is ever read.
pi_heif.register_heif_opener(thumbnails=False)
_PILLOW_FORMATS = sorted(ALLOWED_FORMATS)

IMAGE_SIZE = 224
CROP_PADDING = 32
MEAN_RGB = 127.0
STDDEV_RGB = 128.0

ImageSource = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes]


class ImageRejected(ValueError):
    """An input that will not be used. ``code`` says why, in a word; ``params`` holds the figures a
    message can quote (``width`` and ``height`` for ``too_many_pixels``, when the header gave them)."""

    def __init__(self, message: str, code: str, **params: int):
        super().__init__(message)
        self.code = code
        self.params = params


class DecodeSlots:
    """At most ``count`` images decoded at once in this process; the others wait for a slot.

    A decoded picture is the one large allocation an image makes, so holding a slot from the decode
    until only scaled-down copies are left bounds a process's memory for images at ``count`` decoded
    pictures, whatever the number of requests or tasks in flight. ``count`` is set once at start-up
    (``ml.apps`` from the ``UPLOAD_DECODE_CONCURRENCY`` setting).
    """

    def __init__(self, count: int = 1):
        self.configure(count)

    def configure(self, count: int) -> None:
        if count < 1:
            raise ValueError(f"at least one image must be decodable at a time, not {count}")
        self.count = count
        self._semaphore = threading.BoundedSemaphore(count)

    @contextmanager
    def hold(self) -> Iterator[None]:
        semaphore = self._semaphore  # the one acquired is the one released, even across configure()
        with semaphore:
            yield


decode_slots = DecodeSlots()


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


@contextmanager
def _refusals(data: bytes) -> Iterator[None]:
    """What Pillow raises while opening, verifying, decoding or converting ``data``, as ImageRejected."""
    try:
        yield
    except ImageRejected:
        raise
    except Image.DecompressionBombError as error:
        raise ImageRejected("the image has too many pixels", "too_many_pixels") from error
    except UnidentifiedImageError as error:
        other = _other_format(data)
        if other is not None:
            raise ImageRejected(
                f"the file is not a JPEG, PNG, WebP, GIF or HEIC image (it reads as {other})", "bad_format"
            ) from error
        raise ImageRejected("the file is not a JPEG, PNG, WebP, GIF or HEIC image", "not_an_image") from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ImageRejected(f"the image is damaged or truncated: {error}", "invalid_image") from error


def _open_verified(data: bytes) -> Image.Image:
    """The image with its header checked and its data verified, opened again and not decoded yet."""
    # Only the allowed decoders ever see the bytes; anything else is "not an image".
    with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS) as probe:
        width, height = probe.size
        if width < 1 or height < 1:
            raise ImageRejected("the image has no pixels", "invalid_image")
        if width * height > MAX_PIXELS:
            raise ImageRejected(
                f"the image has too many pixels ({width} x {height})",
                "too_many_pixels",
                width=width,
                height=height,
            )
        probe.verify()
    return Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS)


def _decode(image: Image.Image, at_least: tuple[int, int] | None = None) -> None:
    """Decodes the first frame; a JPEG (multi-picture ones too) at the smallest of 1/8, 1/4, 1/2 or
    full scale that keeps both sides at least ``at_least`` (libjpeg scales while decoding)."""
    if at_least is not None and isinstance(image, JpegImagePlugin.JpegImageFile):
        image.draft(image.mode, at_least)
    image.load()


def open_checked_image(source: ImageSource, *, draft_size: int | None = None) -> Image.Image:
    """Validates the input and returns it fully decoded (first frame), or raises ImageRejected.

    ``draft_size`` lets the JPEG decoder scale down by a power of two while decoding, keeping both
    sides at least that large (much faster for big photos; used by :func:`preprocess`). Call it
    inside ``decode_slots.hold()`` for as long as the decoded image is kept.
    """
    data = read_limited(source)
    with _refusals(data):
        image = _open_verified(data)
        _decode(image, None if draft_size is None else (draft_size, draft_size))
    return image


def scaled_size(width: int, height: int, *, cover_long: int, cover_short: int) -> tuple[int, int]:
    """The smallest size of ``width`` x ``height`` (same proportions, never larger) whose longer side
    is still at least ``cover_long`` and shorter side at least ``cover_short`` pixels.

    Rounded as Pillow's ``thumbnail`` rounds, so that scaling to fit a ``cover_long`` square lands
    on the very size ``thumbnail`` gives.
    """
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, max(cover_long / long_side, cover_short / short_side))
    if scale >= 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def open_scaled_rgb(source: ImageSource, *, cover_long: int, cover_short: int) -> Image.Image:
    """The checked image as 8-bit RGB, EXIF orientation applied, scaled down once to
    :func:`scaled_size` (``cover_long``, ``cover_short``): every smaller size the caller derives from
    it is then a resize of an image already small.

    A JPEG is decoded at a reduced scale when that still covers the size; the conversion to RGB
    (transparency onto white, 16-bit grey to 8-bit) and the orientation run at the scaled size,
    except what needs every pixel. Call it inside ``decode_slots.hold()``.
    """
    data = read_limited(source)
    with _refusals(data):
        image = _open_verified(data)
        size = scaled_size(*image.size, cover_long=cover_long, cover_short=cover_short)
        _decode(image, size if size != image.size else None)
        return _rgb(image, size)


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
_HIGH_DEPTH_MODES = _SIXTEEN_BIT_MODES | {"I", "F"}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
# EXIF orientation -> the transposition that shows the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def to_rgb(image: Image.Image) -> Image.Image:
    """Applies EXIF orientation and converts any mode to 8-bit RGB, compositing alpha onto white."""
    return _rgb(image, image.size)


def _rgb(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` (decoded, in its stored orientation) as upright 8-bit RGB resized to ``size``, in
    one resampling step; ``size`` is in the stored orientation.

    Transparency goes onto white and palettes become colours before the resize (a palette cannot be
    resampled, and compositing first keeps transparent pixels' colours out of the edges); 16-bit grey
    is resized at its own depth and scaled to 8 bits after. Orientation is applied last, to the small
    image.
    """
    upright = _UPRIGHT.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    if image.mode in _HIGH_DEPTH_MODES:
        sixteen_bit = image.mode in _SIXTEEN_BIT_MODES or (image.mode == "I" and image.getextrema()[1] > 255)
        flat = _high_depth_to_l(_resized(_high_depth_on_white(image, sixteen_bit), size), sixteen_bit)
    else:
        flat = _resized(_on_white(image), size)
    if flat.mode != "RGB":
        try:
            flat = flat.convert("RGB")
        except ValueError as error:
            raise ImageRejected(f"images in mode {image.mode} are not supported", "bad_mode") from error
    return flat.transpose(upright) if upright is not None else flat


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    # The one resampling of the whole decode, usually by less than 2.5x (a JPEG is decoded at the
    # nearest scale above): bicubic differs from Lanczos by less than the WebP encoding does (PSNR
    # 45-52 dB against about 38) for two thirds of the work. A box reduction comes first when
    # shrinking more than 3x, as sharp as resampling the whole way.
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)


def _on_white(image: Image.Image) -> Image.Image:
    """An 8-bit image with any transparency composited onto white, palettes and 1-bit as colours."""
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        if image.mode not in {"RGBA", "LA"}:
            image = image.convert("RGBA")
        white = Image.new("RGB", image.size, (255, 255, 255))
        white.paste(image, mask=image)
        return white
    if image.mode == "P":
        return image.convert("RGB")
    if image.mode == "1":
        return image.convert("L")
    return image


def _high_depth_on_white(image: Image.Image, sixteen_bit: bool) -> Image.Image:
    """A 16- or 32-bit grey image with its tRNS grey level (fully transparent) made white."""
    if "transparency" not in image.info:
        return image
    values = np.asarray(image)
    white = 65535 if sixteen_bit else 255
    return Image.fromarray(np.where(values == image.info["transparency"], values.dtype.type(white), values))


def _high_depth_to_l(image: Image.Image, sixteen_bit: bool) -> Image.Image:
    """16-bit and 32-bit greyscale to 8-bit: 16-bit ranges are scaled, other values taken as 0-255."""
    values = np.asarray(image, dtype=np.float64)
    if sixteen_bit:
        values = values / 257.0
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))


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
    with decode_slots.hold():
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
