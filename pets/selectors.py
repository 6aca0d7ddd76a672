"""Reads of pets shared by pages, the API and other apps, with their joins applied."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import MAX_PETS_PER_MEMBER, Pet
from .registry import tagged_posts


def visible_pets() -> QuerySet[Pet]:
    """Every pet that is shown anywhere (deleted pets are not)."""
    return Pet.objects.not_deleted()


def pet_list(*, viewer) -> QuerySet[Pet]:
    """Pets with their owners, in one query."""
    return visible_pets().select_related("owner")


def pet_detail(*, viewer, pet_id: int) -> Pet:
    return pet_list(viewer=viewer).get(pk=pet_id)


def member_pets(*, viewer, member) -> QuerySet[Pet]:
    """A member's pets, oldest first, for their profile (a member has at most 20)."""
    return visible_pets().filter(owner=member).order_by("created_at", "id")[:MAX_PETS_PER_MEMBER]


def owned_pets(*, owner) -> QuerySet[Pet]:
    """The pets a member may tag in their posts."""
    return visible_pets().filter(owner=owner).order_by("created_at", "id")


def pet_posts(*, viewer, pet: Pet, with_pets: bool = True):
    """Posts the viewer may see that tag this pet, newest first, as post lists show them (the
    posts are community's: pets/registry.py)."""
    return tagged_posts().posts(viewer=viewer, pet=pet, with_pets=with_pets)


def own_pet(*, member, pet_id: int) -> Pet:
    """The member's own pet; DoesNotExist if there is none, PermissionDenied if it is someone else's."""
    pet = visible_pets().get(pk=pet_id)
    if pet.owner_id != member.pk:
        raise PermissionDenied
    return pet


def photo_is_current(*, pet_id: int, photo_version: int) -> bool:
    return visible_pets().filter(pk=pet_id, photo_version=photo_version).exclude(photo_full="").exists()
