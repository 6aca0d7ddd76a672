import contextlib
import functools
import io
import json
import struct
import threading
import zlib
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from PIL import Image, ImageStat
from rest_framework.test import APIClient

from community.models import Post
from core.images import MAX_UPLOAD_BYTES, open_checked_image, render_photo, render_square
from core.models import TemporaryUpload
from ml import images as checks
from pets.models import Pet
from pets.tests.factories import PetFactory
from worldcup.models import Entry
from worldcup.tests.factories import make_event


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


def test_a_multi_picture_jpeg_is_accepted_and_its_first_picture_stored():
    buffer = BytesIO()
    first, second = Image.new("RGB", (300, 200), (0, 160, 0)), Image.new("RGB", (300, 200), (0, 0, 0))
    first.save(buffer, format="MPO", save_all=True, append_images=[second], quality=90)

    rendered = render_photo(upload(buffer.getvalue(), "3d.jpg"), basename="mpo")

    full = Image.open(BytesIO(rendered.files["full"].read()))
    assert full.size == (300, 200)
    assert full.convert("RGB").getpixel((150, 100))[1] > 140


def test_a_sixteen_bit_greyscale_png_is_stored_with_its_grey_levels():
    ramp = np.tile(np.linspace(0, 65535, 3000).round().astype(np.uint16), (100, 1))

    rendered = render_photo(upload(encoded(Image.fromarray(ramp), "PNG")), basename="ramp")

    full = np.asarray(Image.open(BytesIO(rendered.files["full"].read())).convert("L"), dtype=int)
    assert full.shape == (68, 2048)
    assert np.abs(full[34, 20:-20] - np.linspace(0, 255, 2048)[20:-20]).max() <= 4


def halves(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, *size))
    return image


