import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from privacy.forms import agreed_documents
from privacy.services import consent_record, username_is_retired
from site_core import ratelimit
from site_core.client_ip import client_ip

from . import login_limits
from .validators import USERNAME_MAX_LENGTH


def normalize_username(raw: str) -> str:
    """Handles are compared and stored in one form: NFC, trimmed, lowercase."""
    return unicodedata.normalize("NFC", raw or "").strip().lower()


class SocialAppMissing(Http404, SocialApp.DoesNotExist):
    """A sign-in provider without keys is a feature that is off: its pages answer 404."""


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This username is already taken."),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = normalize_username(username)
        if not shallow and username_is_retired(username):
            raise ValidationError(self.error_messages["username_taken"])
        return super().clean_username(username, shallow=shallow)

    def generate_unique_username(self, txts, regex=None):
        # allauth strips with the regex before lowercasing and before cutting an e-mail
        # address at "@": keep capitals (lowercased later) and "@" (so the domain is dropped).
        username = super().generate_unique_username(txts, regex=r"[^A-Za-z0-9_.@]")
        return username[:USERNAME_MAX_LENGTH]

    def get_client_ip(self, request) -> str:
        """allauth's own limits (password reset, login attempts) see the address ours see."""
        return client_ip(request)

    def _login_limits(self, request, credentials) -> list[tuple]:
        return login_limits.for_login(request, credentials.get("username") or credentials.get("email") or "")

    def pre_authenticate(self, request, **credentials):
        """Too many wrong passwords for this account (accounts/login_limits.py): 429 before checking."""
        login_limits.check(self._login_limits(request, credentials))

    def authentication_failed(self, request, **credentials):
        login_limits.count_failure(self._login_limits(request, credentials))

    def save_user(self, request, user, form, commit=True):
        if commit:
            ratelimit.hit("signup", client_ip(request))
        user = super().save_user(request, user, form, commit=False)
        nickname = form.cleaned_data.get("nickname")
        if nickname:
            user.nickname = nickname
        if commit:
            user.save()
            consent_record(member=user, agreed=agreed_documents(form.cleaned_data))
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

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise SocialAppMissing from error
