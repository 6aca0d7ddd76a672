"""Pets in the site search, on the database index and on a search engine."""

import pytest
from wagtail.search.backends import get_search_backend

from pets import services
from pets.models import Pet
from search.selectors import site_search

PETS = {
    "kongi": ("콩이", "dog", "진돗개", "산책을 제일 좋아하는 강아지"),
    "dubu": ("두부", "dog", "말티즈", "간식만 보면 춤춰요"),
    "nabi": ("나비", "cat", "코리안 숏헤어", "창가에서 낮잠 자는 고양이"),
    "max": ("Max", "dog", "Golden Retriever", "Loves swimming and long walks"),
}


def refresh(search_backend) -> None:
    if search_backend == "engine":
        get_search_backend("default").get_index_for_model(Pet).refresh()


@pytest.fixture
def pets(search_backend, django_capture_on_commit_callbacks, member):
    """Pets added through the service, so indexing runs exactly as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            key: services.pet_create(owner=member, name=name, species=species, breed=breed, intro=intro)
            for key, (name, species, breed, intro) in PETS.items()
        }
    refresh(search_backend)
    return made


def found(viewer, query: str) -> list[str]:
    outcome = site_search(viewer=viewer, raw_query=query, types=["pets"], page_size=50)
    assert not outcome.fell_back, "the configured index answered, not the fallback"
    by_name = {name: key for key, (name, *_rest) in PETS.items()}
    return [by_name[pet.name] for pet in outcome.pages[0].results]


@pytest.mark.django_db
class TestPetSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("콩이", {"kongi"}),
            ("ㅋㅇ", {"kongi"}),
            ("진돗개", {"kongi"}),
            ("강아지", {"kongi", "dubu", "max"}),
            ("dog", {"kongi", "dubu", "max"}),
            ("간식", {"dubu"}),
            ("숏헤어", {"nabi"}),
            ("고양이", {"nabi"}),
            ("cats", {"nabi"}),
            ("golden", {"max"}),
            ("walk", {"max", "kongi"}),  # 산책 is a synonym
            ("햄스터", set()),
        ],
    )
    def test_name_breed_and_intro_are_searched(self, pets, member, query, expected):
        assert set(found(member, query)) == expected

    def test_name_hits_rank_above_intro_hits(
        self, search_backend, django_capture_on_commit_callbacks, member
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.pet_create(owner=member, name="보리", species="dog", intro="초코랑 같이 놀아요")
            services.pet_create(owner=member, name="초코", species="dog", intro="")
        refresh(search_backend)

        outcome = site_search(viewer=member, raw_query="초코", types=["pets"], page_size=10)

        assert [pet.name for pet in outcome.pages[0].results] == ["초코", "보리"]

    def test_a_deleted_pet_is_never_found(
        self, pets, search_backend, django_capture_on_commit_callbacks, member
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.pet_delete(pet_id=pets["kongi"].pk, member=member)
        refresh(search_backend)

        assert found(member, "콩이") == []

    def test_a_renamed_pet_is_found_by_its_new_name(
        self, pets, search_backend, django_capture_on_commit_callbacks, member
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.pet_update(pet_id=pets["dubu"].pk, member=member, name="보리")
        refresh(search_backend)

        outcome = site_search(viewer=member, raw_query="보리", types=["pets"], page_size=10)
        assert [pet.pk for pet in outcome.pages[0].results] == [pets["dubu"].pk]


@pytest.mark.django_db
class TestPetSearchPages:
    def test_the_search_page_lists_pets_with_a_link(self, client, member):
        pet = services.pet_create(owner=member, name="콩이", species="dog", breed="진돗개")

        html = client.get("/search/", {"q": "ㅋㅇ", "type": "pets"}).content.decode()

        assert f'href="/pets/{pet.pk}/"' in html
        assert "진돗개" in html

    def test_the_api_returns_every_kind_of_result(self, api_client, member):
        services.pet_create(owner=member, name="콩이", species="dog")

        response = api_client.get("/api/search/", {"q": "콩이"})

        assert response.status_code == 200
        sections = {section["type"]: section for section in response.json()["sections"]}
        assert set(sections) == {"posts", "members", "pets", "walks", "events", "entries"}
        assert [pet["name"] for pet in sections["pets"]["results"]] == ["콩이"]
