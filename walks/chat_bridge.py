"""The walks' side of the chat integration: each walk has a group room for its host and members.

Walks sit below chat and never import it. They announce, after the walk's transaction commits,
that a walk's membership changed (``walk_members_changed``) or that it was cancelled or deleted
(``walk_closed``); the chat app connects to both in its ``ready()`` and keeps the rooms. A
receiver's failure is logged (``on_commit(robust=True)``) and never undoes or fails the walk
change.
"""

from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse

# Sent with ``walk_id`` after commit: the walk's host and current members changed (or the
# walk was just created). Receivers read the members then (``selectors.walk_member_ids``).
walk_members_changed = Signal()
# Sent with ``walk_id`` after commit: the walk was cancelled or deleted.
walk_closed = Signal()


def room_url(walk_id: int) -> str:
    return reverse("chat:walk_room", args=[walk_id])


def sync_walk_room(*, walk_id: int) -> None:
    """After commit: whoever keeps the walk's room hears its membership changed."""
    transaction.on_commit(lambda: walk_members_changed.send(sender=None, walk_id=walk_id), robust=True)


def close_walk_room(*, walk_id: int) -> None:
    """After commit: whoever keeps the walk's room hears the walk was cancelled or deleted."""
    transaction.on_commit(lambda: walk_closed.send(sender=None, walk_id=walk_id), robust=True)
