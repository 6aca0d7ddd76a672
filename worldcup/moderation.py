"""World Cup entries in the moderators' review queue (moderation/registry.py).

Hiding or deleting an entry withdraws it: it leaves new games and search, and its past results
stay (other members' games counted them). The reason is the moderator's.
"""

from django.db import transaction
from django.utils import timezone

from moderation.registry import register

from .models import Entry
from .services import entry_unindex


def _withdraw(entry: Entry, reason: str = "") -> None:
    if entry.is_withdrawn:
        return
    with transaction.atomic():
        entry.withdrawn_at = timezone.now()
        entry.withdrawn_reason = reason[: Entry._meta.get_field("withdrawn_reason").max_length]
        entry.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        entry_unindex(entry=entry)


def register_reportable() -> None:
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
