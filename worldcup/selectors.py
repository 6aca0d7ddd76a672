"""Reads of the World Cup shared by pages, the API, the home page and the monthly task.

Results are counted from the decided matches of counted games (see ``worldcup.models``), one
subquery per figure, so a leaderboard is one query whatever its length.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from .models import Entry, Game, Match, PetOfTheMonth, WorldCupEventPage, WorldCupIndexPage


def _count(queryset) -> Coalesce:
    """COUNT(*) of a correlated queryset, as an integer annotation (0 when nothing matches)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def entries_with_results(*, event: WorldCupEventPage) -> QuerySet[Entry]:
    """The event's entries (withdrawn ones too: they keep their results), each annotated with
    ``wins``, ``losses``, ``played``, ``win_rate`` (0–1) and ``championships``, best first:
    most championships, then the best match win rate, then the earliest entry."""
    counted_matches = Match.objects.filter(game__counted=True, entry_b__isnull=False)
    played = Q(entry_a=OuterRef("pk")) | Q(entry_b=OuterRef("pk"))
    return (
        Entry.objects.filter(event=event)
        .select_related("member")
        .annotate(
            wins=_count(counted_matches.filter(winner=OuterRef("pk"))),
            played=_count(counted_matches.filter(played)),
            championships=_count(Game.objects.filter(counted=True, champion=OuterRef("pk"))),
        )
        .annotate(
            losses=F("played") - F("wins"),
            win_rate=Case(
                When(played=0, then=Value(0.0)),
                default=Cast("wins", FloatField()) / Cast("played", FloatField()),
                output_field=FloatField(),
            ),
        )
        .order_by("-championships", "-win_rate", "entered_at", "id")
    )


def counted_games(*, event: WorldCupEventPage) -> int:
    return Game.objects.filter(event=event, counted=True).count()


@dataclass(frozen=True)
class Standing:
    """One row of a leaderboard."""

    rank: int
    entry: Entry
    champion_share: float  # the share of counted games this entry won (0–1)

    @property
    def win_percent(self) -> int:
        return round(self.entry.win_rate * 100)

    @property
    def champion_percent(self) -> int:
        return round(self.champion_share * 100)


def leaderboard(*, event: WorldCupEventPage, limit: int | None = None) -> tuple[list[Standing], int]:
    """(standings, counted games): two queries."""
    games = counted_games(event=event)
    entries = entries_with_results(event=event)
    if limit is not None:
        entries = entries[:limit]
    return [
        Standing(rank, entry, entry.championships / games if games else 0.0)
        for rank, entry in enumerate(entries, start=1)
    ], games


def event_champion(*, event: WorldCupEventPage) -> Entry | None:
    """The entry with the most championships in counted games (ties: match win rate, then the
    earliest entry), among entries not withdrawn; None when nobody completed a game."""
    best = entries_with_results(event=event).filter(withdrawn_at__isnull=True).first()
    return best if best is not None and best.championships else None


def champion_among(standings: list[Standing]) -> Entry | None:
    """``event_champion`` read from a full leaderboard, without another query."""
    return next(
        (row.entry for row in standings if not row.entry.is_withdrawn and row.entry.championships), None
    )


def live_events() -> QuerySet[WorldCupEventPage]:
    return WorldCupEventPage.objects.live().select_related("hero_image")


def current_event(*, index_page: WorldCupIndexPage | None = None) -> WorldCupEventPage | None:
    """The open event whose voting started last (or, when none has opened, the next one)."""
    events = live_events().filter(closed_at__isnull=True)
    if index_page is not None:
        events = events.child_of(index_page)
    return events.order_by("-voting_opens_at").first()


def hall_of_fame(*, limit: int = 12) -> QuerySet[PetOfTheMonth]:
    return PetOfTheMonth.objects.select_related("entry", "entry__member", "event").order_by("-month")[:limit]


PET_OF_THE_MONTH_CACHE_KEY = "worldcup:pet-of-the-month"
PET_OF_THE_MONTH_CACHE_SECONDS = 300


def current_pet_of_the_month() -> PetOfTheMonth | None:
    """The latest pet of the month, for the home page.

    It changes once a month and is the same for everyone, so it is kept in the cache and dropped
    whenever a pet of the month, an entry or an event changes (``forget_pet_of_the_month``); the
    timeout bounds staleness where the cache is per process (several workers without Redis).
    """
    cached = cache.get(PET_OF_THE_MONTH_CACHE_KEY)
    if cached is not None:
        return cached[0]
    latest = PetOfTheMonth.objects.select_related("entry", "event").order_by("-month").first()
    cache.set(PET_OF_THE_MONTH_CACHE_KEY, (latest,), PET_OF_THE_MONTH_CACHE_SECONDS)
    return latest


def forget_pet_of_the_month(**kwargs) -> None:
    cache.delete(PET_OF_THE_MONTH_CACHE_KEY)


def active_entries(*, event: WorldCupEventPage) -> QuerySet[Entry]:
    """What the event page shows: entries not withdrawn, oldest first, with their members."""
    return Entry.objects.active().filter(event=event).select_related("member").order_by("entered_at", "id")


def member_entry(*, event: WorldCupEventPage, member) -> Entry | None:
    if not member.is_authenticated:
        return None
    return Entry.objects.filter(event=event, member=member).first()


def game_in_play(*, event: WorldCupEventPage, player) -> Game | None:
    if not player.is_authenticated:
        return None
    return Game.objects.filter(event=event, player=player, completed_at__isnull=True).first()


def own_game(*, player, game_id: int) -> Game:
    """The player's own game (DoesNotExist for anyone else's)."""
    return Game.objects.select_related("event", "champion").get(pk=game_id, player=player)


def shown_game(*, viewer, game_id: int) -> Game:
    """A game whose result page the viewer may open: their own, or anyone's finished game (shared
    as a link; the page then shows the champion only, never the player or their picks).
    DoesNotExist otherwise."""
    shown = Q(completed_at__isnull=False)
    if viewer.is_authenticated:
        shown |= Q(player=viewer)
    return Game.objects.select_related("event", "champion").filter(shown).get(pk=game_id)


def current_match(*, game: Game) -> Match | None:
    """The first undecided match of the game's current round, with both entries and their owners
    (pets of the same name are told apart by who they live with)."""
    return (
        Match.objects.filter(game=game, round=game.current_round, winner__isnull=True)
        .select_related("entry_a__member", "entry_b__member")
        .order_by("position")
        .first()
    )


def round_progress(*, match: Match) -> tuple[int, int]:
    """(this match's number, how many matches the member plays) in the match's round, for "8강 1/4".
    Byes are decided without the member, so they are not counted. One query."""
    played = [
        position
        for position, entry_b_id in Match.objects.filter(game_id=match.game_id, round=match.round)
        .values_list("position", "entry_b_id")
        .order_by("position")
        if entry_b_id is not None
    ]
    return played.index(match.position) + 1, len(played)


def game_matches(*, game: Game) -> list[Match]:
    """Every match of a game, round by round (first round first), in one query."""
    return list(
        Match.objects.filter(game=game)
        .select_related("entry_a", "entry_b", "winner")
        .order_by("-round", "position")
    )
