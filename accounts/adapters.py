import unicodedata
from urllib.parse import urlsplit

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from privacy.forms import agreed_documents
from privacy.services import consent_record, username_is_retired
from site_core import ratelimit

from .names import check_name
from .validators import USERNAME_MAX_LENGTH


def normalize_username(raw: str) -> str:
    """Handles are compared and stored in one form: NFC, trimmed, lowercase."""
    return unicodedata.normalize("NFC", raw or "").strip().lower()


def failed_login_keys(request, login: str) -> tuple[tuple, tuple]:
    """Failed logins are counted per address and per login (RATE_LIMITS["login_failed"])."""
    return ("ip", ratelimit.client_ip(request)), ("login", normalize_username(login))


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's e-mail code step, except that the made-up one (after a sign-up or Kakao login
    with an address that already has an account, when no code is sent) does not hold the login
    page: the address's owner, told by mail, can log in with their password at once."""

    def is_resumable(self, request) -> bool:
        return self.login.user is not None and super().is_resumable(request)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This username is already taken."),
        "incorrect_code": _("That code is not right. Check the latest e-mail from us and try again."),
    }

    def get_login_stages(self) -> list[str]:
        ours = f"{EmailVerificationStage.__module__}.{EmailVerificationStage.__qualname__}"
        return [
            ours if path == "allauth.account.stages.EmailVerificationStage" else path
            for path in super().get_login_stages()
        ]

    def is_safe_url(self, url: str) -> bool:
        """Redirects go to a path from the site's root or an absolute URL of this site. A
        relative one ("#…", "?…", "page/") resolves against the page it is on: the login page
        sends a signed-in member straight back to itself, without end."""
        if not url.startswith("/") and not urlsplit(url).scheme:
            return False
        return super().is_safe_url(url)

    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = normalize_username(username)
        if not shallow and username_is_retired(username):
            raise ValidationError(self.error_messages["username_taken"])
        check_name(username)
        return super().clean_username(username, shallow=shallow)

    def generate_unique_username(self, txts, regex=None):
        # allauth strips with the regex before lowercasing and before cutting an e-mail
        # address at "@": keep capitals (lowercased later) and "@" (so the domain is dropped).
        username = super().generate_unique_username(txts, regex=r"[^A-Za-z0-9_.@]")
        return username[:USERNAME_MAX_LENGTH]

    def _login_keys(self, request, credentials) -> tuple[tuple, tuple]:
        return failed_login_keys(request, credentials.get("username") or credentials.get("email") or "")

    def pre_authenticate(self, request, **credentials):
        """Too many failed logins from this address or for this login: 429 before checking."""
        for key in self._login_keys(request, credentials):
            ratelimit.check("login_failed", *key)

    def authentication_failed(self, request, **credentials):
        for key in self._login_keys(request, credentials):
            ratelimit.count("login_failed", *key)

    def save_user(self, request, user, form, commit=True):
        if commit:
            ratelimit.hit("signup", ratelimit.client_ip(request))
        user = super().save_user(request, user, form, commit=False)
        nickname = form.cleaned_data.get("nickname")
        if nickname:
            user.nickname = nickname
        if commit:
            user.save()
            consent_record(member=user, agreed=agreed_documents(form.cleaned_data))
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def authenticate_by_email(self, sociallogin):
        """Kakao's verified address signs into the member who has it only if they confirmed it
        here too. Anyone could sign up with someone else's address and wait for its owner to
        arrive with Kakao; the owner instead gets allauth's "an account already exists" mail
        and proves the account is theirs (their password, or the mail's link to set a new one,
        then the code we e-mail at login), after which Kakao connects."""
        match = super().authenticate_by_email(sociallogin)
        if match is None:
            return None
        user, email = match
        if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            return None
        return match

    def populate_user(self, request, sociallogin, data):
        """Kakao gives a display name, not a handle: keep it as the nickname and let
        the account adapter generate a valid handle from the e-mail address."""
        nickname = " ".join((data.get("username") or "").split())[:30]
        try:
            check_name(nickname)
        except ValidationError:
            nickname = ""  # known by their handle instead of a name reserved for staff
        user = super().populate_user(request, sociallogin, {**data, "username": ""})
        user.nickname = nickname
        return user

    def is_open_for_signup(self, request, sociallogin):
        return getattr(settings, "SOCIALACCOUNT_SIGNUP_OPEN", True)
