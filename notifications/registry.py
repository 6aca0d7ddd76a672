"""What the apps above tell notifications, so that it imports none of them.

Each content app contributes in its own ``<app>/notifications.py``, which
``NotificationsConfig.ready()`` imports with ``autodiscover_modules("notifications")``:

- ``register_target``: for a model that notifications point at, what a line names of it, where
  its link leads (both stored with the row when it is made) and which of its rows a viewer can
  still open (read live, in the list's own query);
- ``register_push``: pushes that are not notification rows (a chat message), built by the app
  in django-q2's task;
- ``register_digest``: what else the e-mail digest counts (unread chat messages).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Target:
    url: Callable[[Any], str]
    text: Callable[[Any], str] | None = None
    # The target's rows the viewer can still open (not deleted, not hidden from them, not
    # blocked either way); ``None``: always openable while the row exists.
    visible: Callable[[Any], Q] | None = None


@dataclass(frozen=True)
class Push:
    """A push for something that is not a notification row. ``build(object_id)`` returns the
    members to push to and the payload (title, body, url, tag), or ``None`` to send nothing; the
    members' settings for ``topic`` and quiet hours are checked here."""

    topic: str
    recipients: Callable[[int], QuerySet]
    build: Callable[[int], tuple[Iterable[int], dict] | None]


@dataclass(frozen=True)
class DigestSource:
    """Items of ``topic`` the e-mail digest lists besides notification rows. ``members(since)``:
    ids of members who have some (a subquery); ``items(member, after_id, since)``: theirs, newest
    first, each with a ``last_message_id`` the digest remembers so the next one starts after it."""

    topic: str
    members: Callable[[datetime], QuerySet]
    items: Callable[..., list]


_targets: dict[type[Model], Target] = {}
_pushes: dict[str, Push] = {}
_digest_sources: dict[str, DigestSource] = {}


def register_target(
    model: type[Model],
    *,
    url: Callable[[Any], str],
    text: Callable[[Any], str] | None = None,
    visible: Callable[[Any], Q] | None = None,
) -> None:
    _targets[model] = Target(url=url, text=text, visible=visible)


def target_of(model: type[Model]) -> Target:
    """Raises ``LookupError`` for a model no app registered: notifying about it is a mistake."""
    for registered in model.__mro__:
        if registered in _targets:
            return _targets[registered]
    raise LookupError(f"No app registered {model.__name__} as a notification target.")


def targets() -> dict[type[Model], Target]:
    return dict(_targets)


def register_push(name: str, *, topic: str, recipients: Callable[[int], QuerySet], build) -> None:
    _pushes[name] = Push(topic=topic, recipients=recipients, build=build)


def push_of(name: str) -> Push:
    return _pushes[name]


def register_digest(name: str, *, topic: str, members, items) -> None:
    _digest_sources[name] = DigestSource(topic=topic, members=members, items=items)


def digest_source(name: str) -> DigestSource | None:
    return _digest_sources.get(name)
