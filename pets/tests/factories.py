from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from pets import services
from pets.models import Pet, Species

ML_FIXTURES = Path(__file__).resolve().parents[2] / "ml" / "tests" / "fixtures"
DOG_PHOTO = "gcompris_farm_dog.webp"
CAT_PHOTO = "skimage_chelsea.png"
COFFEE_PHOTO = "skimage_coffee.png"
CONTENT_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif"}

SERVICE_FIELDS = {"breed", "sex", "neutered", "birth_date", "age_years", "size", "intro", "photo"}


def fixture_photo(name: str = DOG_PHOTO) -> SimpleUploadedFile:
    """One of the classifier's real test photos as an upload (dog, cat, coffee, ...)."""
    path = ML_FIXTURES / name
    return SimpleUploadedFile(name, path.read_bytes(), content_type=CONTENT_TYPES[path.suffix])


class PetFactory(factory.django.DjangoModelFactory):
    """A pet made the way members make them (through the service); other fields set afterwards."""

    class Meta:
        model = Pet

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"콩이{n}")
    species = Species.DOG

    @classmethod
    def _create(cls, model_class, *args, owner, name, species, **kwargs):
        service_kwargs = {key: kwargs.pop(key) for key in list(kwargs) if key in SERVICE_FIELDS}
        pet = services.pet_create(owner=owner, name=name, species=species, **service_kwargs)
        if kwargs:
            Pet.objects.filter(pk=pet.pk).update(**kwargs)
            pet.refresh_from_db()
        return pet
