"""Results stay right when many members vote at the same moment, and a pick sent twice at once
is recorded once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from worldcup import selectors, services
from worldcup.models import Game, Match
from worldcup.tests.factories import enter_many, make_event

PLAYERS = 10

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writer at a time (no row locks, no concurrent transactions); "
        "this race needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


def all_at_once(calls) -> tuple[list, list]:
    """Runs each call in its own thread and database connection, released together."""
    start = threading.Barrier(len(calls))
    done, refused, failed = [], [], []

    def run(call) -> None:
        try:
            start.wait()
            done.append(call())
        except ValidationError as error:
            refused.append(error.messages)
        except Exception as error:  # anything else fails the test below
            failed.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failed, failed
    return done, refused


def final_pick(game, winner_index: int):
    match = selectors.current_match(game=game)
    winner = (match.entry_a_id, match.entry_b_id)[winner_index]
    return lambda: services.game_pick(
        game_id=game.pk, player=game.player, match_id=match.pk, winner_id=winner
    )


def test_finals_decided_together_are_all_counted():
    event = make_event()
    enter_many(event, 2)
    games = [services.game_start(event_id=event.pk, player=UserFactory()) for _ in range(PLAYERS)]

    done, refused = all_at_once([final_pick(game, n % 2) for n, game in enumerate(games)])

    assert len(done) == PLAYERS
    assert not refused
    standings, counted = selectors.leaderboard(event=event)
    assert counted == PLAYERS
    assert sum(row.entry.championships for row in standings) == PLAYERS
    assert sum(row.entry.wins for row in standings) == PLAYERS
    assert sum(row.entry.losses for row in standings) == PLAYERS
    assert Game.objects.filter(counted=True, completed_at__isnull=False).count() == PLAYERS


def test_the_same_pick_sent_twice_at_once_is_recorded_once():
    event = make_event()
    enter_many(event, 2)
    game = services.game_start(event_id=event.pk, player=UserFactory())

    done, refused = all_at_once([final_pick(game, 0), final_pick(game, 1)])

    assert len(done) == 1
    assert len(refused) == 1
    game.refresh_from_db()
    match = Match.objects.get(game=game)
    assert game.counted
    assert game.champion_id == match.winner_id
    standings, counted = selectors.leaderboard(event=event)
    assert counted == 1
    assert sum(row.entry.wins for row in standings) == 1
