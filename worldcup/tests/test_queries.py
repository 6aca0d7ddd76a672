"""World Cup lists take a fixed number of queries, however many entries and games they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from worldcup.models import PetOfTheMonth
from worldcup.tests.factories import enter, enter_many, index_page, play

# Wagtail's routing and the member's session, nav badges and admin permission come first.
MAX_QUERIES = 22


def count_queries(callable_) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


def urls(event) -> dict:
    return {
        "index": index_page().url,
        "event": event.url,
        "leaderboard": event.route_url("leaderboard"),
        "api_entries": f"/api/worldcup/events/{event.pk}/entries/",
        "api_leaderboard": f"/api/worldcup/events/{event.pk}/leaderboard/",
        "home": "/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["index", "event", "leaderboard", "api_entries", "api_leaderboard", "home"])
@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_lists_take_the_same_queries_at_1_and_12_entries(
    client, event, member, name, viewer, django_assert_num_queries
):
    if viewer == "member":
        client.force_login(member)
    first = enter(event, name="첫째")
    PetOfTheMonth.objects.create(month=event.month, event=event, entry=first)
    url = urls(event)[name]
    client.get(url)  # warm the per-process caches (site root paths, content types)
    one, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200

    enter_many(event, 11, prefix="막내")
    for _ in range(3):
        play(event, UserFactory())
    client.get(url)  # new entries drop the cached pet of the month: warm it again

    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    assert one <= MAX_QUERIES, f"{name}: {one} queries"
    body = response.content.decode()
    if name in {"event", "leaderboard", "api_entries", "api_leaderboard"}:
        assert "첫째" in body
        assert "막내10" in body


@pytest.mark.django_db
def test_a_game_result_takes_fixed_queries_for_any_bracket(client, member, django_assert_num_queries):
    from worldcup.tests.factories import make_event

    small = make_event(title="작은 대회", bracket_size=8)
    big = make_event(title="큰 대회", bracket_size=32, month=None)
    enter_many(small, 2)
    enter_many(big, 32)
    client.force_login(member)
    small_game, big_game = play(small, member), play(big, member)
    client.get(small.route_url("game_result", small_game.pk))
    one, _ = count_queries(lambda: client.get(small.route_url("game_result", small_game.pk)))

    with django_assert_num_queries(one):
        response = client.get(big.route_url("game_result", big_game.pk))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/notifications/?page_size={n}", "/api/notifications/?page_size={n}"])
def test_world_cup_notifications_take_the_same_queries_at_1_and_20_rows(
    client, member, url, django_assert_num_queries
):
    from notifications.models import Kind
    from notifications.services import notify
    from worldcup.tests.factories import make_event

    def result(event, entry, rank):
        notify(
            kind=Kind.WORLDCUP_RESULT,
            recipients=[member],
            target=entry,
            details={"pet": entry.pet_name, "rank": rank, "wins": 3, "entries": 20, "champion": rank == 1},
        )

    client.force_login(member)
    events = [make_event(title=f"{month}월 대회", month=None) for month in range(1, 5)]
    entries = [enter(event, member=member) for event in events]
    result(events[0], entries[0], 1)
    client.get(url.format(n=1))
    one, _ = count_queries(lambda: client.get(url.format(n=1)))

    for rank in range(2, 20):
        result(events[rank % 4], entries[rank % 4], rank)
    notify(kind=Kind.WORLDCUP_OPEN, recipients=[member], target=events[3], details={"opens": None})

    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))
    assert response.status_code == 200
    assert one <= MAX_QUERIES
    if url.startswith("/notifications/"):
        body = response.content.decode()
        assert all(event.url in body for event in events)
