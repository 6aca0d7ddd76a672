"""Checking and re-encoding member photos.

Every uploaded photo passes through here before anything is stored: the file must be a
real JPEG, PNG, WebP, GIF or HEIC (iPhone) photo of at most 10 MB and 25 megapixels, fully
decodable. What is stored is re-encoded by Pillow (orientation applied, metadata such as EXIF location
dropped), in the sizes pages use; the upload itself is never kept or served.

The work is bounded by what is stored, not by what was sent: one decode per photo (a JPEG at
reduced scale when that still covers the largest size), scaled down once to cover every size, the
smaller sizes derived from that, inside one of the process's decode slots (``ml.images``,
``UPLOAD_DECODE_CONCURRENCY``). The checks and the conversion to RGB are :mod:`ml.images`' (the
classifier's, Django-free); this module turns its :class:`~ml.images.ImageRejected` codes into the
translated messages members see.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from ml import images as checks
from ml.images import ImageRejected

MAX_UPLOAD_BYTES = checks.MAX_BYTES
# What photo inputs offer to choose (iOS sends HEIC as it is only when it is listed).
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif"
MAX_MEGAPIXELS = checks.MAX_PIXELS // 1_000_000


@dataclass(frozen=True)
class Variant:
    name: str
    max_side: int
    square: bool = False
    quality: int = 82
    # libwebp's effort (0-6); the full size uses 2 (its time against 4: bench/README.md, Uploads).
    method: int = 4


FULL = Variant("full", 2048, method=2)
DISPLAY = Variant("display", 1080)
THUMB = Variant("thumb", 400, square=True, quality=78)
VARIANTS = (FULL, DISPLAY, THUMB)

_INVALID_IMAGE = _("This file is not an image we can read, or it is damaged.")
# What members are told for each ml.images.ImageRejected code; any other code (not_an_image,
# invalid_image, bad_mode, ...) is "invalid_image".
_REFUSALS = {
    "too_large": _("Photos can be at most 10 MB."),
    "empty": _("The file is empty."),
    "bad_format": _("Only JPEG, PNG, WebP, GIF and HEIC photos are accepted."),
    "too_many_pixels": _("Photos can be at most %(megapixels)d megapixels."),
}
_TOO_MANY_PIXELS_SIZED = _(
    "Photos can be at most %(megapixels)d megapixels; this one is %(width)d × %(height)d pixels."
)


@contextmanager
def _refusals_as_validation_errors():
    try:
        yield
    except ImageRejected as error:
        code = error.code if error.code in _REFUSALS else "invalid_image"
        message = _REFUSALS.get(code, _INVALID_IMAGE)
        params = {}
        if code == "too_many_pixels":
            params = {"megapixels": MAX_MEGAPIXELS, **error.params}
            if "width" in params:
                message = _TOO_MANY_PIXELS_SIZED
        raise ValidationError(message, code=code, params=params or None) from error


def open_checked_image(upload) -> Image.Image:
    """Returns the fully decoded image, or raises ValidationError saying what is wrong.

    ``upload`` is a Django ``File`` / ``UploadedFile`` (read from its start and left rewound); the
    checks themselves are :func:`ml.images.open_checked_image`'s.
    """
    with _refusals_as_validation_errors():
        return checks.open_checked_image(upload)


def _covers(image: Image.Image, variant: Variant, largest: Image.Image) -> bool:
    """Whether ``image`` is large enough to make ``variant`` as well as ``largest`` would."""
    if variant.square:
        return min(image.size) >= min(variant.max_side, *largest.size)
    return max(image.size) >= min(variant.max_side, max(largest.size))


def _resize(image: Image.Image, variant: Variant) -> Image.Image:
    if variant.square:
        return ImageOps.fit(image, (variant.max_side, variant.max_side), Image.Resampling.LANCZOS)
    size = checks.scaled_size(*image.size, cover_long=variant.max_side, cover_short=0)
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)


def _scaled(upload, variants: tuple[Variant, ...]) -> dict[Variant, Image.Image]:
    """Each variant of the upload, largest first, each resized from the smallest image at hand that
    covers it: the one scaled-down decode for the largest, then the variant before it.

    The decode slot is held until only images of the stored sizes are left.
    """
    cover_long = max((v.max_side for v in variants if not v.square), default=0)
    cover_short = max((v.max_side for v in variants if v.square), default=0)
    with checks.decode_slots.hold(), _refusals_as_validation_errors():
        decoded = checks.open_scaled_rgb(upload, cover_long=cover_long, cover_short=cover_short)
        made: dict[Variant, Image.Image] = {}
        at_hand = [decoded]
        for variant in variants:
            source = next(i for i in reversed(at_hand) if _covers(i, variant, decoded))
            made[variant] = _resize(source, variant)
            at_hand.append(made[variant])
        return made


def _webp(image: Image.Image, variant: Variant, name: str) -> ContentFile:
    buffer = BytesIO()
    image.save(buffer, format="WEBP", quality=variant.quality, method=variant.method)
    return ContentFile(buffer.getvalue(), name=name)


@dataclass(frozen=True)
class RenderedPhoto:
    files: dict[str, ContentFile]
    width: int  # of the "full" size
    height: int


def render_square(upload, *, size: int, basename: str) -> ContentFile:
    """Checks an upload and re-encodes it as a square WebP (avatars, pet photos' thumbnails)."""
    variant = Variant(f"{size}", size, square=True)
    image = _scaled(upload, (variant,))[variant]
    return _webp(image, variant, f"{basename}.webp")


def render_photo(upload, *, basename: str) -> RenderedPhoto:
    """Checks an upload and re-encodes it as WebP in every size pages need, without metadata."""
    scaled = _scaled(upload, VARIANTS)
    files = {v.name: _webp(image, v, f"{basename}-{v.name}.webp") for v, image in scaled.items()}
    full = scaled[FULL]
    return RenderedPhoto(files=files, width=full.width, height=full.height)
