"""Writes to the World Cup. Each function is one transaction; search indexing runs on commit.

The game: when a member starts one, the server draws the entries (``game_start``), pairs them
into the first round's matches and stores them. Every pick (``game_pick``) must name the
game's current match and one of its two entries; anything else — another game's match, a
decided match, a third entry — is refused and changes nothing. A round's winners are paired
into the next round until the final's winner is the game's champion. A member's first
completed game of an event is the one that counts toward its results.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from uuid import UUID, uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import selectors as core_selectors
from core import services as core_services
from core.actions import member_action
from core.images import render_photo
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from pets.models import Pet

from . import selectors
from .cards import missing_fonts, render_result_card
from .models import (
    SEOUL,
    WITHDRAWN_REASON_MAX_LENGTH,
    BracketSize,
    Entry,
    Game,
    Match,
    PetOfTheMonth,
    WorldCupEventPage,
    WorldCupIndexPage,
    month_start,
)

logger = logging.getLogger(__name__)
_random = secrets.SystemRandom()


def _index(entry: Entry) -> None:
    """Search: the database index now (in this transaction), the engine after commit."""
    from search.indexing import index_object

    index_object(entry)


def entry_unindex(*, entry: Entry) -> None:
    """Takes an entry out of search: the database index now, the engine after commit."""
    from search.indexing import database_backend, engine_configured, enqueue_engine_update

    database_backend().delete(entry)
    if engine_configured():
        transaction.on_commit(partial(enqueue_engine_update, Entry._meta.label, entry.pk))


# --------------------------------------------------------------------------- entries


def _event_for_update(event_id: int) -> WorldCupEventPage:
    event = WorldCupEventPage.objects.live().select_for_update().filter(pk=event_id).first()
    if event is None:
        raise WorldCupEventPage.DoesNotExist
    return event


def _copy_photo(pet: Pet) -> tuple[ContentFile, ContentFile]:
    """The entry's own copies of the pet's display photo and thumbnail."""
    basename = f"entry-{uuid4().hex[:12]}"
    copies = []
    for variant, source in (("display", pet.photo_display), ("thumb", pet.photo_thumb)):
        with source.open("rb") as stored:
            copies.append(ContentFile(stored.read(), name=f"{basename}-{variant}.webp"))
    return copies[0], copies[1]


def _render_upload(photo) -> tuple[ContentFile, ContentFile]:
    try:
        rendered = render_photo(photo, basename=f"entry-{uuid4().hex[:12]}")
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    return rendered.files["display"], rendered.files["thumb"]


@member_action("member")
@transaction.atomic
def entry_create(*, event_id: int, member, pet_id: int, photo=None, upload_key: UUID | None = None) -> Entry:
    """Enters the member's own pet, with a new photo (a file, or the key of the member's temporary
    upload, whose display size and thumbnail the entry takes over) or a copy of the pet's profile
    photo."""
    event = _event_for_update(event_id)
    if not event.entry_is_open():
        raise ValidationError(_("Entries for this event are closed."))
    pet = Pet.objects.not_deleted().filter(pk=pet_id, owner=member).first()
    if pet is None:
        raise ValidationError({"pet": _("Choose one of your own pets.")})
    if Entry.objects.filter(event=event, member=member).exists():
        raise ValidationError(_("You have already entered this event."))
    upload = None
    if photo is not None:
        display, thumb = _render_upload(photo)
    elif upload_key is not None:
        upload = core_selectors.owned_uploads(owner=member, keys=[upload_key], lock=True).get(upload_key)
        if upload is None:
            raise ValidationError(
                {"photo": _("This photo was kept for 24 hours and is gone now. Choose it again.")}
            )
        display, thumb = upload.display, upload.thumb
    elif pet.has_photo and pet.photo_display and pet.photo_thumb:
        display, thumb = _copy_photo(pet)
    else:
        raise ValidationError({"photo": _("Your pet has no profile photo: upload one for the entry.")})
    entry = Entry(event=event, member=member, pet=pet, pet_name=pet.name)
    if upload is not None:
        entry.photo_display, entry.photo_thumb = display.name, thumb.name
    else:
        entry.photo_display.save(display.name, display, save=False)
        entry.photo_thumb.save(thumb.name, thumb, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already entered this event.")) from error
    if upload is not None:
        # An entry shows no full size: that file of the upload goes.
        full = [(upload.full.storage, upload.full.name)]
        core_services.temporary_uploads_take_over(uploads=[upload])
        transaction.on_commit(partial(core_services.remove_files, full))
    _index(entry)
    return entry


@transaction.atomic
def entry_withdraw(*, entry_id: int, moderator, reason: str) -> Entry:
    """A moderator takes an entry out of new games; its past results stay."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is withdrawn.")})
    if len(reason) > WITHDRAWN_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(max)d characters.") % {"max": WITHDRAWN_REASON_MAX_LENGTH}}
        )
    entry = Entry.objects.select_for_update().get(pk=entry_id)
    if entry.is_withdrawn:
        raise ValidationError(_("This entry was already withdrawn."))
    entry_mark_withdrawn(entry=entry, reason=reason, moderator=moderator)
    return entry


