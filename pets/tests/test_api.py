import pytest
from django_q.models import OrmQ
from rest_framework.test import APIClient

from community.models import Post
from community.tests.factories import PostFactory
from pets import services
from pets.models import Pet
from pets.tests.factories import CAT_PHOTO, DOG_PHOTO, PetFactory, fixture_photo

pytestmark = pytest.mark.django_db


def snapshot(pet: Pet) -> dict:
    fresh = Pet.objects.get(pk=pet.pk)
    return {
        field.name: getattr(fresh, field.attname)
        for field in Pet._meta.concrete_fields
        if field.name != "updated_at"
    }


class TestPetApi:
    def test_create_with_a_photo_answers_at_once_with_the_check_pending(
        self, member_api_client, member, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = member_api_client.post(
                "/api/pets/",
                {
                    "name": "나비",
                    "species": "cat",
                    "breed": "코리안 숏헤어",
                    "age_years": 2,
                    "photo": fixture_photo(CAT_PHOTO),
                    "owner": 999,
                },
                format="multipart",
            )

        assert response.status_code == 201, response.json()
        body = response.json()
        pet = Pet.objects.get()
        assert pet.owner == member, "the owner comes from the login, never the body"
        assert (body["id"], body["name"], body["species"], body["age_years"]) == (pet.pk, "나비", "cat", 2)
        assert body["birth_date_is_estimate"] is True
        assert body["photo"]["thumb_url"].endswith(".webp")
        assert body["photo_check"]["status"] == "pending"
        assert body["photo_check"]["verdict"] == ""
        assert body["url"] == f"/pets/{pet.pk}/"
        assert OrmQ.objects.filter(key=services.ML_CLUSTER).count() == 1

    def test_create_with_json_and_no_photo(self, member_api_client):
        response = member_api_client.post("/api/pets/", {"name": "보리", "species": "dog"}, format="json")

        assert response.status_code == 201
        assert response.json()["photo"] is None
        assert response.json()["photo_check"]["status"] == ""

    def test_invalid_input_is_a_400(self, member_api_client):
        response = member_api_client.post(
            "/api/pets/",
            {"name": "", "species": "rabbit", "birth_date": "2020-01-01", "age_years": 2},
            format="json",
        )

        assert response.status_code == 400
        assert {"name", "species"} <= set(response.json())
        assert not Pet.objects.exists()

    def test_anonymous_callers_read_but_cannot_write(self, api_client, other_member):
        pet = PetFactory(owner=other_member, photo=fixture_photo(DOG_PHOTO))

        assert (
            api_client.post("/api/pets/", {"name": "익명", "species": "dog"}, format="json").status_code
            == 401
        )
        listing = api_client.get("/api/pets/")
        assert listing.status_code == 200
        assert [item["id"] for item in listing.json()["results"]] == [pet.pk]
        detail = api_client.get(f"/api/pets/{pet.pk}/").json()
        assert detail["photo_check"] is None, "the check is the owner's"
        assert api_client.delete(f"/api/pets/{pet.pk}/").status_code == 401
        assert api_client.get(f"/api/pets/{pet.pk}/verdict/").status_code == 401
        assert Pet.objects.get(pk=pet.pk).deleted_at is None

    def test_list_filters_are_allow_listed(self, member_api_client, member, other_member):
        dog = PetFactory(owner=member, species="dog")
        cat = PetFactory(owner=other_member, species="cat")

        def ids(query):
            response = member_api_client.get(f"/api/pets/?{query}")
            assert response.status_code == 200, response.json()
            return [item["id"] for item in response.json()["results"]]

        assert ids("") == [cat.pk, dog.pk]
        assert ids("owner=DUBU") == [dog.pk]
        assert ids("species=cat") == [cat.pk]
        assert ids("name=콩이&owner_id=1") == [cat.pk, dog.pk], "unknown parameters do nothing"
        assert member_api_client.get("/api/pets/?species=rabbit").status_code == 400

    def test_owner_patches_some_fields_and_others_stay(self, member_api_client, member):
        pet = PetFactory(owner=member, name="콩이", neutered=True, breed="푸들")

        response = member_api_client.patch(f"/api/pets/{pet.pk}/", {"intro": "반가워요"}, format="multipart")

        assert response.status_code == 200, response.json()
        pet.refresh_from_db()
        assert (pet.name, pet.neutered, pet.breed, pet.intro) == ("콩이", True, "푸들", "반가워요")

    def test_owner_replaces_the_photo_and_the_check_starts_again(
        self, member_api_client, member, django_capture_on_commit_callbacks
    ):
        pet = PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))
        services.photo_check_record(
            pet_id=pet.pk, photo_version=1, status="done", verdict="dog", confidence=0.9
        )

        with django_capture_on_commit_callbacks(execute=True):
            response = member_api_client.patch(
                f"/api/pets/{pet.pk}/", {"photo": fixture_photo(CAT_PHOTO)}, format="multipart"
            )

        assert response.status_code == 200
        assert response.json()["photo_check"]["status"] == "pending"
        assert OrmQ.objects.get().task["args"] == (pet.pk, 2)

    @pytest.mark.parametrize(
        ("method", "data"),
        [
            ("patch", {"name": "바꿈", "species": "cat"}),
            ("patch", {"remove_photo": True}),
            ("delete", None),
        ],
    )
    def test_another_member_gets_403_and_nothing_changes(self, member_api_client, other_member, method, data):
        pet = PetFactory(owner=other_member, name="남의 강아지", photo=fixture_photo(DOG_PHOTO))
        before = snapshot(pet)

        response = getattr(member_api_client, method)(f"/api/pets/{pet.pk}/", data, format="json")

        assert response.status_code == 403
        assert snapshot(pet) == before

    def test_another_member_cannot_replace_the_photo_or_read_the_check(
        self, member_api_client, other_member, django_capture_on_commit_callbacks
    ):
        pet = PetFactory(owner=other_member, photo=fixture_photo(DOG_PHOTO))
        before = snapshot(pet)

        with django_capture_on_commit_callbacks(execute=True):
            response = member_api_client.patch(
                f"/api/pets/{pet.pk}/", {"photo": fixture_photo(CAT_PHOTO)}, format="multipart"
            )

        assert response.status_code == 403
        assert snapshot(pet) == before
        assert not OrmQ.objects.exists()
        assert member_api_client.get(f"/api/pets/{pet.pk}/verdict/").status_code == 403

    def test_owner_deletes_and_it_is_gone_everywhere(self, member_api_client, member):
        pet = PetFactory(owner=member)

        assert member_api_client.delete(f"/api/pets/{pet.pk}/").status_code == 204

        assert Pet.objects.filter(pk=pet.pk).exists()
        assert member_api_client.get(f"/api/pets/{pet.pk}/").status_code == 404
        assert (
            member_api_client.patch(f"/api/pets/{pet.pk}/", {"name": "x"}, format="json").status_code == 404
        )
        assert member_api_client.delete(f"/api/pets/{pet.pk}/").status_code == 404
        assert member_api_client.get("/api/pets/").json()["results"] == []

    def test_verdict_endpoint_for_the_owner(self, member_api_client, member):
        pet = PetFactory(owner=member, species="dog", photo=fixture_photo(CAT_PHOTO))
        services.photo_check_record(
            pet_id=pet.pk, photo_version=1, status="done", verdict="cat", confidence=0.93
        )

        body = member_api_client.get(f"/api/pets/{pet.pk}/verdict/").json()

        assert body["status"] == "done"
        assert (body["verdict"], body["confidence"]) == ("cat", 0.93)
        assert body["disagrees_with_species"] is True
        assert body["no_dog_or_cat_found"] is False


