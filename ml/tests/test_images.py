"""Validation and preprocessing (Pillow + numpy only; no model involved)."""

import io
import struct
import threading
import zlib

import numpy as np
import pytest
from PIL import Image

from ml import images
from ml.images import ImageRejected, centre_crop_box, open_checked_image, preprocess, preprocess_batch, to_rgb

from .conftest import FIXTURES


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims the given size, with a tiny (bogus) image data chunk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


# --- conversion to RGB ---------------------------------------------------------------------------


def test_transparent_pixels_become_white():
    image = Image.new("RGBA", (4, 2), (255, 0, 0, 255))
    image.putpixel((0, 0), (0, 0, 255, 0))  # fully transparent blue
    image.putpixel((1, 0), (0, 0, 0, 128))  # half-transparent black
    rgb = to_rgb(Image.open(io.BytesIO(encode(image))))
    assert rgb.mode == "RGB"
    assert rgb.getpixel((0, 0)) == (255, 255, 255)
    assert all(abs(value - 127) <= 1 for value in rgb.getpixel((1, 0)))
    assert rgb.getpixel((2, 0)) == (255, 0, 0)


def test_palette_transparency_becomes_white():
    image = Image.new("P", (2, 1))
    image.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    image.putpixel((0, 0), 0)
    image.putpixel((1, 0), 1)
    gif = Image.open(io.BytesIO(encode(image, "GIF", transparency=0)))
    assert to_rgb(gif).getpixel((0, 0)) == (255, 255, 255)
    assert to_rgb(gif).getpixel((1, 0)) == (0, 255, 0)


def test_greyscale_with_alpha_becomes_white():
    image = Image.new("LA", (2, 1), (0, 0))
    image.putpixel((1, 0), (10, 255))
    rgb = to_rgb(Image.open(io.BytesIO(encode(image))))
    assert rgb.getpixel((0, 0)) == (255, 255, 255)
    assert rgb.getpixel((1, 0)) == (10, 10, 10)


def test_exif_orientation_is_applied():
    # Stored 40 wide x 20 high, left half red, right half blue; EXIF 6 = "rotate 90 degrees clockwise".
    stored = Image.new("RGB", (40, 20), (255, 0, 0))
    stored.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(stored, "JPEG", quality=95, exif=exif.tobytes())
    rgb = to_rgb(open_checked_image(data))
    assert rgb.size == (20, 40)
    top, bottom = np.asarray(rgb)[5, 10], np.asarray(rgb)[35, 10]
    assert top[0] > 200  # red on top
    assert top[2] < 60
    assert bottom[2] > 200  # blue at the bottom
    assert bottom[0] < 60


@pytest.mark.parametrize(
    ("mode", "fmt", "colour"),
    [
        ("L", "PNG", 128),
        ("1", "PNG", 1),
        ("P", "PNG", 3),
        ("CMYK", "JPEG", (0, 0, 0, 0)),
        ("RGB", "WEBP", (10, 20, 30)),
        ("RGBA", "WEBP", (10, 20, 30, 255)),
        ("I;16", "PNG", 65535),
    ],
)
def test_any_mode_becomes_a_normalised_rgb_array(mode, fmt, colour):
    array = preprocess(encode(Image.new(mode, (300, 200), colour), fmt))
    assert array.shape == (224, 224, 3)
    assert array.dtype == np.float32
    assert array.min() >= -127 / 128
    assert array.max() <= 1.0


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    array = preprocess(encode(Image.new("I;16", (64, 64), 32896)))  # 32896 / 257 = 128
    assert np.allclose(array, (128 - 127) / 128)


def test_normalisation_is_x_minus_127_over_128():
    for value, expected in [(0, -127 / 128), (127, 0.0), (255, 1.0)]:
        array = preprocess(encode(Image.new("RGB", (256, 256), (value, value, value))))
        assert np.allclose(array, expected, atol=1e-6)


def test_centre_crop_is_seven_eighths_of_the_shorter_side():
    assert centre_crop_box(256, 256) == (16, 16, 240, 240)
    assert centre_crop_box(1024, 768) == (176, 48, 848, 720)
    assert centre_crop_box(1, 1) == (0, 0, 1, 1)
    # Bands outside the central crop of a wide image do not reach the model input.
    image = Image.new("RGB", (512, 256), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, 100, 256))
    image.paste((0, 0, 0), (412, 0, 512, 256))
    assert np.allclose(preprocess(encode(image)), 1.0)


