from dataclasses import dataclass
from uuid import UUID

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from core import selectors as core_selectors
from core.images import PHOTO_ACCEPT
from core.models import TemporaryUpload
from pets.selectors import owned_pets

from .models import COMMENT_TEXT_MAX_LENGTH, MAX_PHOTOS_PER_POST, POST_TEXT_MAX_LENGTH, PostPhoto
from .services import PhotoUpload

VISIBLE_PHOTO_ROWS = 3
SLOTS = range(1, MAX_PHOTOS_PER_POST + 1)


@dataclass
class PhotoSlot:
    """One photo row of the form: a photo already there (a temporary upload the member chose
    earlier, or, when editing, one of the post's photos), or a file input for a new one."""

    number: int
    form: "PostForm"
    kept: TemporaryUpload | PostPhoto | None
    order: int
    shown: bool = True

    def _field(self, name: str):
        return self.form[f"{name}_{self.number}"]

    @property
    def photo_field(self):
        return self._field("photo")

    @property
    def upload_field(self):
        return self._field("upload")

    @property
    def existing_field(self):
        return self._field("existing")

    @property
    def alt_field(self):
        return self._field("alt")

    @property
    def order_field(self):
        return self._field("order")

    @property
    def remove_field(self):
        return self._field("remove")


UNDESCRIBED_PHOTOS = _(
    "Some photos have no description. With a few words, members who cannot see a photo know what is in it."
)


class PostForm(forms.Form):
    """Text plus up to ten photos in order, each with its own description (alt text).

    A photo row holds a new file (``photo_N``), a temporary upload of the author's (``upload_N``:
    chosen earlier, so it survives a form that comes back with an error) or, when editing, one of
    the post's photos (``existing_N``); ``order_N`` places it and ``remove_N`` drops it.

    A photo without a description is asked about once, gently: the form comes back with the photos
    kept and a prompt whose "post without descriptions" button sends ``without_descriptions``."""

    text = forms.CharField(
        label=_("What happened today?"),
        max_length=POST_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-compose": ""}),
        help_text=_("Use #hashtags and @mentions. Up to 2,000 characters."),
    )
    without_descriptions = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, author=None, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        if author is not None and post is None:
            self.fields["pets"] = forms.TypedMultipleChoiceField(
                label=_("Pets in this post"),
                choices=[(pet.pk, pet.name) for pet in owned_pets(owner=author)],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for number in SLOTS:
            self.fields.update(self._slot_fields(number))
        self.own_photos = {photo.pk: photo for photo in post.photo_list} if post is not None else {}
        if post is not None and not self.is_bound:
            for position, photo in enumerate(self.own_photos.values(), start=1):
                self.initial.update(
                    {
                        f"existing_{position}": photo.pk,
                        f"alt_{position}": photo.alt_text,
                        f"order_{position}": position,
                    }
                )
        self.uploads = (
            core_selectors.owned_uploads(owner=author, keys=self._sent_upload_keys()) if author else {}
        )

    @staticmethod
    def _slot_fields(number: int) -> dict:
        return {
            f"photo_{number}": forms.FileField(
                label=_("Photo %(number)d") % {"number": number},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
            ),
            f"upload_{number}": forms.UUIDField(required=False, widget=forms.HiddenInput),
            f"existing_{number}": forms.IntegerField(required=False, widget=forms.HiddenInput),
            f"alt_{number}": forms.CharField(
                label=_("Description of photo %(number)d") % {"number": number},
                max_length=200,
                required=False,
                help_text=_("What is in the photo, for members who use screen readers."),
            ),
            f"order_{number}": forms.IntegerField(
                label=_("Place"),
                min_value=1,
                max_value=MAX_PHOTOS_PER_POST,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            ),
            f"remove_{number}": forms.BooleanField(label=_("Take this photo out"), required=False),
        }

    def _raw(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def _sent_upload_keys(self) -> list[UUID]:
        keys = []
        for number in SLOTS:
            try:
                keys.append(UUID(str(self._raw(f"upload_{number}") or "")))
            except ValueError:
                continue
        return keys

    def _kept(self, number: int) -> TemporaryUpload | PostPhoto | None:
        try:
            key = UUID(str(self._raw(f"upload_{number}") or ""))
        except ValueError:
            key = None
        if key in self.uploads:
            return self.uploads[key]
        try:
            return self.own_photos.get(int(self._raw(f"existing_{number}") or 0))
        except ValueError:
            return None

    def photo_slots(self) -> list[PhotoSlot]:
        """The rows in their order: the photos there are first, then empty rows. The first rows
        are shown, the rest wait behind "More photos"."""

        def order(number: int) -> int:
            try:
                return int(self._raw(f"order_{number}") or number)
            except ValueError:
                return number

        slots = [PhotoSlot(number, self, self._kept(number), order(number)) for number in SLOTS]
        slots.sort(key=lambda slot: (slot.kept is None, slot.order, slot.number))
        shown = max(VISIBLE_PHOTO_ROWS, sum(slot.kept is not None for slot in slots) + 1)
        for index, slot in enumerate(slots):
            slot.shown = index < shown
        return slots

    def clean(self):
        cleaned = super().clean()
        chosen = []
        self.undescribed: list[int] = []
        for number in SLOTS:
            if cleaned.get(f"remove_{number}"):
                continue
            photo = self._photo_in_slot(number, cleaned)
            if photo is None:
                continue
            if not photo.alt_text.strip() and self._was_described_or_is_new(photo):
                self.undescribed.append(number)
            chosen.append((cleaned.get(f"order_{number}") or number, number, photo))
        self._photos = [photo for _order, _number, photo in sorted(chosen, key=lambda item: item[:2])]
        if self.undescribed and not cleaned.get("without_descriptions"):
            self.add_error(None, forms.ValidationError(UNDESCRIBED_PHOTOS, code="undescribed"))
        return cleaned

    @property
    def asks_for_descriptions(self) -> bool:
        """The form came back only to ask about photos without a description."""
        return self.has_error(NON_FIELD_ERRORS, "undescribed")

    def _was_described_or_is_new(self, photo: PhotoUpload) -> bool:
        """A photo the post already has without a description was asked about when it was posted:
        editing the post does not ask again, unless the member has just cleared its description."""
        return photo.photo_id is None or bool(self.own_photos[photo.photo_id].alt_text)

    def _photo_in_slot(self, number: int, cleaned: dict) -> PhotoUpload | None:
        alt_text = cleaned.get(f"alt_{number}") or ""
        if cleaned.get(f"photo_{number}"):
            return PhotoUpload(file=cleaned[f"photo_{number}"], alt_text=alt_text)
        key = cleaned.get(f"upload_{number}")
        if key is not None:
            if key not in self.uploads:
                self.add_error(
                    f"photo_{number}", _("This photo was kept for 24 hours and is gone now. Choose it again.")
                )
                return None
            return PhotoUpload(upload_key=key, alt_text=alt_text)
        photo_id = cleaned.get(f"existing_{number}")
        if photo_id is not None and photo_id in self.own_photos:
            return PhotoUpload(photo_id=photo_id, alt_text=alt_text)
        return None

    @property
    def pet_ids(self) -> list[int]:
        return list(self.cleaned_data.get("pets") or [])

    @property
    def photos(self) -> list[PhotoUpload]:
        return self._photos


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "data-compose": ""}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
