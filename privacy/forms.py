from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .selectors import current_documents

CONSENT_PREFIX = "consent_"


def consent_fields(documents=None) -> dict[str, forms.BooleanField]:
    """A checkbox per current legal document; required documents must be ticked."""
    fields = {}
    for page in current_documents() if documents is None else documents:
        mark = _("required") if page.required else _("optional")
        fields[f"{CONSENT_PREFIX}{page.document}"] = forms.BooleanField(
            required=page.required,
            label=format_html("({}) {}", mark, page.summary),
            help_text=format_html('<a href="{}" target="_blank">{}</a>', page.url, page.title),
            error_messages={"required": _("You need to agree to this to use Petrasche.")},
            widget=forms.CheckboxInput(attrs={"data-consent": page.document}),
        )
    return fields


def agreed_documents(cleaned_data: dict) -> list[str]:
    return [
        name.removeprefix(CONSENT_PREFIX)
        for name, value in cleaned_data.items()
        if name.startswith(CONSENT_PREFIX) and value
    ]


class ConsentForm(forms.Form):
    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(consent_fields(documents))


class DeleteContent:
    DELETE = "delete"
    KEEP = "keep"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    content = forms.ChoiceField(
        label=_("Your posts, comments and chat messages"),
        choices=[
            (DeleteContent.DELETE, _("Delete them")),
            (DeleteContent.KEEP, _("Keep them without my name")),
        ],
        initial=DeleteContent.DELETE,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("I understand that my account cannot be restored."))

    def __init__(self, *args, member, social_confirmed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.needs_social_confirmation = not member.has_usable_password() and not social_confirmed
        if not member.has_usable_password():
            # Members who signed up with Kakao confirm by signing in with Kakao again.
            del self.fields["password"]

    def clean(self):
        if self.needs_social_confirmation:
            raise forms.ValidationError(_("Sign in with Kakao again to confirm it is you."))
        return super().clean()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password
