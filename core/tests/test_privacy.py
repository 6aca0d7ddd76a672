import io
import json
import zipfile

import pytest

from community import services as community_services
from community.tests.factories import image_upload
from core import personal_data, services
from core.models import TemporaryUpload
from privacy import services as privacy_services
from privacy.export import ExportWriter


@pytest.mark.django_db
def test_the_data_export_has_the_members_temporary_uploads(member, other_member):
    upload = services.temporary_upload_create(owner=member, file=image_upload())
    services.temporary_upload_create(owner=other_member, file=image_upload())
    buffer = io.BytesIO()

    with zipfile.ZipFile(buffer, "w") as archive:
        for section in personal_data.sections():
            if section.name == "uploads":
                section.export(member, ExportWriter(archive))

    with zipfile.ZipFile(buffer) as archive:
        listed = json.loads(archive.read("temporary_uploads.json"))
        assert [item["file"] for item in listed] == [
            f"temporary_uploads/{upload.full.name.rsplit('/', 1)[1]}"
        ]
        assert archive.read(listed[0]["file"]) == upload.full.open("rb").read()


@pytest.mark.django_db
@pytest.mark.parametrize("delete_content", [True, False], ids=["delete-content", "keep-content"])
def test_leaving_removes_temporary_uploads_and_their_files(
    member, other_member, delete_content, django_capture_on_commit_callbacks
):
    mine = services.temporary_upload_create(owner=member, file=image_upload())
    theirs = services.temporary_upload_create(owner=other_member, file=image_upload())

    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.member_delete(member=member, delete_content=delete_content)

    assert list(TemporaryUpload.objects.all()) == [theirs]
    assert not any(file.storage.exists(file.name) for file in mine.files)


@pytest.mark.django_db
def test_a_post_made_of_temporary_uploads_exports_every_photo(member):
    uploads = [services.temporary_upload_create(owner=member, file=image_upload()) for _ in range(2)]
    community_services.post_create(
        author=member,
        text="",
        photos=[community_services.PhotoUpload(upload_key=upload.key, alt_text="산책") for upload in uploads],
    )
    buffer = io.BytesIO()

    with zipfile.ZipFile(buffer, "w") as archive:
        next(section for section in personal_data.sections() if section.name == "community").export(
            member, ExportWriter(archive)
        )

    with zipfile.ZipFile(buffer) as archive:
        files = [photo["file"] for photo in json.loads(archive.read("posts.json"))[0]["photos"]]
        assert len(set(files)) == 2
        assert all(name in archive.namelist() for name in files)
