"""Uploads that are not photos we can use are refused in the request: nothing stored, nothing queued."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_q.models import OrmQ
from PIL import Image

from pets.models import Pet
from pets.tests.factories import CAT_PHOTO, DOG_PHOTO, ML_FIXTURES, PetFactory, fixture_photo

pytestmark = pytest.mark.django_db


def corrupt() -> SimpleUploadedFile:
    data = (ML_FIXTURES / CAT_PHOTO).read_bytes()
    return SimpleUploadedFile("broken.png", data[: len(data) // 2], content_type="image/png")


def huge() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "huge.png", b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024), content_type="image/png"
    )


def not_an_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("cat.png", b"<?php echo 'meow'; ?>", content_type="image/png")


def decompression_bomb() -> SimpleUploadedFile:
    """A ~60 KB PNG that decodes to 400 million pixels."""
    buffer = BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG", optimize=True)
    assert buffer.tell() < 200_000
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


BAD_UPLOADS = {"corrupt": corrupt, "huge": huge, "not_an_image": not_an_image, "bomb": decompression_bomb}


@pytest.fixture(autouse=True)
def model_forbidden(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a refused upload must never reach the model")

    monkeypatch.setattr("ml.runtime.get_runtime", forbidden)
    monkeypatch.setattr("ml.runtime.predict_probabilities", forbidden)
    monkeypatch.setattr("ml.classifier.classify_images", forbidden)


def stored_pet_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "pets"
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_the_form_refuses_it_before_anything_is_stored_or_queued(
    client, member, settings, django_capture_on_commit_callbacks, kind
):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/pets/new/", {"name": "콩이", "species": "dog", "sex": "unknown", "photo": BAD_UPLOADS[kind]()}
        )

    assert response.status_code == 400
    assert 'id="id_photo_error"' in response.content.decode()
    assert not Pet.objects.exists()
    assert stored_pet_files(settings) == []
    assert not callbacks
    assert not OrmQ.objects.exists()


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_replacing_a_photo_with_it_keeps_the_old_one(
    client, member, django_capture_on_commit_callbacks, kind
):
    pet = PetFactory(owner=member, name="콩이", photo=fixture_photo(DOG_PHOTO))
    before = (pet.photo_full.name, pet.photo_version, pet.photo_status, pet.name)
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/pets/{pet.pk}/edit/",
            {"name": "바뀐 이름", "species": "dog", "sex": "unknown", "photo": BAD_UPLOADS[kind]()},
        )

    assert response.status_code == 400
    pet.refresh_from_db()
    assert (pet.photo_full.name, pet.photo_version, pet.photo_status, pet.name) == before
    assert not callbacks
    assert not OrmQ.objects.exists()


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_the_api_answers_400_and_stores_nothing(
    member_api_client, settings, django_capture_on_commit_callbacks, kind
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_api_client.post(
            "/api/pets/", {"name": "콩이", "species": "cat", "photo": BAD_UPLOADS[kind]()}, format="multipart"
        )

    assert response.status_code == 400
    assert "photo" in response.json()
    assert not Pet.objects.exists()
    assert stored_pet_files(settings) == []
    assert not OrmQ.objects.exists()


def test_the_api_refuses_a_bad_replacement_photo(
    member_api_client, member, django_capture_on_commit_callbacks
):
    pet = PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))

    with django_capture_on_commit_callbacks(execute=True):
        response = member_api_client.patch(f"/api/pets/{pet.pk}/", {"photo": corrupt()}, format="multipart")

    assert response.status_code == 400
    assert Pet.objects.get(pk=pet.pk).photo_version == 1
    assert not OrmQ.objects.exists()
