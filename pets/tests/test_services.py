from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django_q.models import OrmQ

from community import services as community_services
from community.models import Post
from community.tests.factories import PostFactory
from pets import selectors, services
from pets.models import MAX_PETS_PER_MEMBER, Pet, PhotoStatus, Species, Verdict, birth_date_from_age
from pets.tests.factories import CAT_PHOTO, DOG_PHOTO, PetFactory, fixture_photo


@pytest.mark.django_db
class TestPetProfiles:
    def test_create_cleans_the_fields(self, member):
        pet = services.pet_create(
            owner=member,
            name="  콩이  \t 2세 ",
            species="dog",
            breed=" 말티즈 ",
            sex="female",
            neutered=True,
            age_years=3,
            size="small",
            intro="산책을 좋아해요\r\n간식도요  ",
        )

        pet.refresh_from_db()
        assert (pet.name, pet.breed, pet.intro) == ("콩이 2세", "말티즈", "산책을 좋아해요\n간식도요")
        assert (pet.species, pet.sex, pet.neutered, pet.size) == ("dog", "female", True, "small")
        assert pet.birth_date_is_estimate
        assert pet.age_years == 3
        assert pet.photo_status == ""
        assert not pet.has_photo

    @pytest.mark.parametrize(
        ("fields", "error_field"),
        [
            ({"name": "   "}, "name"),
            ({"name": "가" * 31}, "name"),
            ({"species": "rabbit"}, "species"),
            ({"size": "huge"}, "size"),
            ({"birth_date": date(2020, 1, 1), "age_years": 3}, "age_years"),
            ({"birth_date": date(2999, 1, 1)}, "birth_date"),
            ({"age_years": 41}, "age_years"),
        ],
    )
    def test_invalid_fields_are_refused_and_nothing_is_saved(self, member, fields, error_field):
        with pytest.raises(ValidationError) as caught:
            services.pet_create(owner=member, **{"name": "콩이", "species": "dog", **fields})

        assert error_field in caught.value.message_dict
        assert not Pet.objects.exists()

    def test_a_member_has_at_most_twenty_pets(self, member):
        for n in range(MAX_PETS_PER_MEMBER):
            PetFactory(owner=member, name=f"펫{n}")

        with pytest.raises(ValidationError):
            services.pet_create(owner=member, name="하나 더", species="cat")
        assert Pet.objects.filter(owner=member).count() == MAX_PETS_PER_MEMBER

    def test_only_the_owner_can_update_or_delete(self, member, other_member):
        pet = PetFactory(owner=other_member, name="남의 강아지")

        with pytest.raises(PermissionDenied):
            services.pet_update(pet_id=pet.pk, member=member, name="바꿈")
        with pytest.raises(PermissionDenied):
            services.pet_delete(pet_id=pet.pk, member=member)
        pet.refresh_from_db()
        assert (pet.name, pet.deleted_at) == ("남의 강아지", None)

    def test_update_changes_only_the_given_fields(self, member):
        pet = PetFactory(owner=member, name="콩이", breed="푸들", birth_date=date(2020, 5, 1))

        services.pet_update(pet_id=pet.pk, member=member, intro="안녕")

        pet.refresh_from_db()
        assert (pet.name, pet.breed, pet.birth_date, pet.intro) == ("콩이", "푸들", date(2020, 5, 1), "안녕")

    def test_the_same_approximate_age_keeps_the_estimated_birth_date(self, member):
        pet = PetFactory(owner=member, age_years=3)
        Pet.objects.filter(pk=pet.pk).update(birth_date=date(2021, 1, 15))
        pet.refresh_from_db()
        years = pet.age_years

        services.pet_update(pet_id=pet.pk, member=member, birth_date=None, age_years=years)
        pet.refresh_from_db()
        assert pet.birth_date == date(2021, 1, 15)

        services.pet_update(pet_id=pet.pk, member=member, birth_date=None, age_years=years + 1)
        pet.refresh_from_db()
        assert pet.birth_date == birth_date_from_age(years + 1)

    def test_delete_is_soft_and_hides_the_pet_everywhere(self, member):
        pet = PetFactory(owner=member)
        post = PostFactory(author=member)
        post.pets.add(pet)

        services.pet_delete(pet_id=pet.pk, member=member)

        assert Pet.objects.get(pk=pet.pk).deleted_at is not None, "the row stays"
        assert not selectors.member_pets(viewer=member, member=member).exists()
        assert not selectors.pet_list(viewer=member).filter(pk=pet.pk).exists()
        assert not selectors.owned_pets(owner=member).exists()
        assert post.pets.filter(pk=pet.pk).exists(), "the tag row stays"
        with pytest.raises(Pet.DoesNotExist):
            services.pet_update(pet_id=pet.pk, member=member, name="부활")


