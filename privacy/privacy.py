"""This app's own part of a member's data export and deletion (see core/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Consent, DataExport


def export(member, writer) -> None:
    writer.add_json(
        "consents.json",
        list(Consent.objects.filter(member=member).values("document", "version", "agreed_at")),
    )


def erase(erasure) -> None:
    for data_export in DataExport.objects.filter(member=erasure.member):
        erasure.remove_files(data_export.file)
        data_export.delete()


register(
    "privacy",
    export=export,
    erase=erase,
    retained=[
        _(
            "Which versions of the terms and privacy notice were agreed to and when, without your name, "
            "for three years (Personal Information Protection Act)."
        )
    ],
)
