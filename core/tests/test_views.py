from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from community.tests.factories import image_upload
from core import services
from core.models import TemporaryUpload
from moderation.models import Action, ActionKind

URL = "/uploads/"


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


@pytest.mark.django_db
class TestTakingAPhotoOut:
    """A photo taken out of a form before sending it goes at once (photo-picker.js asks)."""

    def test_the_member_removes_their_own_photo_and_its_files(
        self, logged_in, member, django_capture_on_commit_callbacks
    ):
        upload = services.temporary_upload_create(owner=member, file=image_upload())
        kept = services.temporary_upload_create(owner=member, file=image_upload())

        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post(f"{URL}{upload.key}/delete/")

        assert response.status_code == 204
        assert list(TemporaryUpload.objects.all()) == [kept]
        assert not any(file.storage.exists(file.name) for file in upload.files)
        assert logged_in.post(f"{URL}{upload.key}/delete/").status_code == 404  # gone already

    def test_another_members_photo_stays_and_is_not_found(self, logged_in, other_member):
        theirs = services.temporary_upload_create(owner=other_member, file=image_upload())

        assert logged_in.post(f"{URL}{theirs.key}/delete/").status_code == 404
        assert Client().post(f"{URL}{theirs.key}/delete/").status_code == 302
        assert logged_in.get(f"{URL}{theirs.key}/delete/").status_code == 405
        assert list(TemporaryUpload.objects.all()) == [theirs]
        assert all(file.storage.exists(file.name) for file in theirs.files)


@pytest.mark.django_db
class TestUploadEndpoint:
    def test_a_chosen_photo_comes_back_as_a_key_and_a_thumbnail(self, logged_in, member):
        response = logged_in.post(
            URL, {"photo": image_upload(size=(120, 90))}, headers={"Accept": "application/json"}
        )

        assert response.status_code == 201
        body = response.json()
        upload = TemporaryUpload.objects.get(owner=member)
        assert body["key"] == str(upload.key)
        assert body["thumb_url"] == upload.thumb.url
        assert (body["width"], body["height"]) == (120, 90)
        assert logged_in.get(body["thumb_url"]).status_code == 200

    def test_what_is_wrong_is_said_in_korean(self, logged_in):
        bad = SimpleUploadedFile("x.png", b"not a photo", content_type="image/png")

        response = logged_in.post(URL, {"photo": bad}, headers={"Accept-Language": "ko"})

        assert response.status_code == 400
        assert response.json()["errors"] == ["읽을 수 있는 이미지가 아니거나 손상된 파일이에요."]
        assert not TemporaryUpload.objects.exists()

    def test_nothing_chosen_is_a_400(self, logged_in):
        assert logged_in.post(URL, {}).status_code == 400

    def test_visitors_are_sent_to_log_in_and_get_is_not_allowed(self, logged_in):
        assert Client().post(URL, {"photo": image_upload()}).status_code == 302
        assert logged_in.get(URL).status_code == 405
        assert not TemporaryUpload.objects.exists()

    def test_the_photo_upload_limit_applies(self, logged_in, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 1800)}

        answers = [
            logged_in.post(URL, {"photo": image_upload()}, headers={"Accept": "application/json"}).status_code
            for _ in range(3)
        ]

        assert answers == [201, 201, 429]
        assert TemporaryUpload.objects.count() == 2

    def test_a_suspended_member_is_told_why(self, logged_in, member):
        Action.objects.create(
            kind=ActionKind.SUSPEND,
            member=member,
            reason="광고 글 반복",
            until=timezone.now() + timedelta(days=1),
        )

        response = logged_in.post(URL, {"photo": image_upload()})

        assert response.status_code == 403
        assert "광고 글 반복" in response.content.decode()
        assert not TemporaryUpload.objects.exists()
