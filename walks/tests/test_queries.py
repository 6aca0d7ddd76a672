"""Walk lists are served in a fixed number of queries, however long they are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from pets.tests.factories import PetFactory
from walks import services
from walks.tests.factories import WalkFactory, seoul

# Pages under Wagtail spend about 8 queries on routing (site, the page path, view restrictions)
# and 6 on the member (session, user, the nav's unread badges, admin permission) before ours.
MAX_QUERIES = 18


def seed_walks(host, board, count: int, *, first_day: int) -> list:
    """Walks with the host's pets and two members each, on consecutive days."""
    pets = [PetFactory(owner=host, name=f"멍멍{n}") for n in range(2)]
    joiners = UserFactory.create_batch(2)
    walks = []
    for n in range(count):
        walk = WalkFactory(
            host=host,
            board=board,
            title=f"산책 {n}",
            start_at=seoul(first_day + n, 8),
            pet_ids=[p.pk for p in pets],
            latitude=37.4791 + n * 0.001,
            longitude=127.0384,
        )
        for member in joiners:
            services.walk_join(walk_id=walk.pk, member=member)
        walks.append(walk)
    return walks


def count_queries(callable_) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/walks/?page_size={n}",
        "/walks/?open=true&size=small&time_slot=morning&page_size={n}",
        "/walks/seoul-gangnam/?page_size={n}",
        "/walks/seoul-gangnam/?gender=female&area=양재천&page_size={n}",
        "/api/walks/?page_size={n}",
        "/api/walks/?open=true&board={board}&page_size={n}",
        "/walks/?near_lat=37.48&near_lng=127.04&radius=10&page_size={n}",
        "/walks/seoul-gangnam/?near_lat=37.48&near_lng=127.04&page_size={n}",
        "/api/walks/?near_lat=37.48&near_lng=127.04&page_size={n}",
    ],
)
@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_lists_take_the_same_queries_at_1_and_20_rows(
    client, host, board, outsider, url, viewer, django_assert_num_queries
):
    if viewer == "member":
        client.force_login(outsider)
    oldest = seed_walks(host, board, 1, first_day=1)[0]
    target = url.format(n="{n}", board=board.pk)
    client.get(target.format(n=1))  # warm the per-process caches (site root paths, content types)
    one, response = count_queries(lambda: client.get(target.format(n=1)))
    assert response.status_code == 200
    newest = seed_walks(host, board, 19, first_day=2)[-1]

    with django_assert_num_queries(one):
        response = client.get(target.format(n=20))

    assert response.status_code == 200
    assert one <= MAX_QUERIES, f"{url}: {one} queries"
    body = response.content.decode()
    assert oldest.get_absolute_url() in body
    assert newest.get_absolute_url() in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["page", "api"])
def test_a_walk_with_many_members_takes_fixed_queries(client, host, board, path, django_assert_num_queries):
    walk = WalkFactory(host=host, board=board, capacity=20, pet_ids=[PetFactory(owner=host).pk])
    services.walk_join(walk_id=walk.pk, member=UserFactory())
    client.force_login(host)
    url = walk.get_absolute_url() if path == "page" else f"/api/walks/{walk.pk}/"
    client.get(url)
    one, _ = count_queries(lambda: client.get(url))

    for member in UserFactory.create_batch(15):
        services.walk_join(walk_id=walk.pk, member=member)

    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    assert one <= MAX_QUERIES


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/notifications/?page_size={n}", "/api/notifications/?page_size={n}"])
def test_walk_notifications_take_the_same_queries_at_1_and_20_rows(
    client, host, board, url, django_assert_num_queries
):
    client.force_login(host)
    walk = WalkFactory(host=host, board=board, capacity=20)
    services.walk_join(walk_id=walk.pk, member=UserFactory())
    client.get(url.format(n=1))
    one, _ = count_queries(lambda: client.get(url.format(n=1)))

    other = WalkFactory(host=host, board=board, capacity=20)
    for member in UserFactory.create_batch(19):
        services.walk_join(walk_id=other.pk, member=member)

    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))
    assert response.status_code == 200
    assert one <= MAX_QUERIES
