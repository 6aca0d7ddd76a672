from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Topic

# What a switch does, for the kinds that are not simply a line in the notifications list or the digest.
HELP_TEXTS = {
    (Topic.CHAT, "on_site"): _(
        "The number of unread messages on the Chat link. Your chat list always shows them."
    ),
    (Topic.CHAT, "by_email"): _(
        "The hourly e-mail says who wrote to you and how many messages are unread, never what they say."
    ),
    (Topic.WORLDCUP, "on_site"): _(
        "Your pet's result and pet of the month when an event closes, and the new month's event "
        "if you entered last month's."
    ),
    (Topic.WORLDCUP, "by_email"): _("The same news in the hourly e-mail."),
}


class SettingsForm(forms.Form):
    """Two checkboxes per kind: ``<kind>_on_site`` and ``<kind>_by_email`` (``rows``: each kind's
    label with its two fields, for the table)."""

    def __init__(self, *args, current: dict[str, dict[str, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in Topic:
            on_site = f"{kind.value}_on_site"
            by_email = f"{kind.value}_by_email"
            self.fields[on_site] = forms.BooleanField(
                label=_("%(kind)s on the site") % {"kind": kind.label},
                required=False,
                initial=current[kind.value]["on_site"],
                help_text=HELP_TEXTS.get((kind, "on_site"), ""),
            )
            self.fields[by_email] = forms.BooleanField(
                label=_("%(kind)s by e-mail") % {"kind": kind.label},
                required=False,
                initial=current[kind.value]["by_email"],
                help_text=HELP_TEXTS.get((kind, "by_email"), ""),
            )
            self.rows.append((kind.label, (self[on_site], self[by_email])))

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            kind.value: {
                "on_site": self.cleaned_data[f"{kind.value}_on_site"],
                "by_email": self.cleaned_data[f"{kind.value}_by_email"],
            }
            for kind in Topic
        }


class QuietHoursForm(forms.Form):
    """When this member's devices stay silent, in Seoul time."""

    enabled = forms.BooleanField(label=_("Quiet hours"), required=False)
    start = forms.TimeField(
        label=pgettext_lazy("quiet hours", "From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=pgettext_lazy("quiet hours", "Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class DeviceForm(forms.Form):
    """Renames or removes one of the member's push devices (``device``: its id)."""

    device = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Device name"), max_length=60, required=False)
