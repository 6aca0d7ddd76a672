import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from site_core.images import MAX_UPLOAD_BYTES, open_checked_image, render_photo


def upload(data: bytes, name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def encoded(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_four_photo_formats_are_accepted(image_format):
    data = encoded(Image.new("RGB", (40, 30), "orange"), image_format)

    assert open_checked_image(upload(data)).size == (40, 30)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"hello, I am text", "invalid_image"),
        (encoded(Image.new("RGB", (200, 200), "red"), "JPEG")[:300], "invalid_image"),
        (encoded(Image.new("RGB", (10, 10)), "BMP"), "bad_format"),
        (png_claiming_size(50_000, 50_000), "too_many_pixels"),
    ],
    ids=["empty", "text", "truncated-jpeg", "bmp", "decompression-bomb"],
)
def test_bad_uploads_are_refused_with_a_reason(data, code):
    with pytest.raises(ValidationError) as error:
        open_checked_image(upload(data))

    assert error.value.code == code


def test_files_over_10_mb_are_refused_before_decoding():
    with pytest.raises(ValidationError) as error:
        open_checked_image(upload(b"\x00" * (MAX_UPLOAD_BYTES + 1)))

    assert error.value.code == "too_large"


def test_exif_location_is_dropped_and_orientation_applied():
    image = Image.new("RGB", (60, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 0.0)}  # GPS: Seoul
    data = encoded(image, "JPEG", exif=exif.tobytes())

    rendered = render_photo(upload(data, "gps.jpg"), basename="x")

    full = Image.open(BytesIO(rendered.files["full"].read()))
    assert full.size == (20, 60)
    assert not full.getexif()
    assert b"Exif" not in rendered.files["display"].read()


def test_transparency_is_composited_onto_white():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))

    rendered = render_photo(upload(encoded(image, "PNG")), basename="clear")

    assert Image.open(BytesIO(rendered.files["full"].read())).convert("RGB").getpixel((5, 5)) == (
        255,
        255,
        255,
    )
