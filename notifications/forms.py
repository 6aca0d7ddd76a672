from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class SettingsForm(forms.Form):
    """Two checkboxes per kind: ``<kind>_on_site`` and ``<kind>_by_email``."""

    def __init__(self, *args, current: dict[str, dict[str, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in Kind:
            on_site = f"{kind.value}_on_site"
            by_email = f"{kind.value}_by_email"
            self.fields[on_site] = forms.BooleanField(
                label=_("%(kind)s on the site") % {"kind": kind.label},
                required=False,
                initial=current[kind.value]["on_site"],
            )
            self.fields[by_email] = forms.BooleanField(
                label=_("%(kind)s by e-mail") % {"kind": kind.label},
                required=False,
                initial=current[kind.value]["by_email"],
            )
            self.rows.append((kind.label, self[on_site], self[by_email]))

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            kind.value: {
                "on_site": self.cleaned_data[f"{kind.value}_on_site"],
                "by_email": self.cleaned_data[f"{kind.value}_by_email"],
            }
            for kind in Kind
        }
