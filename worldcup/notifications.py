"""What the World Cup tells notifications (notifications/registry.py): a notification about an
event, or about a member's entry in one, names the event and links to its page."""

from notifications.registry import register_target

from .models import Entry, WorldCupEventPage

register_target(WorldCupEventPage, text=lambda event: event.title, url=lambda event: event.url)
register_target(Entry, text=lambda entry: entry.event.title, url=lambda entry: entry.event.url)
