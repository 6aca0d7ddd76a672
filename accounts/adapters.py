import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .validators import USERNAME_MAX_LENGTH


def normalize_username(raw: str) -> str:
    """Handles are compared and stored in one form: NFC, trimmed, lowercase."""
    return unicodedata.normalize("NFC", raw or "").strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This username is already taken."),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        return super().clean_username(normalize_username(username), shallow=shallow)

    def generate_unique_username(self, txts, regex=None):
        # allauth strips with the regex before lowercasing and before cutting an e-mail
        # address at "@": keep capitals (lowercased later) and "@" (so the domain is dropped).
        username = super().generate_unique_username(txts, regex=r"[^A-Za-z0-9_.@]")
        return username[:USERNAME_MAX_LENGTH]

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        nickname = form.cleaned_data.get("nickname")
        if nickname:
            user.nickname = nickname
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """Kakao gives a display name, not a handle: keep it as the nickname and let
        the account adapter generate a valid handle from the e-mail address."""
        nickname = (data.get("username") or "").strip()
        user = super().populate_user(request, sociallogin, {**data, "username": ""})
        user.nickname = nickname[:30]
        return user

    def is_open_for_signup(self, request, sociallogin):
        return getattr(settings, "SOCIALACCOUNT_SIGNUP_OPEN", True)
