from django import forms
from django.utils.translation import gettext_lazy as _

from core import selectors as core_selectors
from core.images import PHOTO_ACCEPT

from .breeds import BREED_SUGGESTIONS
from .models import (
    BREED_MAX_LENGTH,
    INTRO_MAX_LENGTH,
    MAX_AGE_YEARS,
    PET_NAME_MAX_LENGTH,
    Pet,
    Sex,
    Size,
    Species,
)

BREED_DATALIST_ID = "breed-suggestions"


class PetForm(forms.Form):
    """A pet profile. The photo is optional; its dog/cat check runs after saving."""

    name = forms.CharField(label=_("Name"), max_length=PET_NAME_MAX_LENGTH)
    species = forms.ChoiceField(
        label=_("Species"),
        choices=Species.choices,
        help_text=_("What you choose here is what we show, whatever the photo check says."),
    )
    breed = forms.CharField(
        label=_("Breed"),
        max_length=BREED_MAX_LENGTH,
        required=False,
        help_text=_("Type it or pick a suggestion."),
        widget=forms.TextInput(attrs={"list": BREED_DATALIST_ID, "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    neutered = forms.BooleanField(label=_("Neutered or spayed"), required=False)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Not sure? Give an approximate age instead."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    age_years = forms.IntegerField(
        label=_("Approximate age (years)"), required=False, min_value=0, max_value=MAX_AGE_YEARS
    )
    size = forms.ChoiceField(label=_("Size"), choices=[("", _("Not given")), *Size.choices], required=False)
    intro = forms.CharField(
        label=_("Short intro"),
        max_length=INTRO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP, GIF or HEIC, up to 10 MB and 25 megapixels."),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    # A photo chosen earlier and kept (static/js/photo-picker.js, POST /uploads/).
    upload = forms.UUIDField(required=False, widget=forms.HiddenInput)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    breed_suggestions = BREED_SUGGESTIONS
    breed_datalist_id = BREED_DATALIST_ID

    def __init__(self, *args, pet: Pet | None = None, owner=None, **kwargs):
        if pet is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": pet.name,
                "species": pet.species,
                "breed": pet.breed,
                "sex": pet.sex,
                "neutered": pet.neutered,
                "birth_date": None if pet.birth_date_is_estimate else pet.birth_date,
                "age_years": pet.age_years if pet.birth_date_is_estimate else None,
                "size": pet.size,
                "intro": pet.intro,
            }
        super().__init__(*args, **kwargs)
        self.pet = pet
        if pet is None or not pet.has_photo:
            del self.fields["remove_photo"]
        else:
            self.fields["photo"].label = _("New photo")
        self.kept_upload = (
            core_selectors.sent_upload(owner=owner, value=self.data.get(self.add_prefix("upload")))
            if owner is not None and self.is_bound
            else None
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("birth_date") and cleaned.get("age_years") is not None:
            self.add_error("age_years", _("Give a birth date or an approximate age, not both."))
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values as the pet services take them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "species": data["species"],
            "breed": data["breed"],
            "sex": data["sex"],
            "neutered": data["neutered"],
            "birth_date": data["birth_date"],
            "age_years": data["age_years"],
            "size": data["size"],
            "intro": data["intro"],
            "photo": data["photo"] or None,
            "upload_key": None if data["photo"] else data["upload"],
        }
