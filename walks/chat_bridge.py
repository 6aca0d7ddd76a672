"""The walks' side of the chat integration: each walk has a group room for its host and members.

The chat app owns the rooms (``chat.services.walk_room_sync`` and ``walk_room_close``). Walks
work without it: every call here checks ``apps.is_installed("chat")`` when it is made, and
the chat call runs after the walk's transaction commits, with the membership read then.
A chat failure is logged (``on_commit(robust=True)``) and never undoes or fails the walk change.
"""

from importlib import import_module

from django.apps import apps
from django.db import transaction

CHAT_APP = "chat"


def chat_installed() -> bool:
    return apps.is_installed(CHAT_APP)


def _chat_services():
    return import_module(f"{CHAT_APP}.services")


def room_url(walk_id: int) -> str:
    return f"/chat/walks/{walk_id}/"


def sync_walk_room(*, walk_id: int) -> None:
    """After commit: the walk's room holds exactly its host and current members."""
    if not chat_installed():
        return

    def sync() -> None:
        from .selectors import walk_member_ids

        _chat_services().walk_room_sync(walk_id=walk_id, member_ids=walk_member_ids(walk_id=walk_id))

    transaction.on_commit(sync, robust=True)


def close_walk_room(*, walk_id: int) -> None:
    """After commit: the walk's room is closed (the walk was cancelled or deleted)."""
    if not chat_installed():
        return
    transaction.on_commit(lambda: _chat_services().walk_room_close(walk_id=walk_id), robust=True)
