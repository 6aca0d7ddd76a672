"""Consent, account deletion and data export. Each function is one transaction."""

import hashlib
import hmac
import io
import logging
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import personal_data
from core.actions import AllowedWhileSuspended, member_action

from .export import ExportWriter
from .models import EXPORT_LIFETIME, USERNAME_QUARANTINE, Consent, DataExport, RetiredUsername
from .selectors import current_documents

logger = logging.getLogger(__name__)

EXPORT_TASK = "privacy.tasks.build_export"


def username_digest(username: str) -> str:
    """A keyed digest of a handle: it tells whether a handle was retired, not which one."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()


def username_is_retired(username: str) -> bool:
    return RetiredUsername.objects.filter(
        digest=username_digest(username), available_at__gt=timezone.now()
    ).exists()


def agreed_versions(*, member) -> set[tuple[str, int]]:
    return set(Consent.objects.filter(member=member).values_list("document", "version"))


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.CONSENT)
@transaction.atomic
def consent_record(*, member, agreed: Iterable[str]) -> list[Consent]:
    """Records agreement to the current version of each named document.

    Every required document must be among them; optional ones are recorded when given.
    """
    agreed = set(agreed)
    documents = current_documents()
    already = agreed_versions(member=member)
    missing = [
        page
        for page in documents
        if page.required and page.document not in agreed and (page.document, page.version) not in already
    ]
    if missing:
        raise ValidationError(
            _("Please agree to: %(documents)s.") % {"documents": ", ".join(page.title for page in missing)}
        )
    now = timezone.now()
    consents = []
    for page in documents:
        if page.document in agreed:
            consent, _created = Consent.objects.get_or_create(
                member=member,
                document=page.document,
                version=page.version,
                defaults={"required": page.required, "agreed_at": now},
            )
            consents.append(consent)
    return consents


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.LEAVE)
@transaction.atomic
def member_delete(*, member, delete_content: bool) -> None:
    """Erases a member: each app's part (core.personal_data), then the account is anonymized.

    Files are removed after commit, so a failure leaves everything as it was.
    """
    RetiredUsername.objects.update_or_create(
        digest=username_digest(member.username),
        defaults={"available_at": timezone.now() + USERNAME_QUARANTINE},
    )
    erasure = personal_data.Erasure(member=member, delete_content=delete_content)
    for section in personal_data.sections():
        if section.erase is not None:
            section.erase(erasure)
    files = [(item.storage, item.name) for item in erasure.files]
    transaction.on_commit(lambda: _remove_files(files))


def _remove_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not remove %s of a deleted member", name)


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.DATA_EXPORT)
@transaction.atomic
def export_request(*, member) -> DataExport:
    """Queues a new export unless one is already being prepared."""
    pending = (
        DataExport.objects.select_for_update().filter(member=member, status=DataExport.Status.PENDING).first()
    )
    if pending is not None:
        return pending
    export = DataExport.objects.create(member=member)
    transaction.on_commit(lambda: _enqueue_export(export.pk))
    return export


def _enqueue_export(export_id: int) -> None:
    from django_q.tasks import async_task

    async_task(EXPORT_TASK, export_id, task_name=f"data export {export_id}")


def export_build(*, export_id: int) -> DataExport:
    """Writes the ZIP, marks the export ready and tells the member by e-mail."""
    export = DataExport.objects.select_related("member").get(pk=export_id)
    if export.status != DataExport.Status.PENDING:
        return export
    member = export.member
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = ExportWriter(archive)
        for section in personal_data.sections():
            if section.export is not None:
                section.export(member, writer)
    now = timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export_id)
        export.file.save(f"petrasche-{now:%Y%m%d}.zip", ContentFile(buffer.getvalue()), save=False)
        export.size = buffer.tell()
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + EXPORT_LIFETIME
        export.save(update_fields=["file", "size", "status", "ready_at", "expires_at"])
        if member.email:
            transaction.on_commit(lambda: _mail_export_ready(member))
    return export


def _mail_export_ready(member) -> None:
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("privacy:data")
    send_mail(
        _("Your Petrasche data is ready"),
        _("The copy of your data you asked for is ready to download for 7 days: %(link)s") % {"link": link},
        None,
        [member.email],
    )


@transaction.atomic
def export_fail(*, export_id: int) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED
    )


@transaction.atomic
def exports_remove_expired() -> int:
    """Deletes expired exports and their files."""
    expired = list(DataExport.objects.filter(expires_at__lte=timezone.now()))
    files = [(export.file.storage, export.file.name) for export in expired if export.file]
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    transaction.on_commit(lambda: _remove_files(files))
    return len(expired)
