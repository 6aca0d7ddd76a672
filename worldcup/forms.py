from django import forms
from django.utils.translation import gettext_lazy as _

from core import selectors as core_selectors
from core.images import PHOTO_ACCEPT

from .models import WITHDRAWN_REASON_MAX_LENGTH


class EntryForm(forms.Form):
    """Enter one of your pets, with its profile photo or a new one."""

    pet = forms.TypedChoiceField(label=_("Pet"), coerce=int)
    photo = forms.FileField(
        label=_("New photo"),
        required=False,
        help_text=_(
            "Optional: leave it empty to use the pet's profile photo. "
            "JPEG, PNG, WebP, GIF or HEIC, up to 10 MB and 25 megapixels."
        ),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    # A photo chosen earlier and kept (static/js/photo-picker.js, POST /uploads/).
    upload = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, pets, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pet"].choices = [(pet.pk, pet.name) for pet in pets]
        self.kept_upload = (
            core_selectors.sent_upload(owner=owner, value=self.data.get(self.add_prefix("upload")))
            if owner is not None and self.is_bound
            else None
        )


class PickForm(forms.Form):
    match = forms.IntegerField(min_value=1)
    winner = forms.IntegerField(min_value=1)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=WITHDRAWN_REASON_MAX_LENGTH,
        help_text=_("Shown to staff only. The entry keeps its past results."),
    )
