"""The demo data (`make run` seeds it): the logins it prints and the posts it writes.

Seeding takes seconds, so the module seeds once, in a transaction rolled back after its last test;
each test runs in a savepoint inside it (as Django's TestCase does with setUpTestData)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The output of one seeding (into its own BASE_DIR, where it keeps the demo password)."""
    with (
        django_db_blocker.unblock(),
        override_settings(BASE_DIR=tmp_path_factory.mktemp("demo")),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


def test_demo_prints_an_admin_login_that_opens_the_admin_after_its_second_factor(client, seeded, admin_login):
    username, password = re.search(r"Admin login:\s+(\S+) / (\S+)", seeded).groups()
    assert client.login(username=username, password=password)
    assert "/accounts/2fa/totp/activate/" in client.get("/admin/")["Location"]
    admin_login(client, User.objects.get(username=username))
    assert client.get("/admin/").status_code == 200


def test_demo_runs_twice_without_duplicates_and_keeps_the_login(seeded):
    count = User.objects.count()
    again = seed()

    assert User.objects.count() == count
    assert re.search(r"Admin login:.*", seeded).group() == re.search(r"Admin login:.*", again).group()


def test_demo_moderator_reaches_the_admin_without_superuser(client, seeded, admin_login):
    password = re.search(r"Moderator login:\s+moderator / (\S+)", seeded).group(1)
    assert client.login(username="moderator", password=password)
    moderator = User.objects.get(username="moderator")
    assert not moderator.is_superuser
    admin_login(client, moderator)
    assert client.get("/admin/").status_code == 200


def test_demo_logins_open_at_once_without_an_email_code(client, seeded):
    """Demo addresses (@petrasche.local) cannot receive the code: they are confirmed already."""
    password = re.search(r"Member logins:\s+\S+.* / (\S+)", seeded).group(1)

    for login in ("dubu", "moderator"):
        response = client.post("/accounts/login/", {"login": login, "password": password})
        assert response.status_code == 302, login
        assert response["Location"] == "/", login
        client.post("/accounts/logout/")


def test_demo_posts_read_like_a_korean_dog_community(seeded):
    """Each post is about its author's own dog or cat: cat tags never on dog posts, no coffee cup
    as a dog's photo, no hashtags in English, and the members' words in 해요체."""
    from community.models import Post

    cat_tags = {"#고양이", "#냥스타그램", "#집사"}
    dog_tags = {"#산책", "#강아지", "#반려견", "#산책친구", "#애견카페"}
    posts = list(Post.objects.prefetch_related("photos").select_related("author"))

    assert len(posts) >= 200
    for post in posts:
        tags = set(re.findall(r"#\S+", post.text))
        alts = " ".join(photo.alt_text for photo in post.photos.all())
        assert not re.search(r"#[A-Za-z]", post.text), post.text
        assert not (tags & cat_tags and tags & dog_tags), post.text
        if tags & cat_tags:
            assert "강아지" not in alts, post.text
            assert "커피" not in alts, post.text
        if "강아지" in alts or tags & dog_tags:
            assert "고양이" not in alts, post.text
        if "커피" in alts:
            assert "카페" in post.text, post.text
        assert not re.search(r"[습입합]니다", post.text + post.author.bio), post.text
