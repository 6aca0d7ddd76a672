"""Korean search behaviour, on the database index (SQLite or PostgreSQL) and on a search engine."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from accounts.models import User
from accounts.tests.factories import UserFactory
from community import services
from community.models import Post
from community.tests.factories import PostFactory
from moderation import services as moderation_services
from search.selectors import site_search
from search.tests.conftest import refresh_engine

TEXTS = {
    "object": "강아지를 데리고 나갔어요",
    "possessive": "강아지의 하루",
    "compound": "우리강아지 최고",
    "walk_compound": "강아지산책 완료 #산책",
    "cat": "고양이가 창밖을 봐요",
    "english": "Walking with my dog in the park",
    "mixed": "오늘 Dog와 한강 산책",
}


@pytest.fixture
def corpus(search_backend, django_capture_on_commit_callbacks, member):
    """Posts made through the service, so indexing runs exactly as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        posts = {key: services.post_create(author=member, text=text) for key, text in TEXTS.items()}
    refresh_engine(search_backend, Post)
    return posts


def found(viewer, query: str, kind: str = "posts") -> list[str]:
    outcome = site_search(viewer=viewer, raw_query=query, types=[kind], page_size=50)
    assert not outcome.fell_back, "the configured index answered, not the fallback"
    return [result.text if kind == "posts" else result.username for result in outcome.pages[0].results]


def keys(corpus, texts: list[str]) -> set[str]:
    by_text = {post.text: key for key, post in corpus.items()}
    return {by_text[text] for text in texts}


@pytest.mark.django_db
class TestKoreanSearch:
    def test_a_word_finds_particles_compounds_and_its_english_synonyms(self, corpus, member):
        assert keys(corpus, found(member, "강아지")) == {
            "object",
            "possessive",
            "compound",
            "walk_compound",
            "english",
            "mixed",
        }

    def test_a_word_finds_the_end_of_a_compound(self, corpus, member):
        assert keys(corpus, found(member, "산책")) == {"walk_compound", "mixed", "english"}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("ㄱㅇㅈ", {"object", "possessive", "compound", "walk_compound"}),
            ("ㅅㅊ", {"walk_compound", "mixed"}),
            ("ㄱㅇㅈㅅㅊ", {"walk_compound"}),
            ("ㅇㅈ", set()),
        ],
    )
    def test_initial_consonants_find_words_and_compounds_not_the_inside_of_words(
        self, corpus, member, query, expected
    ):
        assert keys(corpus, found(member, query)) == expected

    def test_several_terms_combine_with_and(self, corpus, member):
        assert keys(corpus, found(member, "강아지 ㅅㅊ")) == {"walk_compound", "mixed"}

    def test_hashtag_finds_posts_with_that_tag(self, corpus, member):
        assert keys(corpus, found(member, "#산책")) == {"walk_compound"}

    @pytest.mark.parametrize("query", ["walks", "walk", "WALKING"])
    def test_english_is_case_insensitive_with_stemming_and_korean_synonyms(self, corpus, member, query):
        assert keys(corpus, found(member, query)) == {"english", "walk_compound", "mixed"}

    def test_mixed_korean_and_english(self, corpus, member):
        assert keys(corpus, found(member, "dog 한강")) == {"mixed"}

    def test_no_match_is_empty(self, corpus, member):
        assert found(member, "햄스터") == []


@pytest.mark.django_db
def test_long_hashtags_match_on_every_backend(search_backend, django_capture_on_commit_callbacks, member):
    tag = "우리집강아지랑함께하는주말한강산책"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=member, text=f"오늘도 #{tag}")
        services.post_create(author=member, text=f"#{tag[:14]} 만")
    refresh_engine(search_backend, Post)

    assert found(member, f"#{tag}") == [f"오늘도 #{tag}"]


