"""Which members have a chat socket open to a room, in the cache (Redis in production, so every
node sees every node's sockets): push notifications skip them, since they see the message live.

Each (room, member) key holds the member's open sockets there, by channel name, with when each
stops counting. A socket renews itself every ``REFRESH_SECONDS`` while open and is taken out when
it closes; a node that dies without closing its sockets leaves entries that lapse after
``TTL_SECONDS``. Two sockets of one member opening in the same instant may overwrite each other's
entry: the loser then counts as away until its next renewal, which at worst sends one push too many,
never one too few.
"""

import time

from django.core.cache import cache

TTL_SECONDS = 90
REFRESH_SECONDS = 30


def _key(room_id: int, member_id: int) -> str:
    return f"chat:presence:{room_id}:{member_id}"


def _live(entries, now: float) -> dict[str, float]:
    return {name: until for name, until in (entries or {}).items() if until > now}


async def socket_open(*, room_id: int, member_id: int, channel_name: str) -> None:
    """Counts the socket as open for the next ``TTL_SECONDS`` (on connect, and on every renewal)."""
    key = _key(room_id, member_id)
    now = time.time()
    entries = _live(await cache.aget(key), now)
    entries[channel_name] = now + TTL_SECONDS
    await cache.aset(key, entries, TTL_SECONDS)


async def socket_closed(*, room_id: int, member_id: int, channel_name: str) -> None:
    key = _key(room_id, member_id)
    entries = _live(await cache.aget(key), time.time())
    entries.pop(channel_name, None)
    if entries:
        await cache.aset(key, entries, TTL_SECONDS)
    else:
        await cache.adelete(key)


def present(*, room_id: int, member_ids) -> set[int]:
    """The members among ``member_ids`` with a socket open to the room (one cache read)."""
    keys = {_key(room_id, member_id): member_id for member_id in member_ids}
    if not keys:
        return set()
    now = time.time()
    return {keys[key] for key, entries in cache.get_many(list(keys)).items() if _live(entries, now)}
