"""The World Cup's part of a member's data export and deletion (see core/personal_data.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import Entry, Game
from .services import entry_unindex


def export(member, writer) -> None:
    entries = []
    for entry in Entry.objects.filter(member=member).select_related("event").order_by("entered_at", "pk"):
        entries.append(
            {
                "id": entry.pk,
                "event": entry.event.title,
                "pet_name": entry.pet_name,
                "entered_at": entry.entered_at,
                "withdrawn_at": entry.withdrawn_at,
                "withdrawn_reason": entry.withdrawn_reason,
                "photo": writer.add_file(f"worldcup/{entry.pk}", entry.photo_display),
            }
        )
    writer.add_json("worldcup/entries.json", entries)
    games = (
        Game.objects.filter(player=member).select_related("event", "champion").order_by("started_at", "pk")
    )
    writer.add_json(
        "worldcup/games.json",
        [
            {
                "event": game.event.title,
                "started_at": game.started_at,
                "completed_at": game.completed_at,
                "counted": game.counted,
                "champion": game.champion.pet_name if game.champion else None,
            }
            for game in games
        ],
    )


def erase(erasure) -> None:
    """Entries and games lose their member; entries still open leave new games. Past results
    stay, since other members' games counted them (the entry keeps only the pet's name and photo)."""
    member = erasure.member
    for entry in Entry.objects.filter(member=member, withdrawn_at__isnull=True):
        entry.withdrawn_at = timezone.now()
        entry.withdrawn_reason = str(_("The member left Petrasche."))
        entry.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        entry_unindex(entry=entry)
    Entry.objects.filter(member=member).update(member=None)
    Entry.objects.filter(withdrawn_by=member).update(withdrawn_by=None)
    Game.objects.filter(player=member).update(player=None)


register(
    "worldcup",
    export=export,
    erase=erase,
    retained=[
        _(
            "World Cup entries' pet names, photos and match results, without your name: other "
            "members' games counted them."
        )
    ],
    order=40,
)
