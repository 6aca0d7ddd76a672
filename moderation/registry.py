"""What members can report, and how moderators hide or delete each kind.

Each app makes its models reportable in its own ``moderation.py`` (imported by
``ModerationConfig.ready``)::

    from moderation.registry import register
    register("worldcup_entry", Entry, author_field="owner", text=lambda entry: entry.caption)

``hide`` and ``delete`` default to setting ``is_hidden``/``hidden_reason`` and ``deleted_at``
when the model has those fields (``soft_delete``); deleting is always soft, so moderators keep
the evidence.

What else a block or a ban ends belongs to the apps that keep it: they add it with
``on_block`` (follows) and ``on_ban`` (sessions and tokens), run inside the sanction's
transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Reportable:
    key: str
    model: type[models.Model]
    label: str
    author_field: str | None
    text: Callable[[models.Model], str]
    url: Callable[[models.Model], str | None]
    visible_to: Callable[[object], models.QuerySet]
    hide: Callable[[models.Model, str], None] | None
    delete: Callable[[models.Model], None] | None
    photos: Callable[[models.Model], list[tuple[str, str]]] = lambda obj: []
    prefetch: tuple[str, ...] = ()  # what ``photos`` reads, fetched once for a page of cases

    def author_id(self, obj) -> int | None:
        return obj.pk if self.author_field is None else getattr(obj, f"{self.author_field}_id")


_registry: dict[str, Reportable] = {}


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _hide_flag(obj, reason: str) -> None:
    obj.is_hidden = True
    obj.hidden_reason = reason[:300]
    obj.save(update_fields=["is_hidden", "hidden_reason"])


def soft_delete(obj) -> None:
    if obj.deleted_at is None:
        obj.deleted_at = timezone.now()
        obj.save(update_fields=["deleted_at"])


def register(
    key: str,
    model: type[models.Model],
    *,
    author_field: str | None = "author",
    text: Callable[[models.Model], str] = str,
    url: Callable[[models.Model], str | None] = lambda obj: None,
    visible_to: Callable[[object], models.QuerySet] | None = None,
    hide: Callable[[models.Model, str], None] | None = None,
    delete: Callable[[models.Model], None] | None = None,
    label: str | None = None,
    photos: Callable[[models.Model], list[tuple[str, str]]] | None = None,
    prefetch: tuple[str, ...] = (),
) -> Reportable:
    if hide is None and _has_field(model, "is_hidden") and _has_field(model, "hidden_reason"):
        hide = _hide_flag
    if delete is None and _has_field(model, "deleted_at"):
        delete = soft_delete
    entry = Reportable(
        key=key,
        model=model,
        label=label or model._meta.verbose_name,
        author_field=author_field,
        text=text,
        url=url,
        visible_to=visible_to or (lambda viewer: model._default_manager.all()),
        hide=hide,
        delete=delete,
        photos=photos or (lambda obj: []),
        prefetch=prefetch,
    )
    _registry[key] = entry
    return entry


def get(key: str) -> Reportable | None:
    return _registry.get(key)


def for_model(model: type[models.Model]) -> Reportable | None:
    concrete = model._meta.concrete_model
    return next((entry for entry in _registry.values() if entry.model is concrete), None)


def keys() -> list[str]:
    return list(_registry)


def entries() -> list[Reportable]:
    return list(_registry.values())


_block_effects: list[Callable[..., None]] = []
_ban_effects: list[Callable[..., None]] = []


def on_block(effect: Callable[..., None]) -> None:
    """``effect(member=, other=)`` runs when ``member`` blocks ``other``."""
    _block_effects.append(effect)


def on_ban(effect: Callable[..., None]) -> None:
    """``effect(member=)`` runs when moderators ban ``member``."""
    _ban_effects.append(effect)


def block_effects() -> list[Callable[..., None]]:
    return list(_block_effects)


def ban_effects() -> list[Callable[..., None]]:
    return list(_ban_effects)
