"""What each app keeps about a member, for the data export and for account deletion.

Every app with member data has a ``privacy.py`` module (imported by ``PrivacyConfig.ready``)
that calls ``register()`` once. The registry lives here, below every app, because apps below
``privacy`` (``notifications``, ``core``) keep member data too; ``privacy`` runs the export and
the erasure over it.

- ``export(member, writer)`` adds the app's part of the ZIP (``writer.add_json`` /
  ``writer.add_file``);
- ``erase(erasure)`` deletes or anonymizes the member's rows inside the deletion's
  transaction, honouring ``erasure.delete_content``, and lists files to remove after commit
  in ``erasure.files``;
- ``retained`` says, for the confirmation page, what is kept and why.

Sections erase in ``order`` (lower first): the account itself is anonymized last.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.files import FieldFile


@dataclass
class Erasure:
    member: Any
    delete_content: bool
    files: list[FieldFile] = field(default_factory=list)

    def remove_files(self, *fields: FieldFile) -> None:
        self.files.extend(item for item in fields if item)


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any, Any], None] | None
    erase: Callable[[Erasure], None] | None
    retained: Sequence[str]
    order: int


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    export: Callable[[Any, Any], None] | None = None,
    erase: Callable[[Erasure], None] | None = None,
    retained: Sequence[str] = (),
    order: int = 10,
) -> None:
    _sections[name] = Section(name=name, export=export, erase=erase, retained=tuple(retained), order=order)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def retained() -> list[str]:
    return [str(item) for section in sections() for item in section.retained]
