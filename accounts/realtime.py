"""A member's open sockets, whatever they follow: every socket of a member joins the member's
channel-layer group, so that a change to the member (credentials, a seat in a room) reaches
all of them. Sends run after commit; a channel layer that is down fails no write (the failure
is logged)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def member_group(member_id: int) -> str:
    return f"accounts.member.{member_id}"


def member_send(member_id: int, event: dict) -> None:
    """Sends ``event`` to every open socket of the member."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(member_group(member_id), event)
    except Exception:  # Redis down or anything else in the layer: the write stands.
        logger.warning("could not send %s to member %s", event["type"], member_id, exc_info=True)


def credentials_changed(member_id: int, version: int) -> None:
    """Sockets opened under an earlier credentials version close (``ChatConsumer``)."""
    member_send(member_id, {"type": "member.credentials_changed", "version": version})
