"""Chat keeps each walk's group room in step with the walk (``walks.chat_bridge`` announces the
changes after the walk's transaction commits; ``ChatConfig.ready`` connects these)."""

from walks.selectors import walk_member_ids

from . import services


def walk_members_changed(sender, *, walk_id: int, **kwargs) -> None:
    services.walk_room_sync(walk_id=walk_id, member_ids=walk_member_ids(walk_id=walk_id))


def walk_closed(sender, *, walk_id: int, **kwargs) -> None:
    services.walk_room_close(walk_id=walk_id)
