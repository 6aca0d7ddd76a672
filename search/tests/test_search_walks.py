"""Walk posts in the site search, on the database index and on a search engine."""

import pytest
from wagtail.search.backends import get_search_backend

from search.selectors import site_search
from walks import services
from walks.models import Walk, WalkStatus
from walks.tests.factories import board, walk_input

WALKS = {
    "yangjae": (
        "양재천 아침 산책",
        "<p>천천히 <strong>강아지</strong>와 걸어요.</p>",
        "양재천 근처",
        "seoul-gangnam",
    ),
    "mangwon": (
        "망원 한강공원 주말 모임",
        "<p>대형견 친구들과 한강을 따라 걸어요.</p>",
        "망원동",
        "seoul-mapo",
    ),
    "beach": (
        "Beach walk with dogs",
        "<p>Walking on the sand at sunrise.</p>",
        "해운대 해변",
        "busan-haeundae",
    ),
    "night": ("밤 산책", "<p>퇴근 후 조용히.</p>", "역삼동", "seoul-gangnam"),
}


def refresh(search_backend) -> None:
    if search_backend == "engine":
        get_search_backend("default").get_index_for_model(Walk).refresh()


@pytest.fixture
def walks(search_backend, django_capture_on_commit_callbacks, member):
    """Walks posted through the service, so indexing runs exactly as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            key: services.walk_create(
                host=member,
                board_id=board(slug).pk,
                data=walk_input(title=title, description_html=html, area=area),
            )
            for key, (title, html, area, slug) in WALKS.items()
        }
    refresh(search_backend)
    return made


def found(viewer, query: str) -> set[str]:
    outcome = site_search(viewer=viewer, raw_query=query, types=["walks"], page_size=50)
    assert not outcome.fell_back, "the configured index answered, not the fallback"
    by_title = {title: key for key, (title, *_rest) in WALKS.items()}
    return {by_title[walk.title] for walk in outcome.pages[0].results}


@pytest.mark.django_db
class TestWalkSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("산책", {"yangjae", "night", "beach"}),  # "walk" is a synonym
            ("양재천", {"yangjae"}),
            ("강아지", {"yangjae", "beach"}),  # so is "dogs"
            ("ㅇㅈㅊ", {"yangjae"}),
            ("한강", {"mangwon"}),
            ("망원동", {"mangwon"}),
            ("마포구", {"mangwon"}),
            ("해운대", {"beach"}),
            ("walks", {"beach", "yangjae", "night"}),
            ("SUNRISE", {"beach"}),
            ("강남구 밤", {"night"}),
            ("햄스터", set()),
        ],
    )
    def test_title_description_area_and_region_are_searched(self, walks, member, query, expected):
        assert found(member, query) == expected

    def test_title_hits_rank_first(self, search_backend, django_capture_on_commit_callbacks, member):
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_create(
                host=member,
                board_id=board().pk,
                data=walk_input(title="공원 모임", description_html="<p>보리와 함께 걸어요</p>"),
            )
            services.walk_create(
                host=member,
                board_id=board().pk,
                data=walk_input(title="보리 산책", description_html="<p>같이</p>"),
            )
        refresh(search_backend)

        outcome = site_search(viewer=member, raw_query="보리", types=["walks"])
        assert [walk.title for walk in outcome.pages[0].results] == ["보리 산책", "공원 모임"]

    def test_cancelled_and_deleted_walks_never_appear(
        self, walks, search_backend, django_capture_on_commit_callbacks, member
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_cancel(walk_id=walks["yangjae"].pk, member=member)
            services.walk_delete(walk_id=walks["night"].pk, member=member)
        refresh(search_backend)

        assert found(member, "산책") == {"beach"}
        assert Walk.objects.get(pk=walks["yangjae"].pk).status == WalkStatus.CANCELLED

    def test_an_edit_is_found_by_its_new_words(
        self, walks, search_backend, django_capture_on_commit_callbacks, member
    ):
        walk = walks["night"]
        with django_capture_on_commit_callbacks(execute=True):
            services.walk_update(
                walk_id=walk.pk,
                member=member,
                data=walk_input(title="밤 산책", description_html="<p>선릉 한 바퀴</p>", area="역삼동"),
            )
        refresh(search_backend)

        assert found(member, "선릉") == {"night"}
        assert found(member, "퇴근") == set()

    def test_the_search_page_shows_walks_without_the_meeting_place(self, walks, client):
        html = client.get("/search/", {"q": "양재천", "type": "walks"}).content.decode()

        assert "<mark>양재천</mark> 아침 산책" in html
        assert walks["yangjae"].get_absolute_url() in html
        assert walks["yangjae"].meeting_place not in html
