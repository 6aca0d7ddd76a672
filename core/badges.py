"""The counts on the layout's navigation links (unread notifications, unread chat messages…).

The app that owns a count contributes it in its own ``badges.py`` module, found by
``HomeConfig.ready`` (``autodiscover_modules("badges")``)::

    from core import badges
    badges.register("chat", unread_badge_expression)

where ``unread_badge_expression(member=...)`` is a query expression; the layout reads every badge
in one query, and only when a template shows one of them (``home.context_processors.nav_badges``).
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Expression

_badges: dict[str, Callable[..., Expression]] = {}


def register(name: str, expression: Callable[..., Expression]) -> None:
    _badges[name] = expression


def names() -> list[str]:
    return sorted(_badges)


def counts(*, member) -> dict[str, int]:
    """Every badge's number for ``member``, in one query."""
    ordered = names()
    row = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .values_list(*(_badges[name](member=member) for name in ordered))
        .first()
    )
    return dict(zip(ordered, row or (0,) * len(ordered), strict=True))
