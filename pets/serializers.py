from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import MemberSummarySerializer

from .models import (
    BREED_MAX_LENGTH,
    INTRO_MAX_LENGTH,
    MAX_AGE_YEARS,
    PET_NAME_MAX_LENGTH,
    PhotoStatus,
    Sex,
    Size,
    Species,
    Verdict,
)


class PetPhotoSerializer(serializers.Serializer):
    thumb_url = serializers.CharField(source="photo_thumb.url")
    display_url = serializers.CharField(source="photo_display.url")
    alt_text = serializers.CharField(source="photo_alt")
    width = serializers.IntegerField(source="photo_width")
    height = serializers.IntegerField(source="photo_height")


class PhotoCheckSerializer(serializers.Serializer):
    """The dog / cat check of the current photo. The owner's species is never changed by it."""

    status = serializers.ChoiceField(
        choices=PhotoStatus.choices, source="photo_status", allow_blank=True, help_text=_("Blank: no photo.")
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True)
    confidence = serializers.FloatField(source="verdict_confidence", allow_null=True)
    checked_at = serializers.DateTimeField(source="verdict_at", allow_null=True)
    disagrees_with_species = serializers.BooleanField(source="verdict_disagrees")
    no_dog_or_cat_found = serializers.BooleanField()


class PetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    owner = MemberSummarySerializer()
    name = serializers.CharField()
    species = serializers.ChoiceField(choices=Species.choices)
    breed = serializers.CharField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    neutered = serializers.BooleanField()
    birth_date = serializers.DateField(allow_null=True)
    birth_date_is_estimate = serializers.BooleanField()
    age_years = serializers.IntegerField(allow_null=True)
    size = serializers.ChoiceField(choices=Size.choices, allow_blank=True)
    intro = serializers.CharField()
    photo = serializers.SerializerMethodField()
    photo_check = serializers.SerializerMethodField(help_text=_("Only for the owner; null for others."))
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(PetPhotoSerializer(allow_null=True))
    def get_photo(self, pet):
        return PetPhotoSerializer(pet).data if pet.has_photo else None

    @extend_schema_field(PhotoCheckSerializer(allow_null=True))
    def get_photo_check(self, pet):
        request = self.context.get("request")
        if request is None or pet.owner_id != request.user.pk:
            return None
        return PhotoCheckSerializer(pet).data

    @extend_schema_field(serializers.CharField())
    def get_url(self, pet):
        return reverse("pets:detail", args=[pet.pk])


class PetCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=PET_NAME_MAX_LENGTH)
    species = serializers.ChoiceField(choices=Species.choices)
    breed = serializers.CharField(max_length=BREED_MAX_LENGTH, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    neutered = serializers.BooleanField(required=False, default=False)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    age_years = serializers.IntegerField(
        min_value=0,
        max_value=MAX_AGE_YEARS,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("An approximate age, instead of a birth date."),
    )
    size = serializers.ChoiceField(choices=Size.choices, required=False, allow_blank=True, default="")
    intro = serializers.CharField(max_length=INTRO_MAX_LENGTH, required=False, allow_blank=True, default="")
    photo = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "JPEG, PNG, WebP, GIF or HEIC, up to 10 MB and 25 megapixels. Its dog / cat check runs after the response."
        ),
    )


class PetUpdateInputSerializer(serializers.Serializer):
    """Validated with partial=True: fields left out stay as they are."""

    name = serializers.CharField(max_length=PET_NAME_MAX_LENGTH)
    species = serializers.ChoiceField(choices=Species.choices)
    breed = serializers.CharField(max_length=BREED_MAX_LENGTH, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    neutered = serializers.BooleanField()
    birth_date = serializers.DateField(allow_null=True)
    age_years = serializers.IntegerField(min_value=0, max_value=MAX_AGE_YEARS, allow_null=True)
    size = serializers.ChoiceField(choices=Size.choices, allow_blank=True)
    intro = serializers.CharField(max_length=INTRO_MAX_LENGTH, allow_blank=True)
    photo = serializers.FileField(help_text=_("A new photo replaces the old one and is checked again."))
    remove_photo = serializers.BooleanField()
