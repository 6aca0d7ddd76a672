import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CLIENT_ID_PATTERN, MESSAGE_MAX_LENGTH, ChatPreference


class MessageForm(forms.Form):
    """The composer. Without JavaScript it posts here with a client id the page was given, so a
    form sent twice (a double click, the browser's resend) is stored once. The length is the
    service's to check (``services.clean_text``): text over the limit comes back whole with the
    reason, never cut (no ``maxlength``, which would cut a paste without a word)."""

    client_id = forms.RegexField(regex=CLIENT_ID_PATTERN, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "data-max-length": MESSAGE_MAX_LENGTH, "autocomplete": "off"}
        ),
    )

    @staticmethod
    def new_client_id() -> str:
        return uuid.uuid4().hex


class ChatPreferenceForm(forms.Form):
    direct_messages = forms.ChoiceField(
        label=_("Who can send me direct messages"),
        choices=ChatPreference.DirectMessages.choices,
        widget=forms.RadioSelect,
        help_text=_("Conversations you already have stay readable; only sending is affected."),
    )
