"""What members do together in the apps above community (walks), for a new member's first-run
card and the members suggested to them to follow (community/selectors.py).

community sits below those apps, so each tells it here, from its own ``community.py`` (imported
by ``CommunityConfig.ready``), with ``register()``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class Activity:
    # The first-run step taking part completes: a key of `selectors.first_run` ("has_walk").
    step: str
    # Whether the member at OuterRef("pk") has taken part.
    took_part: Callable[[], Expression]
    # The annotation saying a suggested member is near the viewer through it ("same_region").
    nearby: str
    # Whether the member at OuterRef("pk") is near this viewer (walks in the same regions).
    near: Callable[[Any], Expression]
    # Members near this viewer, as querysets of member ids, each at most `limit` long.
    candidates: Callable[[Any, int], list[QuerySet]]


_activities: dict[str, Activity] = {}


def register(activity: Activity) -> None:
    _activities[activity.step] = activity


def activities() -> list[Activity]:
    return list(_activities.values())