class TestPetPostsApi:
    def test_pet_posts_are_the_visible_posts_that_tag_it(self, member_api_client, member, other_member):
        pet = PetFactory(owner=other_member)
        tagged = PostFactory(author=other_member, text="콩이랑 산책")
        tagged.pets.add(pet)
        PostFactory(author=other_member, text="숨김", is_hidden=True).pets.add(pet)

        response = member_api_client.get(f"/api/pets/{pet.pk}/posts/")

        assert response.status_code == 200
        assert [post["id"] for post in response.json()["results"]] == [tagged.pk]
        assert response.json()["results"][0]["pets"] == [
            {"id": pet.pk, "name": pet.name, "species": "dog", "url": f"/pets/{pet.pk}/"}
        ]

    def test_posting_with_pets_through_the_api(self, member_api_client, member, other_member):
        mine = PetFactory(owner=member, name="두부")
        theirs = PetFactory(owner=other_member)

        ok = member_api_client.post("/api/posts/", {"text": "산책", "pets": [mine.pk]}, format="json")
        assert ok.status_code == 201, ok.json()
        assert [pet["id"] for pet in ok.json()["pets"]] == [mine.pk]

        refused = member_api_client.post(
            "/api/posts/", {"text": "남의 펫", "pets": [mine.pk, theirs.pk]}, format="multipart"
        )
        assert refused.status_code == 400
        assert "pets" in refused.json()
        assert Post.objects.count() == 1

    def test_pet_posts_need_a_login_like_other_post_lists(self, other_member):
        pet = PetFactory(owner=other_member)
        assert APIClient().get(f"/api/pets/{pet.pk}/posts/").status_code == 401


def test_the_schema_documents_the_pets_api_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")

    schema = target.read_text(encoding="utf-8")
    for path in ("/api/pets/:", "/api/pets/{id}/:", "/api/pets/{id}/posts/:", "/api/pets/{id}/verdict/:"):
        assert path in schema
    for name in ("PetOutput:", "PhotoCheck:", "SpeciesEnum:", "VerdictEnum:"):
        assert name in schema
