"""Keyset pages of a room's messages: ``?before=<id>`` (older) or ``?after=<id>`` (newer).

Message ids only grow, so an id is a stable cursor: pages do not shift while messages arrive.
"""

from dataclasses import dataclass

from django.utils.http import urlencode

from . import selectors


@dataclass(frozen=True)
class MessagePage:
    messages: list
    has_more: bool
    older: str | None
    newer: str | None


def _int_param(params, name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValueError(name) from None
    if value < 0:
        raise ValueError(name)
    return value


def message_page(*, room_id: int, params, base_url: str) -> MessagePage:
    """Reads ``before``, ``after`` and ``limit`` (≤ 100, default 50) from the query parameters.

    Raises ValueError (with the parameter's name) for a value that is not a whole number ≥ 0.
    """
    before = _int_param(params, "before")
    after = _int_param(params, "after")
    limit = _int_param(params, "limit") or selectors.HISTORY_PAGE_SIZE
    limit = min(limit, selectors.MAX_PAGE_SIZE)
    if after is not None:
        messages, has_more = selectors.room_messages(room_id=room_id, after=after, limit=limit)
    else:
        messages, has_more = selectors.room_messages(room_id=room_id, before=before, limit=limit)

    def link(**bound) -> str:
        query = {**bound, "limit": limit} if limit != selectors.HISTORY_PAGE_SIZE else bound
        return f"{base_url}?{urlencode(query)}"

    older = newer = None
    if messages:
        older_exists = has_more if after is None else after > 0
        newer_exists = has_more if after is not None else before is not None
        if older_exists:
            older = link(before=messages[0].pk)
        if newer_exists:
            newer = link(after=messages[-1].pk)
    return MessagePage(messages=messages, has_more=has_more, older=older, newer=newer)
