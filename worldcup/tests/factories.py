from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import UserFactory
from home.models import HomePage
from pets.tests.factories import PetFactory
from site_core.tests.browser import ensure_home_page
from worldcup import selectors, services
from worldcup.models import Entry, Game, WorldCupEventPage, WorldCupIndexPage, month_start


def index_page() -> WorldCupIndexPage:
    index = WorldCupIndexPage.objects.first()
    if index is None:
        ensure_home_page()
        home = HomePage.objects.first()
        index = home.add_child(instance=WorldCupIndexPage(title="강아지 월드컵", slug="worldcup"))
    return index


def open_periods(now=None) -> dict:
    """Entries and voting open from a day ago to a week from now."""
    now = now or timezone.now()
    return {
        "entry_opens_at": now - timedelta(days=1),
        "entry_closes_at": now + timedelta(days=7),
        "voting_opens_at": now - timedelta(days=1),
        "voting_closes_at": now + timedelta(days=7),
    }


def make_event(*, title: str = "11월 강아지 월드컵", bracket_size: int = 8, month="this", **overrides):
    """A published event under the index, open for entries and voting unless told otherwise."""
    values = {
        "title": title,
        "slug": overrides.pop("slug", None) or f"event-{WorldCupEventPage.objects.count() + 1}",
        "bracket_size": bracket_size,
        "month": month_start() if month == "this" else month,
        **open_periods(),
        **overrides,
    }
    event = WorldCupEventPage(**values)
    index_page().add_child(instance=event)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def small_photo(colour: str = "orange") -> SimpleUploadedFile:
    """A small real PNG, quick to check and re-encode."""
    buffer = BytesIO()
    Image.new("RGB", (48, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("pet.png", buffer.getvalue(), content_type="image/png")


def enter(event, *, name: str | None = None, member=None) -> Entry:
    """A member enters a new pet with a photo, through the service."""
    member = member or UserFactory()
    pet = PetFactory(owner=member, photo=small_photo(), **({"name": name} if name else {}))
    return services.entry_create(event_id=event.pk, member=member, pet_id=pet.pk)


def enter_many(event, count: int, *, prefix: str = "멍멍") -> list[Entry]:
    return [enter(event, name=f"{prefix}{n}") for n in range(count)]


def play(event, player, *, choose=None) -> Game:
    """Plays a whole game through the service. ``choose(match)`` returns the winner's id
    (default: the first entry of each match)."""
    game = services.game_start(event_id=event.pk, player=player)
    while not game.is_complete:
        match = selectors.current_match(game=game)
        winner = choose(match) if choose else match.entry_a_id
        game = services.game_pick(game_id=game.pk, player=player, match_id=match.pk, winner_id=winner)
    return game


def favouring(entry):
    """A chooser that always picks ``entry`` when it plays, else the first entry."""
    return lambda match: entry.pk if entry.pk in (match.entry_a_id, match.entry_b_id) else match.entry_a_id