@pytest.mark.django_db
class TestRankingAndVisibility:
    def test_hashtag_hits_rank_above_body_hits_then_newest_first(
        self, search_backend, django_capture_on_commit_callbacks, member
    ):
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            body_new = PostFactory(author=member, text="산책 다녀왔어요", created_at=now)
            tag_old = PostFactory(author=member, text="오늘도 #산책", created_at=now - timedelta(days=3))
            body_old = PostFactory(author=member, text="산책은 즐거워", created_at=now - timedelta(days=5))
            tag_new = PostFactory(author=member, text="#산책 최고", created_at=now - timedelta(days=1))
        refresh_engine(search_backend, Post)

        assert found(member, "산책") == [tag_new.text, tag_old.text, body_new.text, body_old.text]

    def test_pages_run_from_hashtag_hits_into_body_hits_without_gaps_or_repeats(
        self, search_backend, django_capture_on_commit_callbacks, member
    ):
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            tagged = [
                PostFactory(author=member, text=f"#산책 {n}번째", created_at=now - timedelta(hours=n))
                for n in range(7)
            ]
            body = [
                PostFactory(author=member, text=f"산책 기록 {n}", created_at=now - timedelta(hours=n))
                for n in range(6)
            ]
        refresh_engine(search_backend, Post)

        seen, page, pages = [], 1, []
        while True:
            section = site_search(
                viewer=member, raw_query="산책", types=["posts"], page=page, page_size=5
            ).pages[0]
            seen += [post.pk for post in section.results]
            pages.append((len(section.results), section.has_next, section.total))
            if not section.has_next:
                break
            page += 1
        assert seen == [post.pk for post in tagged + body]
        assert pages == [(5, True, 13), (5, True, 13), (3, False, 13)]

    def test_counting_stops_at_the_cap_and_says_there_are_more(
        self, search_backend, django_capture_on_commit_callbacks, member, monkeypatch, client
    ):
        monkeypatch.setattr("search.selectors.COUNT_CAP", 4)
        monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 3)
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(7):
                PostFactory(author=member, text=f"강아지 사진 {n}")
        refresh_engine(search_backend, Post)

        first = site_search(viewer=member, raw_query="강아지", types=["posts"], page=1, page_size=3).pages[0]
        last = site_search(viewer=member, raw_query="강아지", types=["posts"], page=3, page_size=3).pages[0]
        assert (len(first.results), first.has_next, first.total, first.total_capped) == (3, True, 4, True)
        assert (len(last.results), last.has_next, last.total, last.total_capped) == (1, False, 7, False)
        response = client.get("/search/", {"q": "강아지", "type": "posts"})
        assert '<span class="badge">4+</span>' in response.content.decode()
        whole_page = site_search(viewer=member, raw_query="강아지", types=["posts"], page_size=20).pages[0]
        assert (whole_page.total, whole_page.total_capped) == (7, False), "one page holds all: exact count"
        body = client.get("/api/search/", {"q": "강아지", "type": "posts", "page_size": 3}).json()
        assert (body["sections"][0]["total"], body["sections"][0]["total_capped"]) == (4, True)

    def test_hidden_and_deleted_posts_never_appear(
        self, search_backend, django_capture_on_commit_callbacks, member, other_member
    ):
        with django_capture_on_commit_callbacks(execute=True):
            shown = services.post_create(author=member, text="강아지 보이는 글")
            hidden = services.post_create(author=member, text="강아지 숨긴 글")
            deleted = services.post_create(author=member, text="강아지 지운 글")
            Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
            services.post_delete(post_id=deleted.pk, member=member)
        refresh_engine(search_backend, Post)

        assert found(other_member, "강아지") == [shown.text]

    def test_finding_10_search_totals_leave_out_posts_hidden_by_a_block(
        self, search_backend, django_capture_on_commit_callbacks, member, other_member, client
    ):
        with django_capture_on_commit_callbacks(execute=True):
            shown = [
                PostFactory(author=UserFactory(), text="강아지 산책 모임"),
                PostFactory(author=member, text="강아지 두부"),
            ]
            blockers = [PostFactory(author=other_member, text=f"강아지 사진 {n}") for n in range(6)]
        refresh_engine(search_backend, Post)
        moderation_services.block_add(member=other_member, other=member)

        for page_size in (1, 20):
            page = site_search(viewer=member, raw_query="강아지", types=["posts"], page_size=page_size).pages[
                0
            ]
            assert (page.total, page.total_capped) == (2, False)
        client.force_login(member)
        response = client.get("/search/", {"q": "강아지"})
        badge = re.search(r'id="results-posts">[^<]*<span class="badge">([^<]*)<', response.content.decode())
        assert badge.group(1) == "2"
        blocker = site_search(viewer=other_member, raw_query="강아지", types=["posts"], page_size=20).pages[0]
        assert sorted(post.pk for post in blocker.results) == sorted(
            post.pk for post in [shown[0], *blockers]
        )
        assert blocker.total == 7

    def test_members_are_found_by_handle_nickname_and_initials(
        self, search_backend, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            UserFactory(username="choco_mom", nickname="초코맘")
            UserFactory(username="bori", nickname="보리아빠")
        refresh_engine(search_backend, User)
        viewer = UserFactory.build()

        assert found(viewer, "choco", kind="members") == ["choco_mom"]
        assert found(viewer, "초코", kind="members") == ["choco_mom"]
        assert found(viewer, "ㅂㄹ", kind="members") == ["bori"]


@pytest.mark.django_db
class TestEngineFaults:
    @pytest.fixture
    def engine_down(self, settings):
        """An engine configured at a port where nothing listens."""
        from core.tests.test_cache import free_port
        from search.tests.conftest import engine_backends

        settings.WAGTAILSEARCH_BACKENDS = engine_backends(f"opensearch://127.0.0.1:{free_port()}", settings)
        settings.WAGTAILSEARCH_BACKENDS["default"]["TIMEOUT"] = 1

    def test_posting_works_and_search_falls_back_to_the_database(
        self, engine_down, django_capture_on_commit_callbacks, member, caplog
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post = services.post_create(author=member, text="엔진이 꺼져도 강아지 글")

        assert Post.objects.filter(pk=post.pk).exists()
        queued = [task.task["func"] for task in OrmQ.objects.all()]
        assert queued == ["search.indexing.update_engine_index"], "the engine update waits for the worker"
        outcome = site_search(viewer=member, raw_query="강아지", types=["posts"])
        assert outcome.fell_back is True
        assert [result.pk for result in outcome.pages[0].results] == [post.pk]
        assert "search engine unavailable" in caplog.text

    def test_the_fallback_notice_shows_to_staff_only(self, engine_down, client, member):
        services.post_create(author=member, text="강아지")
        notice = "기본 색인으로 찾은 결과"

        client.force_login(member)
        assert notice not in client.get("/search/", {"q": "강아지"}).content.decode()
        client.force_login(UserFactory(is_staff=True))
        assert notice in client.get("/search/", {"q": "강아지"}).content.decode()
