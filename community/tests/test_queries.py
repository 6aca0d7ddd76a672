"""Every list is served in a fixed number of queries, however long it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from community import services
from community.models import Follow
from community.tests.factories import CommentFactory, PostFactory, image_upload
from core import services as core_services

MAX_QUERIES = 12


def seed_posts(author, viewer, count: int) -> list:
    fans = UserFactory.create_batch(3)
    posts = []
    for n in range(count):
        post = PostFactory(author=author, text=f"#산책 {n}번째 @{viewer.username}", photos=2)
        for fan in fans:
            services.like_add(post_id=post.pk, member=fan)
        CommentFactory(post=post, author=fans[0])
        posts.append(post)
    return posts


def count_queries(callable_) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = callable_()
    return len(context.captured_queries), result


@pytest.fixture
def following_setup(member, other_member):
    Follow.objects.create(follower=member, following=other_member)
    return member, other_member


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/?feed=following&page_size={n}",
        "/?feed=latest&page_size={n}",
        "/?feed=popular&page_size={n}",
        "/api/feed/following/?page_size={n}",
        "/api/feed/latest/?page_size={n}",
        "/api/feed/popular/?page_size={n}",
        "/api/posts/?page_size={n}",
        "/members/kongi/?page_size={n}",
        "/api/members/kongi/posts/?page_size={n}",
        "/tags/산책/?page_size={n}",
        "/api/posts/?hashtag=산책&page_size={n}",
    ],
)
def test_lists_take_the_same_queries_at_1_and_20_rows(
    client, following_setup, url, django_assert_num_queries
):
    member, author = following_setup
    client.force_login(member)

    oldest = seed_posts(author, member, 1)[0]
    client.get(url.format(n=1))  # warm the per-process caches (site root, content types)
    one, response = count_queries(lambda: client.get(url.format(n=1)))
    assert response.status_code == 200
    newest = seed_posts(author, member, 19)[-1]
    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))

    assert response.status_code == 200
    assert one <= MAX_QUERIES, f"{url}: {one} queries"
    body = response.content.decode()
    assert f"/posts/{oldest.pk}/" in body
    assert f"/posts/{newest.pk}/" in body


@pytest.mark.django_db
def test_post_detail_with_many_comments_takes_fixed_queries(
    client, member, other_member, django_assert_num_queries
):
    post = PostFactory(author=other_member, photos=3)
    client.force_login(member)
    top = CommentFactory(post=post, author=member)
    CommentFactory(post=post, author=other_member, parent=top)
    client.get(f"/posts/{post.pk}/")
    one, _ = count_queries(lambda: client.get(f"/posts/{post.pk}/"))

    for _ in range(15):
        parent = CommentFactory(post=post, author=UserFactory())
        CommentFactory(post=post, author=UserFactory(), parent=parent)

    with django_assert_num_queries(one):
        response = client.get(f"/posts/{post.pk}/")
    assert response.status_code == 200
    assert one <= MAX_QUERIES


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/notifications/?page_size={n}", "/api/notifications/?page_size={n}"])
def test_notifications_take_the_same_queries_at_1_and_20_rows(client, member, url, django_assert_num_queries):
    client.force_login(member)
    services.follow_add(follower=UserFactory(), following=member)
    client.get(url.format(n=1))
    one, _ = count_queries(lambda: client.get(url.format(n=1)))

    for _ in range(19):
        PostFactory(author=UserFactory(), text=f"@{member.username} 안녕")

    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))
    assert response.status_code == 200
    assert one <= MAX_QUERIES


@pytest.mark.django_db
def test_the_post_form_costs_the_same_queries_however_many_photos(client, member):
    """The edit form with the post's photos, and the new-post form sent back with kept photos."""
    client.force_login(member)

    def queries(count: int) -> tuple[int, int]:
        post = PostFactory(author=member, photos=count)
        kept = [
            core_services.temporary_upload_create(owner=member, file=image_upload()) for _ in range(count)
        ]
        data = {"text": "", **{f"upload_{n}": upload.key for n, upload in enumerate(kept, start=1)}}
        edit_queries, edit = count_queries(lambda: client.get(f"/posts/{post.pk}/edit/"))
        sent_back_queries, sent_back = count_queries(lambda: client.post("/posts/new/", data))
        assert (edit.status_code, sent_back.status_code) == (200, 400)
        assert sent_back.content.decode().count("photo-row--kept") == count
        return edit_queries, sent_back_queries

    queries(1)  # fills the caches the first request of a session fills (the site, permissions)
    assert queries(1) == queries(5)
