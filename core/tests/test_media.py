"""Uploads: served from the media folder with cache headers, or from S3-compatible storage when
a bucket is configured."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.media import UPLOAD_POLICY
from site_core.tests.test_settings import run_django

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def photo_name():
    return default_storage.save("pets/photos/dubu.png", ContentFile(PNG))


def test_an_upload_is_served_with_cache_headers(client, settings, photo_name):
    """No database access is allowed here: serving a file needs none."""
    settings.MEDIA_CACHE_SECONDS = 3600

    response = client.get(f"/media/{photo_name}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Last-Modified"]
    assert response["Content-Security-Policy"] == UPLOAD_POLICY


def test_an_unchanged_upload_is_not_sent_again(client, photo_name):
    last_modified = client.get(f"/media/{photo_name}")["Last-Modified"]

    response = client.get(f"/media/{photo_name}", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304
    assert response["Cache-Control"].startswith("public, max-age=")


@pytest.mark.parametrize("path", ["/media/pets/photos/missing.png", "/media/../conftest.py", "/media/pets/"])
def test_missing_files_and_paths_outside_the_folder_are_not_found(db, client, photo_name, path):
    assert client.get(path).status_code == 404


def test_uploads_cannot_be_written_through_the_media_url(db, client, photo_name):
    assert client.post(f"/media/{photo_name}", {"file": "x"}).status_code == 405
    assert default_storage.open(photo_name).read() == PNG


S3_PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
from django.urls import get_resolver
storage = storages["default"]
print(json.dumps({
    "backend": type(storage).__module__ + "." + type(storage).__name__,
    "cache_control": storage.object_parameters.get("CacheControl"),
    "url": storage.url("pets/photos/dubu.png"),
    "django_serves_media": any("media" in str(p.pattern) for p in get_resolver().url_patterns),
}))
"""


def test_a_configured_bucket_takes_the_uploads_with_the_same_cache_headers():
    result = run_django(
        "site_core.settings.production",
        S3_PROBE,
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="petrasche.example",
        AWS_STORAGE_BUCKET_NAME="petrasche-media",
        AWS_S3_CUSTOM_DOMAIN="media.petrasche.example",
        MEDIA_CACHE_SECONDS="86400",
    )

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {
        "backend": "storages.backends.s3.S3Storage",
        "cache_control": "public, max-age=86400",
        "url": "https://media.petrasche.example/pets/photos/dubu.png",
        "django_serves_media": False,
    }
