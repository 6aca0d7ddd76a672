import unicodedata
from urllib.parse import urlsplit

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core import login_limits, ratelimit
from core.client_ip import client_ip
from privacy.forms import agreed_documents
from privacy.models import USERNAME_QUARANTINE
from privacy.services import consent_record, username_is_retired

from .names import check_name
from .validators import USERNAME_MAX_LENGTH


def normalize_username(raw: str) -> str:
    """Handles are compared and stored in one form: NFC, trimmed, lowercase."""
    return unicodedata.normalize("NFC", raw or "").strip().lower()


def user_display(user) -> str:
    """How allauth names a member in its messages ("지우맘님, 환영해요!"): the nickname others see."""
    return user.display_name


class SocialAppMissing(Http404, SocialApp.DoesNotExist):
    """A sign-in provider without keys is a feature that is off: its pages answer 404."""


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's e-mail code step, except that the made-up one (after a sign-up or Kakao login
    with an address that already has an account, when no code is sent) does not hold the login
    page: the address's owner, told by mail, can log in with their password at once."""

    def is_resumable(self, request) -> bool:
        return self.login.user is not None and super().is_resumable(request)


def held_username_message() -> str:
    return AccountAdapter.error_messages["username_held"] % {"days": USERNAME_QUARANTINE.days}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This username is already taken."),
        # A deleted member's handle is held (privacy.services.member_delete): say so, and for how long.
        "username_held": _(
            "A member who left Petrasche used this username. It is held for %(days)d days after they "
            "leave, so choose another one."
        ),
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
            raise ValidationError(held_username_message())
        check_name(username)
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
        """Too many wrong passwords for this account (core/login_limits.py): 429 before checking."""
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

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise SocialAppMissing from error
