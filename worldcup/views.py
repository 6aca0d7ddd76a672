"""The pages the World Cup index and event pages serve: their routes (``WorldCupIndexPage.routes``,
``WorldCupEventPage.routes``), declared here because this module imports the models (see core.routes).

Visitors who are not logged in may look at everything public — the events, their entries, the
leaderboards and the hall of fame — but playing and entering need an account: each game is
stored for its member, and only members' games count toward the results.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.routes import render_page
from pets import selectors as pets_selectors

from . import selectors, services
from .forms import EntryForm, PickForm
from .models import Game, WorldCupEventPage, WorldCupIndexPage


def _login_needed(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


@WorldCupIndexPage.routes.path("", name="index_route")
@require_safe
def index(request, index_page: WorldCupIndexPage):
    event = selectors.current_event(index_page=index_page)
    return render_page(
        index_page,
        request,
        context={
            "event": event,
            "standings": selectors.leaderboard(event=event, limit=3)[0] if event else [],
            "hall_of_fame": selectors.hall_of_fame(),
        },
    )


@WorldCupEventPage.routes.path("", name="index_route")
@require_safe
def event_detail(request, event: WorldCupEventPage):
    return render_page(
        event,
        request,
        context={
            "entries": selectors.active_entries(event=event),
            "my_entry": selectors.member_entry(event=event, member=request.user),
            "game": selectors.game_in_play(event=event, player=request.user),
            "entry_open": event.entry_is_open(),
            "voting_open": event.voting_is_open(),
            "pet_of_the_month": getattr(event, "pet_of_the_month", None),
        },
    )


@WorldCupEventPage.routes.path("enter/", name="enter")
def entry_create(request, event: WorldCupEventPage):
    if response := _login_needed(request):
        return response
    if not event.entry_is_open():
        messages.error(request, _("Entries for this event are closed."))
        return redirect(event.url)
    if selectors.member_entry(event=event, member=request.user):
        messages.info(request, _("You have already entered this event."))
        return redirect(event.url)
    pets = list(pets_selectors.owned_pets(owner=request.user))
    form = EntryForm(request.POST or None, request.FILES or None, pets=pets, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_create(
                event_id=event.pk,
                member=request.user,
                pet_id=form.cleaned_data["pet"],
                photo=form.cleaned_data["photo"] or None,
                upload_key=None if form.cleaned_data["photo"] else form.cleaned_data["upload"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your pet is in the World Cup. Good luck!"))
            return redirect(event.url)
    return render_page(
        event,
        request,
        template="worldcup/entry_form.html",
        context={"form": form, "pets": pets},
        status=400 if form.errors else 200,
    )


@WorldCupEventPage.routes.path("play/", name="play")
def play(request, event: WorldCupEventPage):
    """GET shows the current match of the member's game (or a start button); POST starts a
    game, or resumes the one in play."""
    if response := _login_needed(request):
        return response
    if request.method == "POST":
        try:
            services.game_start(event_id=event.pk, player=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(event.url)
        return redirect(event.route_url("play"))
    game = selectors.game_in_play(event=event, player=request.user)
    match = selectors.current_match(game=game) if game else None
    progress = selectors.round_progress(match=match) if match else None
    return render_page(
        event,
        request,
        template="worldcup/play.html",
        context={"game": game, "match": match, "progress": progress, "voting_open": event.voting_is_open()},
    )


@WorldCupEventPage.routes.path("play/pick/", name="pick")
def pick(request, event: WorldCupEventPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if response := _login_needed(request):
        return response
    game = selectors.game_in_play(event=event, player=request.user)
    form = PickForm(request.POST)
    if game is None or not form.is_valid():
        messages.error(request, _("That pick is not part of your game."))
        return redirect(event.route_url("play") if game else event.url)
    try:
        game = services.game_pick(
            game_id=game.pk,
            player=request.user,
            match_id=form.cleaned_data["match"],
            winner_id=form.cleaned_data["winner"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event.route_url("play"))
    if game.is_complete:
        return redirect(event.route_url("game_result", game.pk))
    return redirect(event.route_url("play"))


@WorldCupEventPage.routes.path("games/<id:game_id>/", name="game_result")
@require_safe
def game_result(request, event: WorldCupEventPage, game_id: int):
    """The player's result with their bracket; for anyone else (a shared link), a finished game's
    champion only."""
    try:
        game = selectors.shown_game(viewer=request.user, game_id=game_id)
    except Game.DoesNotExist as error:
        if not request.user.is_authenticated:
            return _login_needed(request)
        raise Http404 from error
    if game.event_id != event.pk:
        raise Http404
    is_player = request.user.is_authenticated and game.player_id == request.user.pk
    rounds: dict[int, list] = {}
    if is_player:
        for match in selectors.game_matches(game=game):
            rounds.setdefault(match.round, []).append(match)
    standings, games = selectors.leaderboard(event=event, limit=5)
    champion = game.champion
    # What a shared link shows (Open Graph, the share button): a withdrawn champion is never shared.
    shared_title = (
        _("%(name)s won %(event)s") % {"name": champion.pet_name, "event": event.title}
        if champion and not champion.is_withdrawn
        else ""
    )
    return render_page(
        event,
        request,
        template="worldcup/game_result.html",
        context={
            "game": game,
            "is_player": is_player,
            "shared_title": shared_title,
            "rounds": sorted(rounds.items(), reverse=True),
            "standings": standings,
            "games": games,
        },
    )


@WorldCupEventPage.routes.path("leaderboard/", name="leaderboard")
@require_safe
def leaderboard(request, event: WorldCupEventPage):
    standings, games = selectors.leaderboard(event=event)
    return render_page(
        event,
        request,
        template="worldcup/leaderboard.html",
        context={"standings": standings, "games": games, "champion": selectors.champion_among(standings)},
    )
