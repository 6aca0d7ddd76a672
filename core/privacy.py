"""The temporary uploads' part of a member's data export and deletion (see core/personal_data.py)."""

from core.personal_data import register

from .models import TemporaryUpload


def export(member, writer) -> None:
    writer.add_json(
        "temporary_uploads.json",
        [
            {
                "created_at": upload.created_at,
                "expires_at": upload.expires_at,
                "file": writer.add_file("temporary_uploads", upload.full),
            }
            for upload in TemporaryUpload.objects.filter(owner=member)
        ],
    )


def erase(erasure) -> None:
    uploads = TemporaryUpload.objects.filter(owner=erasure.member)
    for upload in uploads:
        erasure.remove_files(*upload.files)
    uploads.delete()


register("uploads", export=export, erase=erase)