def test_a_large_rotated_jpeg_is_stored_upright_in_every_size():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    data = encoded(halves((4200, 2800)), "JPEG", quality=90, exif=exif.tobytes())

    rendered = render_photo(upload(data, "phone.jpg"), basename="phone")

    stored = {name: Image.open(BytesIO(file.read())).convert("RGB") for name, file in rendered.files.items()}
    assert {name: image.size for name, image in stored.items()} == {
        "full": (1365, 2048),
        "display": (720, 1080),
        "thumb": (400, 400),
    }
    assert (rendered.width, rendered.height) == (1365, 2048)
    for image in stored.values():
        top, bottom = (
            image.getpixel((image.width // 2, 5)),
            image.getpixel((image.width // 2, image.height - 5)),
        )
        assert top[0] > 200  # the stored left half (red) is on top
        assert bottom[2] > 200


def test_a_panorama_thumbnail_is_cut_from_enough_pixels():
    # Stripes 4 px wide: clear in a thumbnail cut from the upload's 1000 px height, grey mush in one
    # enlarged from the 256 px of the stored full size.
    panorama = Image.new("RGB", (8000, 1000), (255, 255, 255))
    for x in range(0, 8000, 8):
        panorama.paste((0, 0, 0), (x, 0, x + 4, 1000))

    rendered = render_photo(upload(encoded(panorama, "PNG")), basename="wide")

    assert Image.open(BytesIO(rendered.files["full"].read())).size == (2048, 256)
    thumb = Image.open(BytesIO(rendered.files["thumb"].read())).convert("L")
    assert thumb.size == (400, 400)
    assert np.asarray(thumb, dtype=float)[200].std() > 80  # from full: about 45


def test_a_square_avatar_is_cut_from_a_large_photo():
    avatar = render_square(upload(encoded(halves((4200, 2800)), "JPEG", quality=90)), size=256, basename="a")

    image = Image.open(BytesIO(avatar.read())).convert("RGB")
    assert image.size == (256, 256)
    assert image.getpixel((20, 128))[0] > 200
    assert image.getpixel((236, 128))[2] > 200


def test_photos_wait_for_a_decode_slot(monkeypatch):
    slots = checks.DecodeSlots(1)
    monkeypatch.setattr(checks, "decode_slots", slots)
    data = encoded(Image.new("RGB", (64, 48), "orange"), "PNG")
    results = []

    def member_uploads():
        results.append(render_photo(upload(data), basename="waiting"))

    with slots.hold():  # another photo is being decoded
        waiting = threading.Thread(target=member_uploads)
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive()
        assert not results
    waiting.join()
    assert Image.open(BytesIO(results[0].files["full"].read())).size == (64, 48)


def test_decode_slots_follow_upload_decode_concurrency():
    assert settings.UPLOAD_DECODE_CONCURRENCY == 1  # the default
    assert checks.decode_slots.count == settings.UPLOAD_DECODE_CONCURRENCY


def test_staff_images_have_the_same_pixel_limit_as_members_photos():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == checks.MAX_PIXELS


# --- finding 14: one small PNG of 6300 x 6300 px cost seconds of CPU and ~700 MB to accept ---------


@functools.cache
def solid_png(width: int, height: int) -> bytes:
    """A valid RGB PNG of one colour at zlib's best compression, written row by row (the picture is
    never held whole): about 3 KB per megapixel, the cheapest file for the most pixels."""
    row = b"\x00" + bytes((200, 150, 90)) * width  # filter "none", then the pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def finding_14_png() -> SimpleUploadedFile:
    return upload(solid_png(6300, 6300), "big.png")


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def api_as(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


# Every door a member's photo comes in by: (answer, whether anything was stored or changed).
def temporary_upload(member, photo):
    response = signed_in(member).post("/uploads/", {"photo": photo}, headers={"Accept": "application/json"})
    return response, TemporaryUpload.objects.exists()


def post_form(member, photo):
    response = signed_in(member).post("/posts/new/", {"text": "사진", "photo_1": photo, "alt_1": "산책"})
    return response, Post.objects.exists() or TemporaryUpload.objects.exists()


def post_api(member, photo):
    response = api_as(member).post(
        "/api/posts/", {"text": "사진", "photos": [photo], "alt_texts": ["산책"]}, format="multipart"
    )
    return response, Post.objects.exists()


def pet_form_new(member, photo):
    response = signed_in(member).post(
        "/pets/new/", {"name": "콩이", "species": "dog", "sex": "unknown", "photo": photo}
    )
    return response, Pet.objects.exists()


def pet_form_edit(member, photo):
    pet = PetFactory(owner=member, name="콩이")
    response = signed_in(member).post(
        f"/pets/{pet.pk}/edit/", {"name": "콩이", "species": "dog", "sex": "unknown", "photo": photo}
    )
    pet.refresh_from_db()
    return response, pet.has_photo


def pet_api_new(member, photo):
    response = api_as(member).post(
        "/api/pets/", {"name": "콩이", "species": "dog", "photo": photo}, format="multipart"
    )
    return response, Pet.objects.exists()


def pet_api_edit(member, photo):
    pet = PetFactory(owner=member)
    response = api_as(member).patch(f"/api/pets/{pet.pk}/", {"photo": photo}, format="multipart")
    pet.refresh_from_db()
    return response, pet.has_photo


def worldcup_form(member, photo):
    event, pet = make_event(), PetFactory(owner=member)
    response = signed_in(member).post(event.route_url("enter"), {"pet": pet.pk, "photo": photo})
    return response, Entry.objects.exists()


def worldcup_api(member, photo):
    event, pet = make_event(), PetFactory(owner=member)
    response = api_as(member).post(
        f"/api/worldcup/events/{event.pk}/entries/", {"pet": pet.pk, "photo": photo}, format="multipart"
    )
    return response, Entry.objects.exists()


def avatar_form(member, photo):
    response = signed_in(member).post("/settings/profile/", {"nickname": "두부", "bio": "", "avatar": photo})
    member.refresh_from_db()
    return response, bool(member.avatar)


PHOTO_DOORS = {
    "photo chosen in a form (temporary upload)": temporary_upload,
    "post form": post_form,
    "POST /api/posts/": post_api,
    "pet form": pet_form_new,
    "pet edit form": pet_form_edit,
    "POST /api/pets/": pet_api_new,
    "PATCH /api/pets/{id}/": pet_api_edit,
    "World Cup entry form": worldcup_form,
    "POST /api/worldcup/events/{id}/entries/": worldcup_api,
    "profile form (avatar)": avatar_form,
}


def answer_text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("door", PHOTO_DOORS)
def test_finding_14_a_6300_by_6300_png_is_refused_at_every_door_with_a_clear_message(member, door):
    response, stored = PHOTO_DOORS[door](member, finding_14_png())

    assert response.status_code == 400
    text = answer_text(response)
    assert "6300 × 6300" in text
    assert "2500만 화소" in text  # "photos can be at most 25 megapixels", in the members' language
    assert not stored


@pytest.mark.django_db
def test_finding_14_a_25_megapixel_png_is_accepted_and_stored_at_the_page_sizes(member_api_client):
    photo = upload(solid_png(5000, 5000), "largest.png")

    response = member_api_client.post(
        "/api/posts/", {"text": "", "photos": [photo], "alt_texts": ["큰 사진"]}, format="multipart"
    )

    assert response.status_code == 201
    stored = Post.objects.get().photos.get()
    assert (stored.width, stored.height) == (2048, 2048)
    assert (stored.display.width, stored.display.height) == (1080, 1080)
    assert (stored.thumb.width, stored.thumb.height) == (400, 400)


def operations_taking_files() -> set[str]:
    """Every API operation whose request body has a file (a ``binary`` property), from the schema."""
    with contextlib.redirect_stderr(io.StringIO()):
        document = json.loads(
            OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
        )
    components = document["components"]["schemas"]

    def takes_a_file(schema: dict) -> bool:
        schema = components[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
        return (
            schema.get("format") == "binary"
            or any(takes_a_file(child) for child in schema.get("properties", {}).values())
            or ("items" in schema and takes_a_file(schema["items"]))
        )

    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        and any(
            takes_a_file(media["schema"])
            for media in operation.get("requestBody", {}).get("content", {}).values()
        )
    }


def test_the_photo_doors_include_every_api_operation_that_takes_a_file():
    assert operations_taking_files() <= set(PHOTO_DOORS)


# An iPhone-like HEIC (core/tests/fixtures/README.md): stored sideways with an irot transform,
# EXIF naming the camera and a GPS position.
HEIC = (Path(__file__).parent / "fixtures" / "dog-rotated.heic").read_bytes()


def heic_claiming_size(width: int, height: int) -> bytes:
    """The fixture with its image-size property (ispe) claiming another size."""
    at = HEIC.index(b"ispe") + 8  # after the box type and its version and flags
    return HEIC[:at] + struct.pack(">II", width, height) + HEIC[at + 8 :]


def test_a_heic_photo_is_stored_upright_without_its_exif():
    rendered = render_photo(upload(HEIC, "IMG_0001.HEIC"), basename="iphone")

    full = Image.open(BytesIO(rendered.files["full"].read()))
    assert full.format == "WEBP"
    assert (rendered.width, rendered.height) == full.size == (160, 120)  # stored 120 × 160
    # Upright: the left of the picture is the dog's dark side, as in the source photo.
    left, right = full.crop((0, 0, 40, 120)), full.crop((120, 0, 160, 120))
    assert sum(ImageStat.Stat(left).mean) < sum(ImageStat.Stat(right).mean)
    assert not full.getexif()
    assert all(
        b"Exif" not in file.read() and b"iPhone" not in file.read() for file in rendered.files.values()
    )


@pytest.mark.django_db
def test_a_heic_chosen_in_a_form_becomes_a_normal_photo(member):
    response, stored = temporary_upload(member, upload(HEIC, "IMG_0001.HEIC"))

    assert response.status_code == 201
    assert stored
    assert (response.json()["width"], response.json()["height"]) == (160, 120)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (heic_claiming_size(6000, 5000), "5000 × 6000"),
        (HEIC + b"\x00" * MAX_UPLOAD_BYTES, "10MB"),
    ],
    ids=["too-many-pixels", "too-many-bytes"],
)
def test_a_heic_too_large_is_refused_with_a_clear_message(member, data, message):
    response, stored = temporary_upload(member, upload(data, "IMG_0002.HEIC"))

    assert response.status_code == 400
    assert message in answer_text(response)
    assert not stored
