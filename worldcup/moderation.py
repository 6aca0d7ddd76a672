"""World Cup entries in the moderators' review queue (moderation/registry.py).

Hiding or deleting an entry withdraws it: it leaves new games and search, and its past results
stay (other members' games counted them). The reason is the moderator's.
"""

from moderation.registry import register

from .models import Entry
from .services import entry_mark_withdrawn


def _withdraw(entry: Entry, reason: str = "") -> None:
    if not entry.is_withdrawn:
        entry_mark_withdrawn(entry=entry, reason=reason)


register(
    "worldcup_entry",
    Entry,
    author_field="member",
    text=lambda entry: f"{entry.pet_name} · {entry.event.title}",
    url=lambda entry: entry.event.url,
    visible_to=lambda viewer: Entry.objects.active().filter(event__live=True),
    hide=_withdraw,
    delete=_withdraw,
)