@transaction.atomic
def entry_mark_withdrawn(*, entry: Entry, reason: str, moderator=None) -> None:
    """Takes ``entry`` out of new games and search (the review queue's hide and delete come here
    with the moderator's reason, cut to fit; ``entry_withdraw`` checks it first)."""
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_reason = reason[:WITHDRAWN_REASON_MAX_LENGTH]
    entry.withdrawn_by = moderator
    entry.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    entry_unindex(entry=entry)


# --------------------------------------------------------------------------- games


def bracket_slots(entry_count: int, bracket_size: int) -> int:
    """How many slots a game has: the bracket size, or the smallest power of two that holds
    every entry when there are fewer (the empty slots are byes)."""
    if entry_count >= bracket_size:
        return bracket_size
    slots = 2
    while slots < entry_count:
        slots *= 2
    return slots


def _first_round(game: Game, entry_ids: list[int], now: datetime) -> list[Match]:
    """Pairs the drawn entries; each empty slot gives one entry a bye (decided at once)."""
    byes = game.size - len(entry_ids)
    pairs = [(entry_ids[i], None) for i in range(byes)]
    rest = entry_ids[byes:]
    pairs += [(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
    _random.shuffle(pairs)
    return [
        Match(
            game=game,
            round=game.size,
            position=position,
            entry_a_id=a,
            entry_b_id=b,
            winner_id=a if b is None else None,
            decided_at=now if b is None else None,
        )
        for position, (a, b) in enumerate(pairs)
    ]


@member_action("player")
@transaction.atomic
def game_start(*, event_id: int, player) -> Game:
    """The member's game in play for this event, or a new one drawn from the entries."""
    event = WorldCupEventPage.objects.live().filter(pk=event_id).first()
    if event is None:
        raise WorldCupEventPage.DoesNotExist
    if not event.voting_is_open():
        raise ValidationError(_("Voting for this event is closed."))
    existing = selectors.game_in_play(event=event, player=player)
    if existing is not None:
        return existing
    entry_ids = list(Entry.objects.active().filter(event=event).values_list("pk", flat=True))
    if len(entry_ids) < 2:
        raise ValidationError(_("There are not enough entries to play yet."))
    drawn = _random.sample(entry_ids, min(len(entry_ids), event.bracket_size))
    slots = bracket_slots(len(drawn), event.bracket_size)
    now = timezone.now()
    try:
        with transaction.atomic():
            game = Game.objects.create(
                event=event, player=player, size=slots, current_round=slots, started_at=now
            )
    except IntegrityError:
        # The same member started a game at the same moment elsewhere: resume that one.
        return Game.objects.get(event=event, player=player, completed_at__isnull=True)
    Match.objects.bulk_create(_first_round(game, drawn, now))
    return game


def _complete(game: Game, champion_id: int, now: datetime) -> None:
    """Records the champion; the game counts if it is the member's first completed one."""
    game.champion_id = champion_id
    game.completed_at = now
    game.counted = not Game.objects.filter(
        event_id=game.event_id, player_id=game.player_id, counted=True
    ).exists()
    try:
        with transaction.atomic():
            game.save(update_fields=["champion", "completed_at", "counted"])
    except IntegrityError:
        # Another game of this member completed at the same moment and counts instead.
        game.counted = False
        game.save(update_fields=["champion", "completed_at", "counted"])
    transaction.on_commit(partial(enqueue_result_card, game.pk))


def enqueue_result_card(game_id: int) -> None:
    from django_q.tasks import async_task

    async_task("worldcup.tasks.make_result_card", game_id, task_name=f"world cup card {game_id}")


def game_result_card_make(*, game_id: int) -> Game:
    """Draws the finished game's link preview once (worldcup/cards.py) and stores it; a game that
    has its card, or whose champion was withdrawn, is left as it is, and so is every game on a
    machine without the card's font (its preview is the champion's photo)."""
    if missing_fonts():
        return Game.objects.get(pk=game_id)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        game = (
            Game.objects.select_for_update(of=("self",)).select_related("event", "champion").get(pk=game_id)
        )
        champion = game.champion
        if game.result_card or champion is None or champion.is_withdrawn:
            return game
        with champion.photo_display.open("rb") as photo:
            card = render_result_card(photo=photo, pet_name=champion.pet_name, event_title=game.event.title)
        game.result_card.save(f"game-{game.pk}-{uuid4().hex[:8]}.png", card, save=False)
        game.save(update_fields=["result_card"])
    return game


def _advance(game: Game, now: datetime) -> None:
    """Once every match of the current round is decided, pairs its winners into the next round
    (or, after the final, records the champion)."""
    matches = list(Match.objects.filter(game=game, round=game.current_round).order_by("position"))
    if any(match.winner_id is None for match in matches):
        return
    winners = [match.winner_id for match in matches]
    if len(winners) == 1:
        _complete(game, winners[0], now)
        return
    next_round = game.current_round // 2
    Match.objects.bulk_create(
        Match(game=game, round=next_round, position=i // 2, entry_a_id=winners[i], entry_b_id=winners[i + 1])
        for i in range(0, len(winners), 2)
    )
    game.current_round = next_round
    game.save(update_fields=["current_round"])


@member_action("player")
@transaction.atomic
def game_pick(*, game_id: int, player, match_id: int, winner_id: int) -> Game:
    """Records the player's pick in their game's current match, then moves the game on.

    Game.DoesNotExist for anyone else's game; ValidationError (nothing changed) for a pick that
    is not the current match of this game or names an entry that is not in it; MemberSuspended
    while the player is suspended (a vote is an action like any other).
    """
    game = Game.objects.select_for_update().select_related("event").get(pk=game_id, player=player)
    if game.is_complete:
        raise ValidationError(_("This game is over."))
    if not game.event.voting_is_open():
        raise ValidationError(_("Voting for this event is closed."))
    current = selectors.current_match(game=game)
    if current is None or current.pk != match_id:
        raise ValidationError(
            _("That match is not the one being played: it was decided already or is not yours.")
        )
    if winner_id not in (current.entry_a_id, current.entry_b_id):
        raise ValidationError(_("Pick one of the two pets in this match."))
    now = timezone.now()
    decided = Match.objects.filter(pk=current.pk, winner__isnull=True).update(
        winner_id=winner_id, decided_at=now
    )
    if not decided:
        raise ValidationError(
            _("That match is not the one being played: it was decided already or is not yours.")
        )
    _advance(game, now)
    return game


# --------------------------------------------------------------------------- the monthly reset


@dataclass
class MonthlyResetOutcome:
    closed: list[WorldCupEventPage] = field(default_factory=list)
    pets_of_the_month: list[PetOfTheMonth] = field(default_factory=list)
    created: WorldCupEventPage | None = None


def _seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SEOUL)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _event_month(event: WorldCupEventPage) -> date:
    return event.month or month_start(event.voting_opens_at)


def _record_pet_of_the_month(event: WorldCupEventPage, champion: Entry | None) -> PetOfTheMonth | None:
    if champion is None:
        return None
    month = _event_month(event)
    if PetOfTheMonth.objects.filter(month=month).exists():
        logger.warning("World Cup event %s closed, but %s already has a pet of the month", event.pk, month)
        return None
    return PetOfTheMonth.objects.create(month=month, event=event, entry=champion, created_at=event.closed_at)


def _notify_results(
    event: WorldCupEventPage,
    standings: list[selectors.Standing],
    champion: Entry | None,
    pet: PetOfTheMonth | None,
) -> None:
    """Each entrant's owner hears their pet's rank and wins (or that it is the champion), and
    the owner of the pet of the month that it is. Withdrawn entries and members who left hear nothing."""
    for row in standings:
        entry = row.entry
        if entry.is_withdrawn or entry.member is None or not entry.member.is_active:
            continue
        entry.event = event
        notify(
            kind=NotificationKind.WORLDCUP_RESULT,
            recipients=[entry.member_id],
            target=entry,
            details={
                "pet": entry.pet_name,
                "rank": row.rank,
                "wins": entry.wins,
                "entries": len(standings),
                "champion": champion is not None and entry.pk == champion.pk,
            },
        )
        if pet is not None and entry.pk == pet.entry_id:
            notify(
                kind=NotificationKind.PET_OF_THE_MONTH,
                recipients=[entry.member_id],
                target=entry,
                details={"pet": entry.pet_name},
            )


@transaction.atomic
def event_close(*, event_id: int, now: datetime | None = None) -> PetOfTheMonth | None:
    """Closes an event, records its champion as the pet of its month (none if nobody played)
    and tells the entrants how their pets did. Closing a closed event changes nothing."""
    event = WorldCupEventPage.objects.select_for_update().get(pk=event_id)
    if event.closed_at is not None:
        return PetOfTheMonth.objects.filter(event=event).first()
    event.closed_at = now or timezone.now()
    event.save(update_fields=["closed_at"])
    champion = selectors.event_champion(event=event)
    pet = _record_pet_of_the_month(event, champion)
    standings, games = selectors.leaderboard(event=event)
    if games:
        _notify_results(event, standings, champion, pet)
    return pet


def _notify_open(event: WorldCupEventPage, *, entrants_of: date) -> None:
    """The members who entered the event of month ``entrants_of`` hear that ``event`` takes entries."""
    member_ids = Entry.objects.filter(event__month=entrants_of, member__is_active=True).values_list(
        "member_id", flat=True
    )
    notify(
        kind=NotificationKind.WORLDCUP_OPEN,
        recipients=set(member_ids),
        target=event,
        details={"opens": event.entry_opens_at.isoformat()},
    )


def default_periods(month: date) -> dict[str, datetime]:
    """Entries and voting all month, Seoul time (each game draws from the entries so far)."""
    start = _seoul_midnight(month)
    end = _seoul_midnight(_next_month(month))
    return {
        "entry_opens_at": start,
        "entry_closes_at": end,
        "voting_opens_at": start,
        "voting_closes_at": end,
    }


def _shifted_periods(template: WorldCupEventPage, month: date) -> dict[str, datetime]:
    """The template event's periods, moved to the same offsets within ``month`` (kept inside it)."""
    old_start = _seoul_midnight(_event_month(template))
    new_start, new_end = _seoul_midnight(month), _seoul_midnight(_next_month(month))
    periods = {}
    for name in ("entry_opens_at", "entry_closes_at", "voting_opens_at", "voting_closes_at"):
        moved = new_start + (getattr(template, name) - old_start)
        periods[name] = min(max(moved, new_start), new_end)
    if periods["entry_closes_at"] <= periods["entry_opens_at"] or (
        periods["voting_closes_at"] <= periods["voting_opens_at"]
    ):
        return default_periods(month)
    return periods


def event_title(month: date) -> str:
    """The title of a generated event (site content, Korean like the rest of the pages)."""
    return f"{month.year}년 {month.month}월 강아지 월드컵"


def event_create_for_month(
    *, month: date, template: WorldCupEventPage | None = None
) -> WorldCupEventPage | None:
    """A published event for ``month`` under the index, copied from ``template`` (its texts,
    picture and bracket size; periods moved to the month). None when there is no index."""
    index_page = WorldCupIndexPage.objects.first()
    if index_page is None:
        return None
    periods = _shifted_periods(template, month) if template else default_periods(month)
    event = WorldCupEventPage(
        title=event_title(month),
        slug=f"{month:%Y-%m}",
        intro=template.intro if template else "",
        hero_image=template.hero_image if template else None,
        rules=template.rules if template else "",
        bracket_size=template.bracket_size if template else BracketSize.SIXTEEN,
        month=month,
        **periods,
    )
    if WorldCupEventPage.objects.filter(slug=event.slug).exists():
        event.slug = f"{event.slug}-{uuid4().hex[:6]}"
    index_page.add_child(instance=event)
    event.save_revision().publish()
    return event


@transaction.atomic
def monthly_reset(*, now: datetime | None = None) -> MonthlyResetOutcome:
    """Closes the events of months before this one (recording their pets of the month, telling
    their entrants) and creates this month's event from the latest one (telling last month's
    entrants). Running it again creates nothing again, notifications included."""
    now = now or timezone.now()
    this_month = month_start(now)
    outcome = MonthlyResetOutcome()
    # Two runs at once (every node's schedule at midnight, or a manual run during the scheduled
    # one) take turns on the index page's row: the second finds the work done and does nothing.
    WorldCupIndexPage.objects.select_for_update().order_by("pk").first()
    stale = WorldCupEventPage.objects.filter(closed_at__isnull=True).filter(
        Q(month__lt=this_month) | Q(month__isnull=True, voting_closes_at__lte=_seoul_midnight(this_month))
    )
    for event in stale.order_by("voting_opens_at"):
        pet = event_close(event_id=event.pk, now=now)
        outcome.closed.append(event)
        if pet is not None:
            outcome.pets_of_the_month.append(pet)
    if not WorldCupEventPage.objects.filter(month=this_month).exists():
        template = WorldCupEventPage.objects.filter(month__lt=this_month).order_by("-month").first()
        if template is None:
            template = WorldCupEventPage.objects.order_by("-voting_opens_at").first()
        outcome.created = event_create_for_month(month=this_month, template=template)
        if outcome.created is not None:
            _notify_open(outcome.created, entrants_of=previous_month(this_month))
    return outcome
