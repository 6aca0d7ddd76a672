"""Sockets follow membership: whatever takes a member out of a room closes their sockets to it.

Declared here once, on the rows themselves, rather than in each service that removes members:

- a seat (``RoomMember``) that is deleted, however (a walk's member leaving or removed by the
  host, account deletion, a room or member deleted in an admin, a cascade), tells the member's
  sockets to that room after commit;
- a block hides each member's read receipts and typing from the other, in every room they share,
  from the moment it is made until it is lifted (``block_changed``);
- a block takes both members out of their 1:1 room: their sockets to it close, and they cannot
  follow it live while the block stands (``selectors.socket_seat``).

A ban and account deletion end the member's credentials too, which closes every socket they have
(``accounts.services.member_credentials_raise``). ``ChatConfig.ready`` connects the receivers.
"""

from functools import partial

from django.db import transaction

from . import realtime
from .models import Room


def seat_deleted(sender, instance, using, **kwargs) -> None:
    """``post_delete`` of ``RoomMember``."""
    transaction.on_commit(partial(realtime.seat_ended, instance.member_id, instance.room_id), using=using)
    transaction.on_commit(partial(realtime.broadcast_left, instance.room_id, instance.member_id), using=using)


def block_changed(sender, instance, using, created=True, **kwargs) -> None:
    """``post_save`` and ``post_delete`` of ``moderation.Block``: both members' sockets reload whose
    read receipts and typing they see (neither sees the other's)."""
    if not created:
        return
    for member_id in (instance.blocker_id, instance.blocked_id):
        transaction.on_commit(partial(realtime.blocks_changed, member_id), using=using)


def block_saved(sender, instance, created, using, **kwargs) -> None:
    """``post_save`` of ``moderation.Block``."""
    if not created:
        return
    key = Room.pair_key(instance.blocker_id, instance.blocked_id)
    room_id = (
        Room.objects.using(using)
        .filter(kind=Room.Kind.DIRECT, direct_key=key)
        .values_list("pk", flat=True)
        .first()
    )
    if room_id is None:
        return
    for member_id in (instance.blocker_id, instance.blocked_id):
        transaction.on_commit(partial(realtime.seat_ended, member_id, room_id), using=using)
