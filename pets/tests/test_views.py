from datetime import date

import pytest
from django_q.models import OrmQ

from community.models import Post
from community.tests.factories import PostFactory, image_upload
from core import services as core_services
from core.models import TemporaryUpload
from pets import services
from pets.models import Pet, PhotoStatus
from pets.tests.factories import CAT_PHOTO, DOG_PHOTO, PetFactory, fixture_photo

pytestmark = pytest.mark.django_db

PET_FORM = {
    "name": "콩이",
    "species": "dog",
    "breed": "말티즈",
    "sex": "female",
    "size": "small",
    "age_years": "3",
}


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def snapshot(pet: Pet) -> dict:
    fresh = Pet.objects.get(pk=pet.pk)
    return {
        field.name: getattr(fresh, field.attname)
        for field in Pet._meta.concrete_fields
        if field.name != "updated_at"
    }


class TestPetPages:
    @pytest.mark.smoke
    def test_member_adds_a_pet_and_sees_it_on_their_profile(self, logged_in, member):
        response = logged_in.post("/pets/new/", {**PET_FORM, "intro": "<b>안녕</b>"}, follow=True)

        assert response.status_code == 200
        pet = Pet.objects.get()
        assert (pet.owner, pet.name, pet.species, pet.breed, pet.age_years) == (
            member,
            "콩이",
            "dog",
            "말티즈",
            3,
        )
        html = response.content.decode()
        assert '<h1 id="pet-name">콩이</h1>' in html
        assert "&lt;b&gt;안녕&lt;/b&gt;" in html, "member text is escaped"
        profile = logged_in.get(f"/members/{member.username}/").content.decode()
        assert f'href="/pets/{pet.pk}/"' in profile
        assert 'href="/pets/new/"' in profile

    def test_the_form_is_accessible_and_suggests_breeds(self, logged_in):
        html = logged_in.get("/pets/new/").content.decode()

        assert '<label for="id_name">' in html
        assert 'list="breed-suggestions"' in html
        assert '<datalist id="breed-suggestions">' in html
        for breed in ("말티즈", "푸들", "진돗개", "코리안 숏헤어", "러시안 블루", "스코티시 폴드"):
            assert f'<option value="{breed}">' in html
        assert 'type="date"' in html
        assert 'accept="image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif"' in html

    def test_invalid_form_is_refused_with_errors_tied_to_fields(self, logged_in):
        response = logged_in.post("/pets/new/", {**PET_FORM, "name": "", "birth_date": "2020-01-01"})

        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_name_error"' in html
        assert 'id="id_age_years_error"' in html
        assert not Pet.objects.exists()

    def test_anonymous_visitors_read_pet_pages_but_cannot_add(self, client, other_member):
        pet = PetFactory(owner=other_member, name="콩이", photo=fixture_photo(DOG_PHOTO))

        html = client.get(f"/pets/{pet.pk}/").content.decode()
        assert "콩이" in html
        assert 'data-role="photo-check"' not in html, "the check is for the owner"
        assert f"/pets/{pet.pk}/edit/" not in html
        response = client.post("/pets/new/", PET_FORM)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert Pet.objects.count() == 1

    def test_owner_edits_and_replaces_the_photo(self, logged_in, member, django_capture_on_commit_callbacks):
        pet = PetFactory(
            owner=member, name="콩이", birth_date=date(2020, 3, 1), photo=fixture_photo(DOG_PHOTO)
        )
        form = logged_in.get(f"/pets/{pet.pk}/edit/").content.decode()
        assert 'value="2020-03-01"' in form
        assert 'name="remove_photo"' in form

        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post(
                f"/pets/{pet.pk}/edit/",
                {**PET_FORM, "age_years": "", "birth_date": "2020-03-01", "photo": fixture_photo(CAT_PHOTO)},
            )

        assert response.status_code == 302
        pet.refresh_from_db()
        assert (pet.breed, pet.birth_date, pet.photo_version, pet.photo_status) == (
            "말티즈",
            date(2020, 3, 1),
            2,
            PhotoStatus.PENDING,
        )
        assert OrmQ.objects.filter(key=services.ML_CLUSTER).count() == 1

    def test_owner_deletes_and_the_pet_is_gone_but_the_row_stays(self, logged_in, member):
        pet = PetFactory(owner=member, name="콩이")
        assert logged_in.get(f"/pets/{pet.pk}/delete/").status_code == 200

        response = logged_in.post(f"/pets/{pet.pk}/delete/")

        assert response.status_code == 302
        assert Pet.objects.get(pk=pet.pk).deleted_at is not None
        for url in (f"/pets/{pet.pk}/", f"/pets/{pet.pk}/edit/", f"/pets/{pet.pk}/verdict/"):
            assert logged_in.get(url).status_code == 404
        assert f"/pets/{pet.pk}/" not in logged_in.get(f"/members/{member.username}/").content.decode()

    @pytest.mark.parametrize(
        ("method", "path", "data"),
        [
            ("get", "edit/", None),
            ("post", "edit/", {**PET_FORM, "name": "바꿈", "species": "cat"}),
            ("post", "edit/", {**PET_FORM, "remove_photo": "on"}),
            ("get", "delete/", None),
            ("post", "delete/", {}),
            ("get", "verdict/", None),
        ],
    )
    def test_another_member_gets_403_and_nothing_changes(self, logged_in, other_member, method, path, data):
        pet = PetFactory(owner=other_member, name="남의 강아지", photo=fixture_photo(DOG_PHOTO))
        before = snapshot(pet)
        queued = OrmQ.objects.count()

        response = getattr(logged_in, method)(f"/pets/{pet.pk}/{path}", data)

        assert response.status_code == 403
        assert snapshot(pet) == before
        assert OrmQ.objects.count() == queued

    def test_another_member_cannot_replace_the_photo(self, logged_in, other_member):
        pet = PetFactory(owner=other_member, photo=fixture_photo(DOG_PHOTO))
        before = snapshot(pet)

        response = logged_in.post(f"/pets/{pet.pk}/edit/", {**PET_FORM, "photo": fixture_photo(CAT_PHOTO)})

        assert response.status_code == 403
        assert snapshot(pet) == before

    def test_verdict_json_is_for_the_logged_in_owner(self, client, member):
        pet = PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))

        assert client.get(f"/pets/{pet.pk}/verdict/").status_code == 302
        client.force_login(member)
        response = client.get(f"/pets/{pet.pk}/verdict/")
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        assert response.json()["status"] == "pending"
        assert client.post(f"/pets/{pet.pk}/verdict/").status_code == 405


