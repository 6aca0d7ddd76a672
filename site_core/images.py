"""Checking and re-encoding member photos.

Every uploaded photo passes through here before anything is stored: the file must be a
real JPEG, PNG, WebP or GIF of at most 10 MB and a sane pixel count, fully decodable. What
is stored is re-encoded by Pillow (orientation applied, metadata such as EXIF location
dropped), in the sizes pages use; the upload itself is never kept or served.
"""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


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


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Photos can be at most 10 MB."), code="too_large")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Photos can be at most 10 MB."), code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def open_checked_image(upload) -> Image.Image:
    """Returns the fully decoded image, or raises ValidationError saying what is wrong."""
    data = _read(upload)
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG, WebP and GIF photos are accepted."), code="bad_format"
                )
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
            probe.verify()
        image = Image.open(BytesIO(data))
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise ValidationError(_("This image has too many pixels."), code="too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not an image we can read, or it is damaged."), code="invalid_image"
        ) from error
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    if image.mode in {"RGBA", "LA", "P"} or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


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
    _resize(_to_rgb(open_checked_image(upload)), variant).save(buffer, format="WEBP", quality=variant.quality)
    return ContentFile(buffer.getvalue(), name=f"{basename}.webp")


def render_photo(upload, *, basename: str) -> RenderedPhoto:
    """Checks an upload and re-encodes it as WebP in every size pages need, without metadata."""
    image = _to_rgb(open_checked_image(upload))
    files = {}
    for variant in VARIANTS:
        buffer = BytesIO()
        _resize(image, variant).save(buffer, format="WEBP", quality=variant.quality, method=4)
        files[variant.name] = ContentFile(buffer.getvalue(), name=f"{basename}-{variant.name}.webp")
    return RenderedPhoto(files=files, width=image.width, height=image.height)