@pytest.mark.django_db
class TestPhotos:
    def test_a_photo_is_stored_re_encoded_and_its_check_queued_on_commit(
        self, member, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            pet = services.pet_create(
                owner=member, name="콩이", species="dog", photo=fixture_photo(DOG_PHOTO)
            )

        pet.refresh_from_db()
        assert pet.photo_status == PhotoStatus.PENDING
        assert pet.photo_version == 1
        assert all(f.name.endswith(".webp") for f in (pet.photo_full, pet.photo_display, pet.photo_thumb))
        assert (pet.photo_width, pet.photo_height) == (1024, 768)
        (task,) = OrmQ.objects.all()
        assert task.key == services.ML_CLUSTER
        assert task.task["func"] == services.PHOTO_CHECK_TASK
        assert task.task["args"] == (pet.pk, 1)

    def test_nothing_is_queued_when_the_transaction_rolls_back(
        self, member, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.pet_create(owner=member, name="콩이", species="dog", photo=fixture_photo())
        assert len(callbacks) == 1  # runs only on commit
        assert not OrmQ.objects.exists()

    def test_a_new_photo_is_a_new_version_and_the_old_files_go(
        self, member, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            pet = services.pet_create(
                owner=member, name="콩이", species="dog", photo=fixture_photo(DOG_PHOTO)
            )
        old_files = [pet.photo_full.name, pet.photo_display.name, pet.photo_thumb.name]
        services.photo_check_record(
            pet_id=pet.pk, photo_version=1, status=PhotoStatus.DONE, verdict="dog", confidence=0.9
        )

        with django_capture_on_commit_callbacks(execute=True):
            services.pet_update(pet_id=pet.pk, member=member, photo=fixture_photo(CAT_PHOTO))

        pet.refresh_from_db()
        assert pet.photo_version == 2
        assert (pet.photo_status, pet.verdict, pet.verdict_confidence) == (PhotoStatus.PENDING, "", None)
        assert not any(default_storage.exists(name) for name in old_files)
        assert default_storage.exists(pet.photo_full.name)
        assert [task.task["args"] for task in OrmQ.objects.order_by("id")] == [(pet.pk, 1), (pet.pk, 2)]

    def test_a_late_verdict_for_a_replaced_photo_is_dropped(self, member):
        pet = PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))
        services.pet_update(pet_id=pet.pk, member=member, photo=fixture_photo(CAT_PHOTO))

        recorded = services.photo_check_record(
            pet_id=pet.pk, photo_version=1, status=PhotoStatus.DONE, verdict="dog", confidence=0.9
        )

        pet.refresh_from_db()
        assert not recorded
        assert (pet.photo_status, pet.verdict) == (PhotoStatus.PENDING, "")
        assert services.photo_check_start(pet_id=pet.pk, photo_version=1) is None

    def test_removing_the_photo_clears_the_check(self, member):
        pet = PetFactory(owner=member, photo=fixture_photo())

        services.pet_update(pet_id=pet.pk, member=member, remove_photo=True)

        pet.refresh_from_db()
        assert not pet.has_photo
        assert (pet.photo_status, pet.photo_version) == ("", 2)

    def test_the_verdict_never_changes_the_owners_species(self, member):
        pet = PetFactory(owner=member, species=Species.DOG, photo=fixture_photo(CAT_PHOTO))

        services.photo_check_record(
            pet_id=pet.pk, photo_version=1, status=PhotoStatus.DONE, verdict=Verdict.CAT, confidence=1.0000002
        )

        pet.refresh_from_db()
        assert pet.species == Species.DOG
        assert (pet.verdict, pet.verdict_confidence) == ("cat", 1.0)
        assert pet.verdict_disagrees
        assert not pet.no_dog_or_cat_found


@pytest.mark.django_db
class TestTaggingPetsInPosts:
    def test_the_author_tags_their_own_pets(self, member):
        dubu, kongi = PetFactory(owner=member, name="두부"), PetFactory(owner=member, name="콩이")

        post = community_services.post_create(author=member, text="산책", pets=[dubu.pk, kongi.pk])

        assert set(post.pets.all()) == {dubu, kongi}

    def test_another_members_pet_is_refused_and_no_post_is_made(self, member, other_member):
        theirs = PetFactory(owner=other_member)

        with pytest.raises(ValidationError) as caught:
            community_services.post_create(author=member, text="산책", pets=[theirs.pk])

        assert "pets" in caught.value.message_dict
        assert not Post.objects.exists()

    def test_deleted_or_unknown_pets_are_refused(self, member):
        pet = PetFactory(owner=member)
        services.pet_delete(pet_id=pet.pk, member=member)

        for ids in ([pet.pk], [999_999]):
            with pytest.raises(ValidationError):
                community_services.post_create(author=member, text="산책", pets=ids)
        assert not Post.objects.exists()
