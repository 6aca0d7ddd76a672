from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import search_types


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=lambda: [("", _("Everything")), *((key, t.label) for key, t in search_types().items())],
    )
    page = forms.IntegerField(min_value=1, max_value=50, required=False)
