"""Writing a member's data into a ZIP: one JSON file per part and their images."""

import json
import zipfile
from datetime import date, datetime
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class ExportWriter:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def add_json(self, path: str, data) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=_default)
        self.archive.writestr(path, text)

    def add_file(self, folder: str, file: FieldFile) -> str | None:
        """Copies a stored file into ``folder`` and returns its path in the ZIP (None if missing)."""
        if not file or not file.storage.exists(file.name):
            return None
        path = f"{folder}/{PurePosixPath(file.name).name}"
        with file.storage.open(file.name, "rb") as source:
            self.archive.writestr(path, source.read())
        return path
