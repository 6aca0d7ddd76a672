"""What members can report, and how moderators hide or delete each kind.

Another app makes a model reportable with one call in its ``AppConfig.ready``::

    from moderation.registry import register
    register("worldcup_entry", Entry, author_field="owner", text=lambda entry: entry.caption)

``hide`` and ``delete`` default to setting ``is_hidden``/``hidden_reason`` and ``deleted_at``
when the model has those fields; deleting is always soft, so moderators keep the evidence.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


def _soft_delete(obj) -> None:
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
        delete = _soft_delete
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


def register_defaults() -> None:
    """Posts (with their photos), comments, walks, chat messages and members."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from community.models import Comment, Post

    register(
        "post",
        Post,
        text=lambda post: post.text,
        url=lambda post: reverse("community:post_detail", args=[post.pk]),
        visible_to=lambda viewer: Post.objects.visible_to(viewer),
        photos=lambda post: [(photo.thumb.url, photo.alt_text) for photo in post.photos.all()],
        prefetch=("photos",),
    )
    register(
        "comment",
        Comment,
        text=lambda comment: comment.text,
        url=lambda comment: (
            reverse("community:post_detail", args=[comment.post_id]) + f"#comment-{comment.pk}"
        ),
        visible_to=lambda viewer: Comment.objects.visible_to(viewer).filter(post__deleted_at__isnull=True),
    )
    User = get_user_model()
    register(
        "member",
        User,
        author_field=None,
        text=lambda member: f"{member.display_name} (@{member.username}) {member.bio}".strip(),
        url=lambda member: reverse("community:profile", args=[member.username]),
        visible_to=lambda viewer: User.objects.filter(is_active=True),
        label=_("member"),
    )
    if apps.is_installed("walks"):
        from walks.models import Walk

        register(
            "walk",
            Walk,
            author_field="host",
            text=lambda walk: f"{walk.title}\n{walk.description_text}",
            url=lambda walk: walk.get_absolute_url(),
            visible_to=lambda viewer: Walk.objects.visible_to(viewer),
            delete=_delete_walk,
        )
    if apps.is_installed("chat"):
        from chat.models import Message

        register(
            "chat_message",
            Message,
            author_field="sender",
            text=lambda message: message.text,
            visible_to=lambda viewer: Message.objects.filter(
                deleted_at__isnull=True, room__memberships__member=viewer
            ),
            hide=lambda message, reason: _delete_chat_message(message),
            delete=_delete_chat_message,
        )


def _delete_chat_message(message) -> None:
    """Chat has no "hidden": the message becomes a tombstone in every open room view."""
    from django.db import transaction

    from chat import realtime

    _soft_delete(message)
    transaction.on_commit(lambda: realtime.broadcast_deleted(message.room_id, message.pk), robust=True)


def _delete_walk(walk) -> None:
    from walks import chat_bridge

    _soft_delete(walk)
    chat_bridge.close_walk_room(walk_id=walk.pk)
