"""Pets' part of a member's data export and deletion (see core/personal_data.py)."""

from core.personal_data import register

from .models import Pet


def export(member, writer) -> None:
    pets = []
    for pet in Pet.objects.filter(owner=member):
        pets.append(
            {
                "id": pet.pk,
                "name": pet.name,
                "species": pet.species,
                "breed": pet.breed,
                "sex": pet.sex,
                "neutered": pet.neutered,
                "birth_date": pet.birth_date,
                "size": pet.size,
                "intro": pet.intro,
                "created_at": pet.created_at,
                "deleted_at": pet.deleted_at,
                "photo": writer.add_file(f"pets/{pet.pk}", pet.photo_full),
            }
        )
    writer.add_json("pets.json", pets)


def erase(erasure) -> None:
    """Pet profiles and their photos go, whichever way posts are handled."""
    for pet in Pet.objects.filter(owner=erasure.member):
        erasure.remove_files(pet.photo_full, pet.photo_display, pet.photo_thumb)
        pet.delete()


register("pets", export=export, erase=erase, order=50)
