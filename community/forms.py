from django import forms
from django.utils.translation import gettext_lazy as _

from pets.selectors import owned_pets

from .models import COMMENT_TEXT_MAX_LENGTH, MAX_PHOTOS_PER_POST, POST_TEXT_MAX_LENGTH
from .services import PhotoUpload

VISIBLE_PHOTO_ROWS = 3


class PostForm(forms.Form):
    """Text plus up to ten photos, each with its own description (alt text)."""

    text = forms.CharField(
        label=_("What happened today?"),
        max_length=POST_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Use #hashtags and @mentions. Up to 2,000 characters."),
    )

    def __init__(self, *args, with_photos: bool = True, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_photos = with_photos
        if author is not None:
            self.fields["pets"] = forms.TypedMultipleChoiceField(
                label=_("Pets in this post"),
                choices=[(pet.pk, pet.name) for pet in owned_pets(owner=author)],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if not with_photos:
            return
        for number in range(1, MAX_PHOTOS_PER_POST + 1):
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)d") % {"number": number},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
                ),
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("Description of photo %(number)d") % {"number": number},
                max_length=200,
                required=False,
                help_text=_("What is in the photo, for members who use screen readers."),
            )

    def photo_rows(self):
        """(photo field, alt field, shown by default) for the template."""
        return [
            (self[f"photo_{n}"], self[f"alt_{n}"], n <= VISIBLE_PHOTO_ROWS)
            for n in range(1, MAX_PHOTOS_PER_POST + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.with_photos:
            return cleaned
        for number in range(1, MAX_PHOTOS_PER_POST + 1):
            if cleaned.get(f"photo_{number}") and not (cleaned.get(f"alt_{number}") or "").strip():
                self.add_error(f"alt_{number}", _("Describe this photo for members who cannot see it."))
        return cleaned

    @property
    def pet_ids(self) -> list[int]:
        return list(self.cleaned_data.get("pets") or [])

    @property
    def photos(self) -> list[PhotoUpload]:
        return [
            PhotoUpload(file=self.cleaned_data[f"photo_{n}"], alt_text=self.cleaned_data[f"alt_{n}"])
            for n in range(1, MAX_PHOTOS_PER_POST + 1)
            if self.cleaned_data.get(f"photo_{n}")
        ]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=COMMENT_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
