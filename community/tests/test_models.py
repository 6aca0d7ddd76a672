import pytest

from community import selectors
from community.models import Post
from pets import services as pets_services
from pets.tests.factories import PetFactory

from .factories import PostFactory


@pytest.mark.django_db
class TestPrefetchedLists:
    def test_photo_list_is_in_position_order_with_or_without_a_list_query(self, member):
        post = PostFactory(author=member, photos=3)
        expected = ["사진 0", "사진 1", "사진 2"]

        loaded_alone = Post.objects.get(pk=post.pk)
        from_a_list = selectors.post_list(viewer=member).get(pk=post.pk)

        assert [photo.alt_text for photo in loaded_alone.photo_list] == expected
        assert [photo.alt_text for photo in from_a_list.photo_list] == expected

    def test_tagged_pet_list_leaves_out_deleted_pets_with_or_without_a_list_query(
        self, member, django_assert_num_queries
    ):
        dubu, kongi = PetFactory(owner=member, name="두부"), PetFactory(owner=member, name="콩이")
        post = PostFactory(author=member)
        post.pets.set([dubu, kongi])
        pets_services.pet_delete(pet_id=kongi.pk, member=member)

        loaded_alone = Post.objects.get(pk=post.pk)
        from_a_list = selectors.post_list(viewer=member).get(pk=post.pk)

        assert [pet.name for pet in loaded_alone.tagged_pet_list] == ["두부"]
        with django_assert_num_queries(0):
            assert [pet.name for pet in from_a_list.tagged_pet_list] == ["두부"]
            assert len(from_a_list.photo_list) == 0
