import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from community import services
from community.tests.factories import PostFactory


@pytest.fixture
def posts(member):
    return [
        PostFactory(author=member, text="한강 #산책 최고"),
        PostFactory(author=member, text="#산책로 발견"),
        PostFactory(author=member, text="#산책 또 가요"),
        PostFactory(author=member, text="#간식 타임"),
    ]


@pytest.mark.django_db
class TestSearchPage:
    def test_results_are_grouped_by_type(self, client, posts, member):
        html = client.get("/search/", {"q": "두부"}).content.decode()

        assert 'id="results-posts"' in html
        assert 'id="results-members"' in html
        assert "@dubu" in html

    def test_hashtag_query_finds_exactly_that_tag(self, client, posts):
        html = client.get("/search/", {"q": "#산책", "type": "posts"}).content.decode()

        assert "한강" in html
        assert "또 가요" in html
        assert "산책로 발견" not in html

    def test_unknown_type_is_a_clear_400(self, client):
        response = client.get("/search/", {"q": "산책", "type": "passwords"})

        assert response.status_code == 400
        assert "passwords" in response.content.decode()

    def test_pages_within_one_type(self, client, member):
        for number in range(25):
            PostFactory(author=member, text=f"강아지 일기 {number}")

        first = client.get("/search/", {"q": "강아지", "type": "posts"}).content.decode()
        second = client.get("/search/", {"q": "강아지", "type": "posts", "page": 2}).content.decode()

        assert "</mark> 일기 24</div>" in first
        assert "</mark> 일기 0</div>" in second
        assert "</mark> 일기 0</div>" not in first
        assert "page=2" in first

    def test_search_page_query_count_does_not_grow_with_results(
        self, client, member, django_assert_num_queries
    ):
        PostFactory(author=member, text="산책 하나", photos=1)
        client.get("/search/", {"q": "산책", "type": "posts"})
        with CaptureQueriesContext(connection) as one:
            client.get("/search/", {"q": "산책", "type": "posts"})
        for number in range(19):
            PostFactory(author=UserFactory(), text=f"산책 {number}", photos=2)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get("/search/", {"q": "산책", "type": "posts"})
        assert response.content.decode().count('<article class="post-card') == 20


@pytest.mark.django_db
class TestSuggestions:
    def test_hashtag_prefix_suggests_most_used_first(self, client, posts):
        body = client.get("/search/suggest/", {"q": "#산"}).json()

        assert [item["label"] for item in body["suggestions"]] == ["#산책", "#산책로"]
        assert body["suggestions"][0]["url"] == "/tags/%EC%82%B0%EC%B1%85/"

    def test_member_prefix_suggests_members(self, client, member):
        body = client.get("/search/suggest/", {"q": "du"}).json()

        assert [item["detail"] for item in body["suggestions"]] == ["@dubu"]

    def test_hidden_posts_do_not_count_for_suggestions(self, client, member):
        PostFactory(author=member, text="#비밀", is_hidden=True)

        assert client.get("/search/suggest/", {"q": "#비"}).json()["suggestions"] == []


@pytest.mark.django_db
class TestSearchApi:
    def test_anonymous_search_returns_sections(self, api_client, posts):
        body = api_client.get("/api/search/", {"q": "#산책", "type": "posts"}).json()

        assert body["sections"][0]["type"] == "posts"
        assert body["sections"][0]["total"] == 2
        assert {post["text"] for post in body["sections"][0]["results"]} == {
            "한강 #산책 최고",
            "#산책 또 가요",
        }

    def test_every_type_the_apps_declare_has_its_section_in_a_fixed_order(self, api_client, posts):
        """Each app's search.py declares its types; they come in INSTALLED_APPS order."""
        body = api_client.get("/api/search/", {"q": "산책"}).json()

        assert [section["type"] for section in body["sections"]] == [
            "posts",
            "members",
            "pets",
            "walks",
            "events",
            "entries",
        ]

    @pytest.mark.parametrize(
        "params", [{}, {"q": "산책", "type": "secrets"}, {"q": "산책", "page_size": 500}]
    )
    def test_bad_parameters_are_400(self, api_client, params):
        assert api_client.get("/api/search/", params).status_code == 400


@pytest.mark.django_db
class TestKoreanResults:
    def test_matched_words_are_highlighted_and_member_text_stays_escaped(self, client, member):
        services.post_create(author=member, text="말티즈랑 <b>산책</b> #말티즈")

        html = client.get("/search/", {"q": "말티즈", "type": "posts"}).content.decode()

        assert "<mark>말티즈" in html
        assert "&lt;b&gt;" in html
        assert "<b>산책</b>" not in html
        assert 'href="/tags/%EB%A7%90%ED%8B%B0%EC%A6%88/">#말티즈</a>' in html

    def test_nothing_found_offers_corrections_one_letter_away(self, client, api_client, member):
        services.post_create(author=member, text="말티즈 미용 완료")

        html = client.get("/search/", {"q": "말티주"}).content.decode()
        body = api_client.get("/api/search/", {"q": "말티주"}).json()

        assert "이것을 찾으셨나요?" in html
        assert 'href="?q=%EB%A7%90%ED%8B%B0%EC%A6%88"' in html
        assert "말티즈" in body["corrections"]

    def test_a_tag_with_a_particle_is_on_its_stem_tags_page_with_the_same_count_as_search(
        self, client, member
    ):
        services.post_create(author=member, text="#공원을 한 바퀴 돌았어요")
        services.post_create(author=member, text="#공원 벤치")
        services.post_create(author=member, text="#공원묘지 근처")

        tag_page = client.get("/tags/공원/").content.decode()
        found = client.get("/api/search/", {"q": "#공원", "type": "posts"}).json()["sections"][0]
        suggested = client.get("/search/suggest/", {"q": "#공원"}).json()["suggestions"]

        assert "한 바퀴 돌았어요" in tag_page
        assert "벤치" in tag_page
        assert "근처" not in tag_page
        assert found["total"] == 2
        assert {key: suggested[0][key] for key in ("label", "detail")} == {"label": "#공원", "detail": 2}

    def test_initial_consonants_suggest_tags_and_pet_words(self, client, member):
        services.post_create(author=member, text="#산책 최고")

        words = client.get("/search/suggest/", {"q": "ㅁㅌ"}).json()["suggestions"]
        tags = client.get("/search/suggest/", {"q": "#ㅅㅊ"}).json()["suggestions"]

        assert "말티즈" in [item["label"] for item in words]
        assert [item["label"] for item in tags] == ["#산책"]
