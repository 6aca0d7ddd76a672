from collections.abc import Iterable
from uuid import UUID

from .models import TemporaryUpload


def owned_uploads(*, owner, keys: Iterable[UUID]) -> dict[UUID, TemporaryUpload]:
    """The member's own uploads with these keys that have not expired, by key (one query)."""
    wanted = set(keys)
    if not wanted or not owner.is_authenticated:
        return {}
    uploads = TemporaryUpload.objects.unexpired().filter(owner=owner, key__in=wanted)
    return {upload.key: upload for upload in uploads}
