from allauth.account.forms import ConfirmEmailVerificationCodeForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from core.images import PHOTO_ACCEPT
from privacy.forms import CONSENT_PREFIX, consent_fields

from .names import check_name
from .validators import USERNAME_MAX_LENGTH


class LoginForm(AllauthLoginForm):
    """allauth's login form in the words members know: one field takes the handle or the e-mail
    address, and the page links "forgot your password?" once (not also under the field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or e-mail")
        login.widget.attrs.update({"placeholder": "", "autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Stay logged in")


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the display nickname members are known by."""

    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        required=False,
        help_text=_("What other members see. You can use Korean. Leave empty to use your username."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username")
        username.max_length = USERNAME_MAX_LENGTH
        username.help_text = _("3–20 lowercase letters, numbers, underscores or dots.")
        username.widget.attrs.update(
            {
                "maxlength": USERNAME_MAX_LENGTH,
                "autocapitalize": "none",
                "spellcheck": "false",
                "data-availability-url": "/api/accounts/availability/",
            }
        )
        self.fields.update(consent_fields())
        self.order_fields(["username", "nickname", "email", "password1", "password2"])

    @property
    def consents(self) -> list:
        return [self[name] for name in self.fields if name.startswith(CONSENT_PREFIX)]

    def clean_nickname(self) -> str:
        nickname = " ".join(self.cleaned_data["nickname"].split())
        check_name(nickname)
        return nickname


class ProfileForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=30, required=False)
    bio = forms.CharField(
        label=_("Short bio"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    avatar = forms.FileField(
        label=_("Profile photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP, GIF or HEIC, up to 10 MB and 25 megapixels."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my profile photo"), required=False)


class EmailCodeForm(ConfirmEmailVerificationCodeForm):
    """The 6-digit code we e-mail to confirm an address (allauth's verification by code)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code from the e-mail")
        code.widget.attrs = {
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "maxlength": 6,
            "autocapitalize": "none",
            "spellcheck": "false",
        }