def test_big_jpeg_is_decoded_at_reduced_scale_with_the_same_result():
    y, x = np.mgrid[0:1536, 0:2048]
    pixels = np.stack([x % 256, y % 256, (x // 8 + y // 8) % 256], axis=-1).astype(np.uint8)
    data = encode(Image.fromarray(pixels).resize((2048, 1536)), "JPEG", quality=95)
    drafted = open_checked_image(data, draft_size=256)
    assert drafted.size == (512, 384)  # decoded at 1/4 scale: both sides stay >= 256
    full = images.to_model_input(to_rgb(open_checked_image(data)))
    assert np.abs(preprocess(data) - full).mean() < 0.02


def test_tiny_image_is_upscaled():
    assert preprocess(encode(Image.new("RGB", (1, 1), (255, 0, 0)))).shape == (224, 224, 3)


def test_paths_and_bytes_give_the_same_input():
    path = FIXTURES / "skimage_chelsea.png"
    assert np.array_equal(preprocess(path), preprocess(path.read_bytes()))
    assert np.array_equal(preprocess(str(path)), preprocess(bytearray(path.read_bytes())))


# --- refusals ------------------------------------------------------------------------------------


def test_truncated_jpeg_is_refused():
    data = (FIXTURES / "skimage_rocket.jpg").read_bytes()
    with pytest.raises(ImageRejected) as caught:
        preprocess(data[: len(data) // 2])
    assert caught.value.code == "invalid_image"


def test_truncated_png_is_refused():
    data = (FIXTURES / "skimage_coffee.png").read_bytes()
    with pytest.raises(ImageRejected) as caught:
        preprocess(data[: len(data) - 5000])
    assert caught.value.code == "invalid_image"


def test_png_with_bad_checksum_is_refused():
    data = bytearray(encode(Image.new("RGB", (32, 32), (1, 2, 3))))
    data[-20] ^= 0xFF  # inside the image data chunk: its CRC no longer matches
    with pytest.raises(ImageRejected):
        preprocess(bytes(data))


def test_decompression_bomb_beyond_pillow_limit_is_refused():
    assert Image.MAX_IMAGE_PIXELS * 2 < 100_000 * 100_000  # so Pillow raises DecompressionBombError
    with pytest.raises(ImageRejected) as caught:
        preprocess(png_header_only(100_000, 100_000))
    assert caught.value.code == "too_many_pixels"


def test_image_over_our_pixel_limit_is_refused_before_decoding():
    assert images.MAX_PIXELS < 10_000 * 5_000 < Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageRejected) as caught:
        preprocess(png_header_only(10_000, 5_000))
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "data", [b"hello, I am not a picture", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", b"\x89PNG\r\n\x1a\n"]
)
def test_non_image_is_refused(data):
    with pytest.raises(ImageRejected) as caught:
        preprocess(data)
    assert caught.value.code in {"not_an_image", "invalid_image"}


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "PPM"])
def test_other_image_formats_are_refused(fmt):
    with pytest.raises(ImageRejected, match="not a JPEG, PNG, WebP, GIF or HEIC") as caught:
        preprocess(encode(Image.new("RGB", (8, 8)), fmt))
    assert caught.value.code == "bad_format"
    assert fmt in str(caught.value)


def test_other_formats_are_named_from_their_header_without_being_decoded(monkeypatch):
    from PIL import BmpImagePlugin

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("a decoder outside ALLOWED_FORMATS must not decode the bytes")

    monkeypatch.setattr(BmpImagePlugin.BmpImageFile, "load", no_decoding)
    monkeypatch.setattr(BmpImagePlugin.BmpImageFile, "verify", no_decoding)
    with pytest.raises(ImageRejected) as caught:
        open_checked_image(encode(Image.new("RGB", (8, 8)), "BMP"))
    assert caught.value.code == "bad_format"


def test_text_is_not_an_image_rather_than_another_format():
    with pytest.raises(ImageRejected) as caught:
        open_checked_image(b"hello, I am not a picture")
    assert caught.value.code == "not_an_image"


def test_empty_input_is_refused():
    with pytest.raises(ImageRejected) as caught:
        preprocess(b"")
    assert caught.value.code == "empty"


def test_oversized_bytes_are_refused():
    data = encode(Image.new("RGB", (8, 8))) + b"\x00" * images.MAX_BYTES
    with pytest.raises(ImageRejected) as caught:
        preprocess(data)
    assert caught.value.code == "too_large"


def test_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.png"
    path.write_bytes(encode(Image.new("RGB", (8, 8))) + b"\x00" * images.MAX_BYTES)

    def no_open(*args, **kwargs):
        raise AssertionError("the file should be refused from its size alone")

    monkeypatch.setattr(type(path), "open", no_open)
    with pytest.raises(ImageRejected) as caught:
        preprocess(path)
    assert caught.value.code == "too_large"


def test_file_objects_are_read_from_the_start_and_left_rewound():
    data = encode(Image.new("RGB", (8, 6)))
    stream = io.BytesIO(data)
    stream.seek(5)
    assert open_checked_image(stream).size == (8, 6)
    assert stream.tell() == 0


def test_file_object_with_a_large_size_is_refused_without_reading_it():
    class SizedUpload(io.BytesIO):  # like Django's UploadedFile, which knows its size
        size = images.MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("the upload should be refused from its size alone")

    with pytest.raises(ImageRejected) as caught:
        open_checked_image(SizedUpload(b"\x89PNG"))
    assert caught.value.code == "too_large"


def test_oversized_file_object_is_refused():
    with pytest.raises(ImageRejected) as caught:
        open_checked_image(io.BytesIO(b"\x00" * (images.MAX_BYTES + 1)))
    assert caught.value.code == "too_large"


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ImageRejected) as caught:
        preprocess(tmp_path / "nope.jpg")
    assert caught.value.code == "unreadable"


def test_batch_error_names_the_bad_image():
    good = FIXTURES / "gcompris_hammer1.webp"
    with pytest.raises(ImageRejected, match=r"image #1"):
        preprocess_batch([good, b"not an image", good])
    assert preprocess_batch([good, good]).shape == (2, 224, 224, 3)
    assert preprocess_batch([]).shape == (0, 224, 224, 3)


# --- bounded work: the pixel limit, reduced decoding, one resize, decode slots --------------------


def test_the_pixel_limit_is_25_megapixels_read_from_the_header():
    assert images.MAX_PIXELS == 25_000_000
    with pytest.raises(ImageRejected) as caught:
        open_checked_image(png_header_only(5001, 5000))
    assert caught.value.code == "too_many_pixels"
    assert caught.value.params == {"width": 5001, "height": 5000}


@pytest.mark.parametrize(
    ("size", "cover", "expected"),
    [
        ((4000, 3000), (2048, 400), (2048, 1536)),  # the longer side decides
        ((3000, 2000), (2048, 400), (2048, 1365)),  # rounded as Image.thumbnail rounds
        ((8000, 1000), (2048, 400), (3200, 400)),  # a panorama: the shorter side decides
        ((1000, 750), (2048, 400), (1000, 750)),  # never enlarged
        ((4000, 3000), (0, 256), (341, 256)),
    ],
)
def test_scaled_size_is_the_smallest_that_covers_both_sides(size, cover, expected):
    assert images.scaled_size(*size, cover_long=cover[0], cover_short=cover[1]) == expected


def halves_jpeg(size=(4200, 2800), orientation: int | None = None, **options) -> bytes:
    """A JPEG whose left half is red and right half blue (stored orientation)."""
    stored = Image.new("RGB", size, (255, 0, 0))
    stored.paste((0, 0, 255), (size[0] // 2, 0, *size))
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    return encode(stored, "JPEG", quality=90, **options)


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The sizes Pillow's images have when loaded during the test (Pillow's own load, wrapped)."""
    from PIL import ImageFile

    sizes = set()
    real_load = ImageFile.ImageFile.load

    def load(self):
        result = real_load(self)
        sizes.add(self.size)
        return result

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def test_a_large_jpeg_is_decoded_at_the_smallest_scale_that_covers_the_largest_size(decoded_sizes):
    rgb = images.open_scaled_rgb(halves_jpeg((4200, 2800)), cover_long=2048, cover_short=400)

    assert decoded_sizes == {(2100, 1400)}  # 1/2 scale; 1/4 (1050 x 700) would not cover 2048
    assert rgb.size == (2048, 1365)
    assert rgb.getpixel((100, 600))[0] > 200
    assert rgb.getpixel((1900, 600))[2] > 200


def test_a_jpeg_too_small_to_reduce_is_decoded_whole(decoded_sizes):
    rgb = images.open_scaled_rgb(halves_jpeg((4000, 3000)), cover_long=2048, cover_short=400)

    assert decoded_sizes == {(4000, 3000)}  # 1/2 scale (2000 x 1500) would be smaller than 2048
    assert rgb.size == (2048, 1536)


def test_orientation_is_applied_to_the_scaled_image():
    rgb = images.open_scaled_rgb(halves_jpeg((4200, 2800), orientation=6), cover_long=2048, cover_short=400)

    assert rgb.size == (1365, 2048)
    top, bottom = rgb.getpixel((680, 100)), rgb.getpixel((680, 1950))
    assert top[0] > 200  # the stored left half (red) is shown on top
    assert top[2] < 60
    assert bottom[2] > 200
    assert bottom[0] < 60


def test_a_multi_picture_jpeg_is_accepted_and_its_first_picture_used(decoded_sizes):
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (4200, 2800), (0, 160, 0)), Image.new("RGB", (4200, 2800), (0, 0, 0))
    first.save(buffer, format="MPO", save_all=True, append_images=[second], quality=90)

    rgb = images.open_scaled_rgb(buffer.getvalue(), cover_long=2048, cover_short=400)

    assert decoded_sizes == {(2100, 1400)}
    assert rgb.size == (2048, 1365)
    assert rgb.getpixel((1000, 700))[1] > 140


def sixteen_bit_ramp(width: int = 3000, height: int = 60) -> Image.Image:
    """A 16-bit grey ramp from 0 to 65535, left to right."""
    row = np.linspace(0, 65535, width).round().astype(np.uint16)
    return Image.fromarray(np.tile(row, (height, 1)))


def test_sixteen_bit_greyscale_is_scaled_to_eight_bits_after_the_resize():
    ramp = sixteen_bit_ramp()
    assert ramp.mode == "I;16"

    rgb = images.open_scaled_rgb(encode(ramp), cover_long=1000, cover_short=0)

    assert rgb.size == (1000, 20)
    grey = np.asarray(rgb)[10, :, 0].astype(int)
    expected = np.linspace(0, 255, 1000)
    assert np.abs(grey - expected)[5:-5].max() <= 2
    assert np.array_equal(np.asarray(rgb)[..., 0], np.asarray(rgb)[..., 2])


def test_a_sixteen_bit_transparent_level_becomes_white_when_scaled():
    values = np.full((400, 800), 1000, dtype=np.uint16)
    values[:, 400:] = 5000  # the right half has the transparent grey level
    data = encode(Image.fromarray(values), transparency=5000)

    rgb = images.open_scaled_rgb(data, cover_long=200, cover_short=0)

    assert rgb.size == (200, 100)
    assert rgb.getpixel((20, 50)) == (4, 4, 4)  # 1000 / 257
    assert rgb.getpixel((180, 50)) == (255, 255, 255)


def test_transparency_is_composited_onto_white_before_the_resize():
    image = Image.new("RGBA", (3000, 1000), (0, 0, 0, 0))  # transparent black...
    image.paste((200, 0, 0, 255), (1500, 0, 3000, 1000))  # ...beside opaque red

    rgb = images.open_scaled_rgb(encode(image), cover_long=300, cover_short=0)

    assert rgb.getpixel((50, 50)) == (255, 255, 255)
    assert rgb.getpixel((250, 50)) == (200, 0, 0)
    # No dark fringe from the transparent pixels' black where the halves meet.
    assert min(rgb.getpixel((x, 50))[0] for x in range(140, 160)) >= 195


def test_a_palette_image_is_resampled_in_colour():
    image = Image.new("P", (2000, 1000))
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.paste(1, (0, 0, 2000, 1000))
    for x in range(0, 2000, 2):  # alternate white and black columns: grey once resampled
        image.paste(0, (x, 0, x + 1, 1000))

    rgb = images.open_scaled_rgb(encode(image), cover_long=200, cover_short=0)

    assert all(100 < value < 155 for value in rgb.getpixel((100, 50)))


def test_decode_slots_let_count_images_be_decoded_at_once():
    slots = images.DecodeSlots(2)
    both_inside = threading.Barrier(2, timeout=10)

    def decode():
        with slots.hold():
            both_inside.wait()

    threads = [threading.Thread(target=decode) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not both_inside.broken


def test_with_one_decode_slot_the_second_image_waits():
    slots = images.DecodeSlots(1)
    done = threading.Event()

    def decode():
        with slots.hold():
            done.set()

    with slots.hold():
        waiting = threading.Thread(target=decode)
        waiting.start()
        assert not done.wait(timeout=0.5)
    waiting.join()
    assert done.is_set()


def test_preprocessing_decodes_inside_a_slot(monkeypatch):
    slots = images.DecodeSlots(1)
    monkeypatch.setattr(images, "decode_slots", slots)
    finished = threading.Event()

    def classify_input():
        preprocess(FIXTURES / "gcompris_hammer1.webp")
        finished.set()

    with slots.hold():
        worker = threading.Thread(target=classify_input)
        worker.start()
        assert not finished.wait(timeout=0.5)
    worker.join()
    assert finished.is_set()


def test_decode_slots_need_at_least_one():
    with pytest.raises(ValueError, match="at least one"):
        images.DecodeSlots(0)