class TestPetsInPosts:
    def test_the_post_form_offers_the_authors_pets_and_tags_them(self, logged_in, member, other_member):
        mine = PetFactory(owner=member, name="두부")
        theirs = PetFactory(owner=other_member, name="남의콩이")
        form = logged_in.get("/posts/new/").content.decode()
        assert "두부" in form
        assert "남의콩이" not in form

        response = logged_in.post("/posts/new/", {"text": "산책", "pets": [mine.pk]}, follow=True)

        post = Post.objects.get()
        assert list(post.pets.all()) == [mine]
        html = response.content.decode()
        assert f'<a class="pet-tag" href="/pets/{mine.pk}/">' in html
        assert theirs.name not in html

    def test_tagging_another_members_pet_is_refused(self, logged_in, other_member):
        theirs = PetFactory(owner=other_member)

        response = logged_in.post("/posts/new/", {"text": "산책", "pets": [theirs.pk]})

        assert response.status_code == 400
        assert 'id="id_pets_error"' in response.content.decode()
        assert not Post.objects.exists()

    def test_pet_page_lists_its_visible_posts_and_post_page_links_the_pet(self, client, member):
        pet = PetFactory(owner=member, name="두부")
        tagged = PostFactory(author=member, text="두부와 산책")
        tagged.pets.add(pet)
        hidden = PostFactory(author=member, text="숨겨진 글", is_hidden=True)
        hidden.pets.add(pet)
        PostFactory(author=member, text="다른 글")

        html = client.get(f"/pets/{pet.pk}/").content.decode()
        assert "두부와 산책" in html
        assert "숨겨진 글" not in html
        assert "다른 글" not in html
        post_page = client.get(f"/posts/{tagged.pk}/").content.decode()
        assert f'href="/pets/{pet.pk}/"' in post_page

        services.pet_delete(pet_id=pet.pk, member=member)
        assert f'href="/pets/{pet.pk}/"' not in client.get(f"/posts/{tagged.pk}/").content.decode()


