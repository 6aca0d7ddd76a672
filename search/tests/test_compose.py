"""@ and # completions while writing (search.selectors.compose_suggestions, /api/compose/suggestions/)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import member_update_profile
from accounts.tests.factories import UserFactory
from community import services
from community.tests.factories import PostFactory
from moderation import services as moderation_services
from moderation.models import Action, ActionKind

URL = "/api/compose/suggestions/"


def handles(client, q: str) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    return [item["insert"] for item in response.json()["suggestions"]]


@pytest.mark.django_db
class TestMentions:
    def test_members_the_writer_follows_come_first_then_others(self, member, member_api_client):
        UserFactory(username="dubu_a", nickname="두부엄마")
        followed = UserFactory(username="dubu_z", nickname="두부아빠")
        services.follow_add(follower=member, following=followed)

        assert handles(member_api_client, "@dubu") == ["@dubu_z", "@dubu_a"]
        assert member_api_client.get(URL, {"q": "@dubu"}).json()["suggestions"][0]["followed"] is True

    def test_korean_nicknames_complete_after_the_syllable_is_composed(self, member_api_client):
        UserFactory(username="kongi", nickname="콩이아빠")

        assert handles(member_api_client, "@콩이") == ["@kongi"]

    def test_initial_consonants_find_korean_nicknames_as_they_are_now(self, member, member_api_client):
        """@ㄷㅂ finds 두부엄마, followed members first, never a former member or a handle; the
        initials follow the nickname, so a renamed member is found by the new name only."""
        UserFactory(username="dubumom", nickname="두부엄마")
        renamed = UserFactory(username="kongi", nickname="두부아빠")
        UserFactory(username="dbdb", nickname="Dubu")
        UserFactory(username="gone", nickname="두부할매", is_active=False)
        services.follow_add(follower=member, following=renamed)

        assert handles(member_api_client, "@ㄷㅂ") == ["@kongi", "@dubumom"]
        assert handles(member_api_client, "@ㄷㅂㅇㅁ") == ["@dubumom"]

        member_update_profile(member=renamed, nickname="콩이아빠", bio="")

        assert handles(member_api_client, "@ㄷㅂ") == ["@dubumom"]
        assert handles(member_api_client, "@ㅋㅇ") == ["@kongi"]

    def test_never_the_writer_a_blocked_suspended_or_former_member(
        self, member, member_api_client, moderator
    ):
        member.nickname = "두부본인"
        member.save()
        blocked_by_me = UserFactory(username="dubu_b1")
        blocked_me = UserFactory(username="dubu_b2")
        suspended = UserFactory(username="dubu_s")
        former = UserFactory(username="dubu_f", is_active=False)
        UserFactory(username="dubu_ok")
        moderation_services.block_add(member=member, other=blocked_by_me)
        moderation_services.block_add(member=blocked_me, other=member)
        Action.objects.create(
            kind=ActionKind.SUSPEND, member=suspended, reason="광고", until=timezone.now() + timedelta(days=3)
        )

        found = handles(member_api_client, "@dubu") + handles(member_api_client, "@두부")

        assert found == ["@dubu_ok"]
        assert former.username not in str(found)

    def test_the_query_count_is_the_same_for_one_suggestion_or_a_full_list(
        self, member, member_api_client, django_assert_num_queries
    ):
        services.follow_add(follower=member, following=UserFactory(username="boribori0"))
        handles(member_api_client, "@bori")
        with CaptureQueriesContext(connection) as one:
            assert len(handles(member_api_client, "@bori")) == 1
        for number in range(1, 8):
            UserFactory(username=f"boribori{number}")

        with django_assert_num_queries(len(one.captured_queries)):
            assert len(handles(member_api_client, "@bori")) == 6
        assert len(one.captured_queries) == 1


@pytest.mark.django_db
class TestHashtags:
    def test_hashtags_complete_most_used_first_and_by_initials(self, member, member_api_client):
        PostFactory(author=member, text="#산책로 발견")
        for _ in range(2):
            PostFactory(author=member, text="오늘도 #산책")

        assert handles(member_api_client, "#산") == ["#산책", "#산책로"]
        assert handles(member_api_client, "#ㅅㅊ") == ["#산책", "#산책로"]


@pytest.mark.django_db
class TestLimits:
    def test_visitors_get_no_completions(self, api_client):
        assert api_client.get(URL, {"q": "@dubu"}).status_code in (401, 403)

    def test_completions_are_rate_limited_per_member(self, member_api_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "compose_suggest": (2, 60)}

        answers = [member_api_client.get(URL, {"q": "@dubu"}).status_code for _ in range(3)]

        assert answers == [200, 200, 429]
