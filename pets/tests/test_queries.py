"""Every pet list is served in a fixed number of queries, however long it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from community import services as community_services
from community.tests.factories import CommentFactory, PostFactory, image_upload
from pets.tests.factories import PetFactory

MAX_QUERIES = 12


def count_queries(callable_) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


def seed_pets(owner, count: int) -> list:
    return [PetFactory(owner=owner, name=f"펫{n}", photo=image_upload(f"p{n}.png")) for n in range(count)]


def seed_tagged_posts(pet, count: int) -> list:
    fans = UserFactory.create_batch(2)
    posts = []
    for n in range(count):
        post = PostFactory(author=pet.owner, text=f"#산책 {n}번째", photos=2)
        post.pets.add(pet)
        for fan in fans:
            community_services.like_add(post_id=post.pk, member=fan)
        CommentFactory(post=post, author=fans[0])
        posts.append(post)
    return posts


def assert_same_queries_at_1_and_20(client, url: str, grow, django_assert_num_queries) -> str:
    client.get(url.format(n=1))  # warm the per-process caches (site root, content types)
    one, response = count_queries(lambda: client.get(url.format(n=1)))
    assert response.status_code == 200
    grow()
    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))
    assert response.status_code == 200
    assert one <= MAX_QUERIES, f"{url}: {one} queries"
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/pets/{pet}/?page_size={{n}}", "/api/pets/{pet}/posts/?page_size={{n}}"])
def test_pet_posts_take_the_same_queries_at_1_and_20_rows(
    client, member, other_member, url, django_assert_num_queries
):
    client.force_login(member)
    pet = PetFactory(owner=other_member, photo=image_upload())
    oldest = seed_tagged_posts(pet, 1)[0]
    grown = []

    body = assert_same_queries_at_1_and_20(
        client,
        url.format(pet=pet.pk),
        lambda: grown.extend(seed_tagged_posts(pet, 19)),
        django_assert_num_queries,
    )

    assert f"/posts/{oldest.pk}/" in body
    assert f"/posts/{grown[-1].pk}/" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/pets/?page_size={n}", "/api/pets/?owner=kongi&page_size={n}", "/members/kongi/"]
)
def test_pet_lists_take_the_same_queries_at_1_and_20_pets(
    client, member, other_member, url, django_assert_num_queries
):
    client.force_login(member)
    first = seed_pets(other_member, 1)[0]
    grown = []

    body = assert_same_queries_at_1_and_20(
        client, url, lambda: grown.extend(seed_pets(other_member, 19)), django_assert_num_queries
    )

    assert f"/pets/{first.pk}/" in body
    assert f"/pets/{grown[-1].pk}/" in body


@pytest.mark.django_db
def test_post_page_with_1_or_20_tagged_pets_takes_the_same_queries(
    client, member, other_member, django_assert_num_queries
):
    client.force_login(member)
    pets = [PetFactory(owner=other_member, name=f"펫{n}") for n in range(20)]
    post = PostFactory(author=other_member, text="다 같이 산책", photos=1)
    post.pets.add(pets[0])

    body = assert_same_queries_at_1_and_20(
        client, f"/posts/{post.pk}/", lambda: post.pets.add(*pets[1:]), django_assert_num_queries
    )

    assert all(f'href="/pets/{pet.pk}/"' in body for pet in pets)
