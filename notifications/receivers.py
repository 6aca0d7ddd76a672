"""New notifications, however they were written, are handed to push (notifications/push.py)."""

from community.models import Notification

from . import push


def notification_saved(sender, instance: Notification, created: bool, update_fields=None, **kwargs) -> None:
    # A grouped like saves its row again with a new ``updated_at``: the push replaces the last one.
    if created or (update_fields is not None and "updated_at" in update_fields):
        push.queue_notification_pushes([instance])


def notifications_bulk_created(sender, notifications, **kwargs) -> None:
    push.queue_notification_pushes(notifications)
