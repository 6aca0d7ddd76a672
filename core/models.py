import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a photo chosen for a form waits for the form to be sent.
UPLOAD_LIFETIME = timedelta(hours=24)


def temporary_upload_to(instance: "TemporaryUpload", filename: str) -> str:
    return f"uploads/{instance.key.hex}/{filename}"


class TemporaryUploadQuerySet(models.QuerySet):
    def unexpired(self, *, now=None):
        return self.filter(created_at__gt=(now or timezone.now()) - UPLOAD_LIFETIME)


class TemporaryUpload(models.Model):
    """A photo a member chose in a form, checked and stored as soon as it was chosen.

    Stored like every member photo (``core.images``: re-encoded sizes, no original, no
    metadata), so that a form that comes back with an error still has it. The form refers to it
    by ``key``; the content that takes it over keeps its files, and the row goes. What is never
    taken over is removed after ``UPLOAD_LIFETIME`` (``core.tasks.remove_expired_uploads``), or
    at once when the member takes it out of the form (``services.temporary_upload_delete``).
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="temporary_uploads"
    )
    full = models.ImageField(upload_to=temporary_upload_to)
    display = models.ImageField(upload_to=temporary_upload_to)
    thumb = models.ImageField(upload_to=temporary_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TemporaryUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary upload")
        verbose_name_plural = _("temporary uploads")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return str(self.key)

    @property
    def expires_at(self):
        return self.created_at + UPLOAD_LIFETIME

    @property
    def files(self) -> list:
        return [self.full, self.display, self.thumb]
