"""What walks tell notifications (notifications/registry.py): a notification about a walk names
it and links to its page, until it is deleted or hidden from the viewer."""

from django.db.models import Q

from notifications.registry import register_target

from .models import Walk


def walk_visible(viewer) -> Q:
    """Not deleted, and not hidden by moderators unless the viewer hosts it or moderates."""
    visible = Q(deleted_at__isnull=True)
    if not viewer.has_perm("community.view_hidden_content"):
        visible &= Q(is_hidden=False) | Q(host=viewer.pk)
    return visible


register_target(Walk, text=lambda walk: walk.title, url=Walk.get_absolute_url, visible=walk_visible)
