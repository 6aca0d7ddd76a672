"""Temporary uploads: photos kept between choosing them and sending the form. One transaction
each; files are removed after commit."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.actions import member_action
from core.images import render_photo

from .models import UPLOAD_LIFETIME, TemporaryUpload

logger = logging.getLogger(__name__)


@member_action("owner")
@transaction.atomic
def temporary_upload_create(*, owner, file) -> TemporaryUpload:
    """Checks a chosen photo and keeps it, re-encoded, for the member's form (``ValidationError``
    saying what is wrong otherwise: ``core.images``' limits, as for every photo)."""
    upload = TemporaryUpload(owner=owner)
    # Named after the upload's own key: the content that takes the files over keeps these names,
    # and each must differ from its neighbours' (a post's photos go into one folder of the export).
    rendered = render_photo(file, basename=upload.key.hex)
    upload.width, upload.height = rendered.width, rendered.height
    upload.full = rendered.files["full"]
    upload.display = rendered.files["display"]
    upload.thumb = rendered.files["thumb"]
    upload.save()
    return upload


@member_action("owner")
@transaction.atomic
def temporary_upload_delete(*, owner, key) -> bool:
    """A photo the member took out of a form before sending it goes at once, files after commit
    (False when ``owner`` has no upload with that key: another member's stays)."""
    upload = TemporaryUpload.objects.select_for_update().filter(owner=owner, key=key).first()
    if upload is None:
        return False
    files = [(file.storage, file.name) for file in upload.files if file]
    upload.delete()
    transaction.on_commit(lambda: remove_files(files))
    return True


@transaction.atomic
def temporary_uploads_take_over(*, uploads: Iterable[TemporaryUpload]) -> None:
    """The content these uploads became keeps their files; the uploads themselves go."""
    TemporaryUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()


@transaction.atomic
def temporary_uploads_remove_expired(*, now: datetime | None = None) -> int:
    """Deletes the uploads older than ``UPLOAD_LIFETIME`` and, after commit, their files."""
    expired = list(
        TemporaryUpload.objects.select_for_update(skip_locked=True).filter(
            created_at__lte=(now or timezone.now()) - UPLOAD_LIFETIME
        )
    )
    files = [(file.storage, file.name) for upload in expired for file in upload.files if file]
    TemporaryUpload.objects.filter(pk__in=[upload.pk for upload in expired]).delete()
    transaction.on_commit(lambda: remove_files(files))
    return len(expired)


def remove_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the file %s", name, exc_info=True)