def test_member_text_is_escaped_everywhere_pets_appear(client, member):
    attack = '<img src=x onerror="alert(1)">'
    pet = PetFactory(
        owner=member, name=attack[:30], breed=attack[:50], intro=attack, photo=fixture_photo(CAT_PHOTO)
    )
    services.photo_check_record(pet_id=pet.pk, photo_version=1, status="done", verdict="cat", confidence=0.9)
    post = PostFactory(author=member, text="산책")
    post.pets.add(pet)
    client.force_login(member)

    pages = [
        client.get(f"/pets/{pet.pk}/").content.decode(),
        client.get(f"/pets/{pet.pk}/edit/").content.decode(),
        client.get(f"/members/{member.username}/").content.decode(),
        client.get(f"/posts/{post.pk}/").content.decode(),
        client.get(f"/pets/{pet.pk}/verdict/").json()["html"],
    ]

    for html in pages:
        assert "<img src=x" not in html
        assert 'onerror="alert' not in html
    assert "&lt;img src=x" in pages[0]


@pytest.mark.parametrize(
    ("confidence", "words"),
    [(0.97, "거의 확실해요"), (0.8, "아마 맞을 거예요"), (0.55, "확실하지 않아요")],
)
def test_the_photo_check_says_how_sure_it_is_in_words_and_asks_in_natural_korean(
    client, member, confidence, words
):
    pet = PetFactory(owner=member, name="나비", species="dog", photo=fixture_photo(CAT_PHOTO))
    services.photo_check_record(
        pet_id=pet.pk, photo_version=1, status="done", verdict="cat", confidence=confidence
    )
    client.force_login(member)

    html = client.get(f"/pets/{pet.pk}/").content.decode()

    assert f"({words}," in html
    assert "확신도" not in html
    assert "%" not in html.split('data-role="verdict-certainty"')[1].split("</span>")[0]
    assert "사진이 고양이처럼 보여요. 종류를 ‘강아지’ 그대로 둘까요?" in html
    assert "(으)로" not in html


def kept_photo(owner) -> TemporaryUpload:
    """A photo the member chose in a form and that was kept at once, as POST /uploads/ keeps it."""
    return core_services.temporary_upload_create(owner=owner, file=image_upload(size=(120, 90)))


class TestPhotoChosenEarlier:
    """The pet form's photo picker keeps the photo at once (POST /uploads/); the form then sends
    its key, and the pet takes the kept files over."""

    def test_a_new_pet_takes_over_the_kept_photo_and_its_check_is_queued(
        self, logged_in, member, django_capture_on_commit_callbacks
    ):
        upload = kept_photo(owner=member)
        files = [file.name for file in upload.files]

        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in.post("/pets/new/", {**PET_FORM, "upload": upload.key})

        assert response.status_code == 302
        pet = Pet.objects.get()
        assert [pet.photo_full.name, pet.photo_display.name, pet.photo_thumb.name] == files
        assert (pet.photo_width, pet.photo_height, pet.photo_status) == (
            upload.width,
            upload.height,
            PhotoStatus.PENDING,
        )
        assert not TemporaryUpload.objects.exists()
        assert OrmQ.objects.filter(key=services.ML_CLUSTER).count() == 1

    def test_someone_elses_kept_photo_is_refused_and_stays_theirs(self, logged_in, other_member):
        upload = kept_photo(owner=other_member)

        response = logged_in.post("/pets/new/", {**PET_FORM, "upload": upload.key})

        assert response.status_code == 400
        assert "24시간" in response.content.decode()
        assert not Pet.objects.exists()
        assert TemporaryUpload.objects.get() == upload

    def test_the_form_comes_back_with_the_kept_photo(self, logged_in, member):
        upload = kept_photo(owner=member)

        response = logged_in.post("/pets/new/", {**PET_FORM, "name": "", "upload": upload.key})

        assert response.status_code == 400
        html = response.content.decode()
        assert f'name="upload" value="{upload.key}"' in html
        assert upload.thumb.url in html
