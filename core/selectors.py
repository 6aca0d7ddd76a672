from collections.abc import Iterable
from uuid import UUID

from wagtail.models import Page, Site

from .models import TemporaryUpload


def owned_uploads(*, owner, keys: Iterable[UUID], lock: bool = False) -> dict[UUID, TemporaryUpload]:
    """The member's own uploads with these keys that have not expired, by key (one query).
    ``lock`` (inside a transaction): rows about to be taken over, which the expiry then skips."""
    wanted = set(keys)
    if not wanted or not owner.is_authenticated:
        return {}
    uploads = TemporaryUpload.objects.unexpired().filter(owner=owner, key__in=wanted)
    if lock:
        uploads = uploads.select_for_update()
    return {upload.key: upload for upload in uploads}


def sent_upload(*, owner, value) -> TemporaryUpload | None:
    """The member's unexpired upload whose key a form sent as ``value`` (raw, possibly not a key),
    to show again when the form comes back with an error."""
    try:
        key = UUID(str(value or ""))
    except ValueError:
        return None
    return owned_uploads(owner=owner, keys=[key]).get(key)


def site_root() -> Page | None:
    """The default site's root page (the home page), under which apps add their own pages; None
    before the site exists. Apps below home find it so, without importing it."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None
