"""A new member's first home page: the first-run card, the latest posts, and members to follow
until they follow someone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from community import selectors, services
from moderation import services as moderation_services
from pets.tests.factories import PetFactory
from walks import services as walk_services
from walks.tests.factories import WalkFactory, board

pytestmark = pytest.mark.django_db


def active(username: str, **fields):
    member = UserFactory(username=username, **fields)
    services.post_create(author=member, text=f"{username}의 산책 일기")
    return member


@pytest.fixture
def newcomer(db):
    """Lives with a Maltese and joined a walk in 서울 강남구; follows nobody yet."""
    member = UserFactory(username="saebom", nickname="새봄")
    PetFactory(owner=member, name="솜이", breed="말티즈")
    return member


def test_suggestions_are_the_same_breed_the_same_region_and_active_members(newcomer, moderator):
    breed_mate = UserFactory(username="maltese_mom")
    PetFactory(owner=breed_mate, breed="말티즈")
    walk_host = UserFactory(username="gangnam_host")
    walk = WalkFactory(host=walk_host, board=board("seoul-gangnam"))
    walk_services.walk_join(walk_id=walk.pk, member=newcomer)
    neighbour = UserFactory(username="gangnam_walker")
    WalkFactory(host=UserFactory(username="other_host"), board=board("seoul-gangnam"), joiners=[neighbour])
    WalkFactory(host=UserFactory(username="busan_host"), board=board("busan-haeundae"))
    active("poster")
    UserFactory(username="quiet")
    moderation_services.block_add(member=newcomer, other=active("blocked_by_me"))
    moderation_services.block_add(member=active("blocks_me"), other=newcomer)
    moderation_services.mute_add(member=newcomer, other=active("muted"))
    active("former", is_active=False)
    active("staffer", is_staff=True)
    services.post_create(author=moderator, text="공지예요")
    services.post_create(author=newcomer, text="안녕하세요")

    suggested = list(selectors.members_to_follow(viewer=newcomer, limit=10))

    names = [member.username for member in suggested]
    assert set(names) == {"maltese_mom", "gangnam_host", "other_host", "gangnam_walker", "poster"}
    assert set(names[:4]) == {"maltese_mom", "gangnam_host", "other_host", "gangnam_walker"}
    assert names[-1] == "poster"
    by_name = {member.username: member for member in suggested}
    assert by_name["maltese_mom"].shared_breed == "말티즈"
    assert by_name["gangnam_walker"].same_region
    assert by_name["poster"].recent_posts == 1


def test_members_already_followed_are_not_suggested(newcomer):
    followed = active("followed")
    services.follow_add(follower=newcomer, following=followed)

    assert "followed" not in [member.username for member in selectors.members_to_follow(viewer=newcomer)]


def test_the_first_run_card_and_latest_posts_until_the_member_follows_someone(client, newcomer):
    author = active("kongi", nickname="콩이아빠")
    client.force_login(newcomer)

    first = client.get("/").content.decode()

    assert "새봄님, 페트라슈에 오신 걸 환영해요!" in first
    assert "다시 오신 걸 환영해요" not in first
    assert "이렇게 시작해 보세요" in first
    assert "완료" in first, "the pet is added already"
    assert 'data-role="suggestions"' in first
    assert "콩이아빠" in first
    assert '<a href="?feed=latest" aria-current="page">' in first
    assert "kongi의 산책 일기" in first

    services.follow_add(follower=newcomer, following=author)
    later = client.get("/").content.decode()

    assert "이렇게 시작해 보세요" not in later
    assert "새봄님, 다시 오신 걸 환영해요!" in later
    assert '<a href="?feed=following" aria-current="page">' in later


def test_the_suggestions_take_fixed_queries(client, newcomer, django_assert_num_queries):
    client.force_login(newcomer)
    active("first")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        html = client.get("/").content.decode()
    assert html.count('class="member-row"') == 1
    for number in range(6):
        mate = UserFactory(username=f"mate{number}")
        PetFactory(owner=mate, breed="말티즈")

    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/").content.decode()

    assert html.count('class="member-row"') == 5
