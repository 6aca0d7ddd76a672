"""Checking and re-encoding member photos.

Every uploaded photo passes through here before anything is stored: the file must be a
real JPEG, PNG, WebP or GIF of at most 10 MB and a sane pixel count, fully decodable. What
is stored is re-encoded by Pillow (orientation applied, metadata such as EXIF location
dropped), in the sizes pages use; the upload itself is never kept or served.

The checks and the conversion to RGB are :mod:`ml.images`' (the classifier's, Django-free); this
module turns its :class:`~ml.images.ImageRejected` codes into the translated messages members see.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from ml import images as checks
from ml.images import ImageRejected, to_rgb

MAX_UPLOAD_BYTES = checks.MAX_BYTES


@dataclass(frozen=True)
class Variant:
    name: str
    max_side: int
    square: bool = False
    quality: int = 82


FULL = Variant("full", 2048)
DISPLAY = Variant("display", 1080)
THUMB = Variant("thumb", 400, square=True, quality=78)
VARIANTS = (FULL, DISPLAY, THUMB)

_INVALID_IMAGE = _("This file is not an image we can read, or it is damaged.")
# What members are told for each ml.images.ImageRejected code; any other code (not_an_image,
# invalid_image, bad_mode, ...) is "invalid_image".
_REFUSALS = {
    "too_large": _("Photos can be at most 10 MB."),
    "empty": _("The file is empty."),
    "bad_format": _("Only JPEG, PNG, WebP and GIF photos are accepted."),
    "too_many_pixels": _("This image has too many pixels."),
}


@contextmanager
def _refusals_as_validation_errors():
    try:
        yield
    except ImageRejected as error:
        code = error.code if error.code in _REFUSALS else "invalid_image"
        raise ValidationError(_REFUSALS.get(code, _INVALID_IMAGE), code=code) from error


def open_checked_image(upload) -> Image.Image:
    """Returns the fully decoded image, or raises ValidationError saying what is wrong.

    ``upload`` is a Django ``File`` / ``UploadedFile`` (read from its start and left rewound); the
    checks themselves are :func:`ml.images.open_checked_image`'s.
    """
    with _refusals_as_validation_errors():
        return checks.open_checked_image(upload)


def _checked_rgb(upload) -> Image.Image:
    """The upload checked, orientation applied, as RGB with any transparency composited onto white."""
    with _refusals_as_validation_errors():
        return to_rgb(checks.open_checked_image(upload))


def _resize(image: Image.Image, variant: Variant) -> Image.Image:
    if variant.square:
        return ImageOps.fit(image, (variant.max_side, variant.max_side), Image.Resampling.LANCZOS)
    copy = image.copy()
    copy.thumbnail((variant.max_side, variant.max_side), Image.Resampling.LANCZOS)
    return copy


@dataclass(frozen=True)
class RenderedPhoto:
    files: dict[str, ContentFile]
    width: int
    height: int


def render_square(upload, *, size: int, basename: str) -> ContentFile:
    """Checks an upload and re-encodes it as a square WebP (avatars, pet photos' thumbnails)."""
    variant = Variant(f"{size}", size, square=True)
    buffer = BytesIO()
    _resize(_checked_rgb(upload), variant).save(buffer, format="WEBP", quality=variant.quality)
    return ContentFile(buffer.getvalue(), name=f"{basename}.webp")


def render_photo(upload, *, basename: str) -> RenderedPhoto:
    """Checks an upload and re-encodes it as WebP in every size pages need, without metadata."""
    image = _checked_rgb(upload)
    files = {}
    for variant in VARIANTS:
        buffer = BytesIO()
        _resize(image, variant).save(buffer, format="WEBP", quality=variant.quality, method=4)
        files[variant.name] = ContentFile(buffer.getvalue(), name=f"{basename}-{variant.name}.webp")
    return RenderedPhoto(files=files, width=image.width, height=image.height)
