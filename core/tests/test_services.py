import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from PIL import Image

from accounts.tests.factories import UserFactory
from community.tests.factories import image_upload
from core import selectors, services, tasks
from core.models import UPLOAD_LIFETIME, TemporaryUpload
from core.schedule import EXPIRY_FUNC, EXPIRY_SCHEDULE_NAME
from moderation.guards import MemberSuspended
from moderation.models import Action, ActionKind


@pytest.mark.django_db
class TestTemporaryUploadCreate:
    def test_a_chosen_photo_is_kept_re_encoded_in_the_page_sizes(self, member):
        upload = services.temporary_upload_create(owner=member, file=image_upload(size=(640, 480)))

        assert upload.owner == member
        assert (upload.width, upload.height) == (640, 480)
        with Image.open(upload.thumb.open("rb")) as thumb:
            assert (thumb.format, thumb.size) == ("WEBP", (400, 400))
        assert upload.expires_at == upload.created_at + timedelta(hours=24)

    def test_a_file_that_is_no_photo_is_refused_and_nothing_is_kept(self, member):
        with pytest.raises(ValidationError):
            services.temporary_upload_create(
                owner=member, file=SimpleUploadedFile("notes.png", b"not a photo", content_type="image/png")
            )

        assert not TemporaryUpload.objects.exists()

    def test_a_suspended_member_keeps_no_photo(self, member):
        Action.objects.create(
            kind=ActionKind.SUSPEND, member=member, reason="광고 글", until=timezone.now() + timedelta(days=1)
        )

        with pytest.raises(MemberSuspended):
            services.temporary_upload_create(owner=member, file=image_upload())

        assert not TemporaryUpload.objects.exists()


@pytest.mark.django_db
class TestOwnedUploads:
    def test_only_the_members_own_unexpired_uploads_are_found(self, member, other_member):
        mine = services.temporary_upload_create(owner=member, file=image_upload())
        old = services.temporary_upload_create(owner=member, file=image_upload())
        TemporaryUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - UPLOAD_LIFETIME)
        theirs = services.temporary_upload_create(owner=other_member, file=image_upload())

        found = selectors.owned_uploads(owner=member, keys=[mine.key, old.key, theirs.key])

        assert list(found) == [mine.key]


@pytest.mark.django_db
class TestExpiry:
    def make_uploads(self, member):
        fresh = services.temporary_upload_create(owner=member, file=image_upload())
        stale = services.temporary_upload_create(owner=member, file=image_upload())
        TemporaryUpload.objects.filter(pk=stale.pk).update(
            created_at=timezone.now() - UPLOAD_LIFETIME - timedelta(minutes=1)
        )
        return fresh, stale

    def test_uploads_older_than_24_hours_go_with_their_files(
        self, member, django_capture_on_commit_callbacks
    ):
        fresh, stale = self.make_uploads(member)

        with django_capture_on_commit_callbacks(execute=True):
            removed = tasks.remove_expired_uploads()

        assert removed == 1
        assert list(TemporaryUpload.objects.all()) == [fresh]
        assert not any(file.storage.exists(file.name) for file in stale.files)
        assert all(file.storage.exists(file.name) for file in fresh.files)

    def test_the_command_removes_them_too(self, member, django_capture_on_commit_callbacks):
        fresh, _stale = self.make_uploads(member)

        with django_capture_on_commit_callbacks(execute=True):
            call_command("remove_expired_uploads", stdout=io.StringIO())

        assert list(TemporaryUpload.objects.all()) == [fresh]

    def test_the_hourly_schedule_exists_after_migrate(self):
        schedule = Schedule.objects.get(name=EXPIRY_SCHEDULE_NAME)

        assert (schedule.func, schedule.schedule_type) == (EXPIRY_FUNC, Schedule.HOURLY)


@pytest.mark.django_db
def test_uploads_of_other_members_are_not_touched_by_taking_over(member):
    other = UserFactory()
    mine = services.temporary_upload_create(owner=member, file=image_upload())
    theirs = services.temporary_upload_create(owner=other, file=image_upload())

    services.temporary_uploads_take_over(uploads=[mine])

    assert list(TemporaryUpload.objects.all()) == [theirs]
    assert mine.full.storage.exists(mine.full.name), "the content that took it over keeps its files"
