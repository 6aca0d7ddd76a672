from django import forms
from django.utils.translation import gettext_lazy as _

from .models import APPEAL_TEXT_MAX_LENGTH, REPORT_TEXT_MAX_LENGTH, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        help_text=_("Required when the reason is “Other”."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should moderators look again?"),
        max_length=APPEAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
