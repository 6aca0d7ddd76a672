"""The whole Kakao OAuth2 flow, end to end through allauth.

Only the network is faked: Kakao's token endpoint and user-info endpoint are stubbed at
the HTTP layer with ``responses`` (any other outgoing request fails the test). Our
adapters, allauth's views, the session and the database all run for real. The provider
is configured through settings, the way base.py does it from KAKAO_CLIENT_ID.
"""

import copy
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base.constants import AuthError
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from accounts.models import User
from accounts.tests.email_code import CODE_PAGE, enter_code
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.validators import username_validators

KAKAO_AUTHORIZE_URL = "https://kauth.kakao.com/oauth/authorize"
KAKAO_TOKEN_URL = "https://kauth.kakao.com/oauth/token"
KAKAO_USER_ME_URL = "https://kapi.kakao.com/v2/user/me"

CLIENT_ID = "test-kakao-rest-api-key"
CLIENT_SECRET = "test-kakao-client-secret"
ACCESS_TOKEN = "kakao-access-token-for-tests"
CALLBACK_URL = "http://testserver/accounts/kakao/login/callback/"

CHOCO_UID = 3141592653
MEMBER_KAKAO_UID = 2718281828


def kakao_user(uid, email, nickname="초코맘", *, verified=True):
    """A /v2/user/me body shaped like Kakao's (consented: profile_nickname, account_email)."""
    return {
        "id": uid,
        "connected_at": "2026-03-01T09:00:00Z",
        "properties": {"nickname": nickname},
        "kakao_account": {
            "profile_nickname_needs_agreement": False,
            "profile": {"nickname": nickname, "is_default_nickname": False},
            "has_email": True,
            "email_needs_agreement": False,
            "is_email_valid": True,
            "is_email_verified": verified,
            "email": email,
        },
    }


def kakao_token():
    return {
        "token_type": "bearer",
        "access_token": ACCESS_TOKEN,
        "expires_in": 21599,
        "refresh_token": "kakao-refresh-token-for-tests",
        "refresh_token_expires_in": 5183999,
        "scope": "account_email profile_nickname",
    }


def configure_kakao(settings):
    providers = copy.deepcopy(django_settings.SOCIALACCOUNT_PROVIDERS)
    providers.setdefault("kakao", {})["APPS"] = [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET, "key": ""}]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.KAKAO_CLIENT_ID = CLIENT_ID
    settings.KAKAO_CLIENT_SECRET = CLIENT_SECRET


def unconfigure_kakao(settings):
    providers = copy.deepcopy(django_settings.SOCIALACCOUNT_PROVIDERS)
    providers.setdefault("kakao", {})["APPS"] = []
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.KAKAO_CLIENT_ID = ""
    settings.KAKAO_CLIENT_SECRET = ""


@pytest.fixture
def kakao(settings, db):
    configure_kakao(settings)


@pytest.fixture
def kakao_http():
    """Kakao's servers. Tests register the answers; anything unregistered fails."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def stub_kakao(rsps, user_me):
    rsps.add(responses.POST, KAKAO_TOKEN_URL, json=kakao_token())
    rsps.add(responses.GET, KAKAO_USER_ME_URL, json=user_me)


def start_login(client):
    """POST the Kakao button; return the `state` allauth put in the authorize URL."""
    response = client.post(reverse("kakao_login"), {"process": "login"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == KAKAO_AUTHORIZE_URL
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK_URL]
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {"profile_nickname", "account_email"}
    (state,) = query["state"]
    assert state
    return state


def callback(client, state, code="kakao-auth-code", **extra):
    return client.get(reverse("kakao_callback"), {"code": code, "state": state, **extra})


def logged_in_user_id(client):
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def token_request(rsps):
    calls = [call for call in rsps.calls if call.request.url == KAKAO_TOKEN_URL]
    assert len(calls) == 1, [call.request.url for call in rsps.calls]
    return calls[0].request


def assert_token_request(rsps, code):
    request = token_request(rsps)
    assert request.method == "POST"
    body = parse_qs(request.body)
    assert body["client_id"] == [CLIENT_ID]
    assert body["client_secret"] == [CLIENT_SECRET]
    assert body["code"] == [code]
    assert body["grant_type"] == ["authorization_code"]
    assert body["redirect_uri"] == [CALLBACK_URL]
    me_calls = [call for call in rsps.calls if call.request.url.startswith(KAKAO_USER_ME_URL)]
    assert len(me_calls) == 1
    assert me_calls[0].request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"


def assert_valid_handle(username):
    for validator in username_validators:
        try:
            validator(username)
        except ValidationError as error:  # pragma: no cover - the message is the point
            pytest.fail(f"generated handle {username!r} is invalid: {error.messages}")


# a) A new Kakao user gets an account.


@pytest.mark.usefixtures("kakao")
class TestNewKakaoMember:
    def test_first_login_creates_member_with_kakao_nickname(self, client, kakao_http):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, "choco@example.com", "초코맘"))

        state = start_login(client)
        response = callback(client, state, code="first-code")

        assert response.status_code == 302
        assert response["Location"] == django_settings.LOGIN_REDIRECT_URL
        assert_token_request(kakao_http, "first-code")

        user = User.objects.get(email="choco@example.com")
        assert user.nickname == "초코맘"
        assert user.display_name == "초코맘"
        assert_valid_handle(user.username)
        assert user.username == "choco"
        assert not user.has_usable_password()

        account = SocialAccount.objects.get(provider="kakao")
        assert account.user == user
        assert account.uid == str(CHOCO_UID)
        assert account.extra_data["kakao_account"]["email"] == "choco@example.com"

        email = EmailAddress.objects.get(user=user)
        assert (email.email, email.verified, email.primary) == ("choco@example.com", True, True)

        assert logged_in_user_id(client) == user.pk
        home = client.get("/")
        assert home.wsgi_request.user == user

    def test_second_login_reuses_the_same_member(self, client, kakao_http):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, "choco@example.com"))
        callback(client, start_login(client))
        user = User.objects.get(email="choco@example.com")
        client.logout()

        callback(client, start_login(client), code="second-code")

        assert User.objects.filter(email="choco@example.com").count() == 1
        assert SocialAccount.objects.filter(provider="kakao").count() == 1
        assert logged_in_user_id(client) == user.pk

    @pytest.mark.parametrize(
        ("email", "expected"),
        [
            # Handles are public: made from the part before "@" only, never the domain,
            # and capital letters are lowercased rather than dropped.
            ("choco@example.com", "choco"),
            ("ChocoMom@Example.com", "chocomom"),
            ("choco.mom@kakao.com", "choco.mom"),
        ],
    )
    def test_handle_is_made_from_the_email_address(self, client, kakao_http, email, expected):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, email))

        callback(client, start_login(client))

        user = User.objects.get(socialaccount__provider="kakao")
        assert user.username == expected
        assert_valid_handle(user.username)
        assert logged_in_user_id(client) == user.pk

    @pytest.mark.parametrize(
        "email",
        [
            "dubu@kakao.com",  # the handle "dubu" is already taken by a member
            "admin@kakao.com",  # reserved
            "jo@kakao.com",  # too short
            "a.very.long.local.part.for.kakao@kakao.com",  # too long
            "_choco_@kakao.com",  # starts with an underscore
        ],
    )
    def test_generated_handle_always_passes_our_rules(self, client, kakao_http, member, email):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, email))

        callback(client, start_login(client))

        user = User.objects.get(socialaccount__provider="kakao")
        assert user != member
        assert user.email == email
        assert user.nickname == "초코맘"
        assert_valid_handle(user.username)
        assert User.objects.filter(username=user.username).count() == 1
        assert logged_in_user_id(client) == user.pk


# b) and c) A Kakao e-mail address that a member already uses.
#
# The rule (allauth SOCIALACCOUNT_EMAIL_AUTHENTICATION with _AUTO_CONNECT, narrowed by
# accounts.adapters.SocialAccountAdapter.authenticate_by_email): only an address Kakao reports
# as verified (`is_email_verified: true`) is looked up, and it signs into (and connects Kakao
# to) the member who has it only if that member confirmed it here too. Otherwise anyone could
# sign up with someone else's address and wait for its owner to arrive with Kakao (finding 2
# of issue 17): the owner gets the "an account already exists" mail instead, proves the
# account is theirs (their password, or the mail's link to set a new one, then the code we
# e-mail at login), and Kakao connects after that. Nothing tells the visitor whether the
# address belongs to a member.


def assert_told_by_mail_only(response, email):
    """The visitor sees the code page, as after any sign-up; the address's owner gets the
    "someone tried to sign up with your address" mail with the way to prove the account."""
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    [message] = [message for message in mail.outbox if email in message.to]
    assert "/accounts/password/reset/" in message.body
    assert not re.search(r"^\d{6}$", message.body, re.MULTILINE), "no code: there is nothing to confirm"


@pytest.mark.usefixtures("kakao")
class TestExistingMemberEmail:
    def test_verified_kakao_email_links_to_the_existing_member(self, client, kakao_http, member):
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com", "두부", verified=True))
        users_before = User.objects.count()

        response = callback(client, start_login(client), code="member-code")

        assert response.status_code == 302
        assert_token_request(kakao_http, "member-code")
        assert User.objects.count() == users_before
        account = SocialAccount.objects.get(provider="kakao")
        assert account.user == member
        assert account.uid == str(MEMBER_KAKAO_UID)
        assert logged_in_user_id(client) == member.pk

        member.refresh_from_db()
        assert member.username == "dubu"
        assert member.nickname == "두부엄마"  # the Kakao nickname does not overwrite theirs
        assert member.check_password(DEFAULT_PASSWORD)  # verified locally: password kept

    def test_email_match_ignores_case(self, client, kakao_http, member):
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "Dubu@Example.COM"))

        callback(client, start_login(client))

        assert SocialAccount.objects.get(provider="kakao").user == member
        assert logged_in_user_id(client) == member.pk

    def test_finding_2_kakao_never_connects_to_a_member_whose_address_is_unverified(self, client, kakao_http):
        """A squatter signed up with the owner's address (never confirmed) and kept a way in."""
        squatter = UserFactory(username="squatter", email="dubu@example.com", email_verified=False)
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))
        users_before = User.objects.count()

        response = callback(client, start_login(client))

        assert logged_in_user_id(client) is None
        assert not SocialAccount.objects.exists()
        assert User.objects.count() == users_before
        assert_told_by_mail_only(response, "dubu@example.com")
        squatter.refresh_from_db()
        assert squatter.check_password(DEFAULT_PASSWORD), "nothing changed until the owner acts"
        assert client.get(CODE_PAGE).status_code == 200
        assert enter_code_anyway(client).status_code == 200, "no code opens anything"
        assert logged_in_user_id(client) is None

    def test_the_owner_proves_the_account_with_the_password_and_the_code_then_kakao_connects(
        self, client, kakao_http
    ):
        member = UserFactory(username="dubu", email="dubu@example.com", email_verified=False)
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))
        callback(client, start_login(client))
        assert not SocialAccount.objects.exists()

        login = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})
        assert login["Location"] == CODE_PAGE
        assert logged_in_user_id(client) is None, "not before the code"
        assert enter_code(client, "dubu@example.com").status_code == 302
        assert logged_in_user_id(client) == member.pk
        client.post(reverse("account_logout"))

        callback(client, start_login(client), code="second-code")

        assert SocialAccount.objects.get(provider="kakao").user == member
        assert logged_in_user_id(client) == member.pk
        member.refresh_from_db()
        assert member.check_password(DEFAULT_PASSWORD)

    def test_the_owner_proves_the_account_with_the_mails_link_and_the_squatters_password_ends(
        self, client, kakao_http
    ):
        squatter = UserFactory(username="squatter", email="dubu@example.com", email_verified=False)
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))
        callback(client, start_login(client))
        [message] = mail.outbox
        reset_page = re.search(r"http://testserver(/accounts/password/reset/)", message.body).group(1)
        client.post(reset_page, {"email": "dubu@example.com"})
        reset_url = re.search(
            r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body
        ).group(1)
        new_password = "내-계정을-되찾았어요-2026"

        form = client.get(reset_url, follow=True)
        client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
        client.post(reverse("account_login"), {"login": "dubu@example.com", "password": new_password})
        enter_code(client, "dubu@example.com")
        client.post(reverse("account_logout"))
        callback(client, start_login(client), code="second-code")

        assert SocialAccount.objects.get(provider="kakao").user == squatter
        assert logged_in_user_id(client) == squatter.pk
        squatter.refresh_from_db()
        assert not squatter.check_password(DEFAULT_PASSWORD), "the squatter's password no longer opens it"

    def test_unverified_kakao_email_does_not_log_into_the_member(self, client, kakao_http, member):
        stub_kakao(kakao_http, kakao_user(666, "dubu@example.com", "가짜두부", verified=False))
        users_before = User.objects.count()

        response = callback(client, start_login(client), code="attacker-code")

        assert_token_request(kakao_http, "attacker-code")
        assert logged_in_user_id(client) is None
        assert not SocialAccount.objects.exists()
        assert User.objects.count() == users_before
        # With the address taken, the visitor is told nothing but what any sign-up shows.
        assert_told_by_mail_only(response, "dubu@example.com")
        member.refresh_from_db()
        assert member.check_password(DEFAULT_PASSWORD)


def enter_code_anyway(client):
    return client.post(CODE_PAGE, {"code": "123456"})


@pytest.mark.usefixtures("kakao")
class TestNewKakaoMemberWithAnUnverifiedAddress:
    def test_a_kakao_address_kakao_has_not_verified_is_confirmed_with_a_code_first(self, client, kakao_http):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, "choco@example.com", verified=False))

        response = callback(client, start_login(client))

        assert response["Location"] == CODE_PAGE
        assert logged_in_user_id(client) is None
        assert enter_code(client, "choco@example.com").status_code == 302
        user = User.objects.get(email="choco@example.com")
        assert logged_in_user_id(client) == user.pk
        assert EmailAddress.objects.get(user=user).verified


# d) The state parameter.


def assert_authentication_error_page(response):
    assert response.status_code == 401
    assert "socialaccount/authentication_error.html" in [t.name for t in response.templates]
    assert response.context["auth_error"]["code"] == AuthError.UNKNOWN
    # The heading, in whatever language the page was rendered in.
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        heading = str(conditional_escape(translation.gettext("Third-Party Login Failure")))
    assert heading in response.content.decode()


@pytest.mark.usefixtures("kakao")
class TestState:
    @pytest.mark.parametrize(
        "state",
        ["forged-state", "", None],
        ids=["wrong", "empty", "missing"],
    )
    def test_callback_with_a_bad_state_is_refused(self, client, kakao_http, member, state):
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))
        start_login(client)  # a genuine state exists in the session, just not this one
        users_before = User.objects.count()

        params = {"code": "stolen-code"}
        if state is not None:
            params["state"] = state
        response = client.get(reverse("kakao_callback"), params)

        assert_authentication_error_page(response)
        assert len(kakao_http.calls) == 0
        assert logged_in_user_id(client) is None
        assert User.objects.count() == users_before
        assert not SocialAccount.objects.exists()

    def test_state_from_another_browser_is_refused(self, client, kakao_http, member):
        """Login CSRF: an attacker's own valid state, replayed in the victim's browser."""
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))
        attacker_state = start_login(Client())

        response = callback(client, attacker_state)

        assert_authentication_error_page(response)
        assert len(kakao_http.calls) == 0
        assert logged_in_user_id(client) is None
        assert not SocialAccount.objects.exists()

    def test_state_cannot_be_used_twice(self, client, kakao_http):
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, "choco@example.com"))
        state = start_login(client)
        callback(client, state)
        assert logged_in_user_id(client) is not None
        client.logout()
        kakao_http.calls.reset()

        response = callback(client, state)

        assert_authentication_error_page(response)
        assert len(kakao_http.calls) == 0
        assert logged_in_user_id(client) is None


# e) Nothing the browser sends decides who logs in.


@pytest.mark.usefixtures("kakao")
class TestIdentityComesFromKakao:
    def test_extra_query_params_do_not_pick_the_account(self, client, kakao_http, member):
        SocialAccount.objects.create(user=member, provider="kakao", uid=str(MEMBER_KAKAO_UID))
        stub_kakao(kakao_http, kakao_user(CHOCO_UID, "choco@example.com"))

        response = callback(
            client,
            start_login(client),
            code="choco-code",
            email="dubu@example.com",
            uid=str(MEMBER_KAKAO_UID),
            id=str(MEMBER_KAKAO_UID),
            username="dubu",
            is_email_verified="true",
        )

        assert response.status_code == 302
        assert_token_request(kakao_http, "choco-code")
        choco = User.objects.get(email="choco@example.com")
        assert logged_in_user_id(client) == choco.pk
        assert logged_in_user_id(client) != member.pk
        assert SocialAccount.objects.get(uid=str(CHOCO_UID)).user == choco
        assert SocialAccount.objects.get(uid=str(MEMBER_KAKAO_UID)).user == member
        assert choco.username != "dubu"

    def test_extra_query_params_do_not_redirect_a_member_elsewhere(self, client, kakao_http, member):
        SocialAccount.objects.create(user=member, provider="kakao", uid=str(MEMBER_KAKAO_UID))
        other = UserFactory(username="kongi", email="kongi@example.com")
        stub_kakao(kakao_http, kakao_user(MEMBER_KAKAO_UID, "dubu@example.com"))

        callback(client, start_login(client), email="kongi@example.com", uid="1")

        assert logged_in_user_id(client) == member.pk
        assert not SocialAccount.objects.filter(user=other).exists()


# f) The Kakao button.


@pytest.mark.django_db
class TestKakaoButton:
    @pytest.mark.parametrize("page", ["account_login", "account_signup"])
    def test_button_shows_when_kakao_is_configured(self, client, settings, page):
        configure_kakao(settings)

        response = client.get(reverse(page))

        assert response.status_code == 200
        assert response.context["kakao_login_enabled"] is True
        content = response.content.decode()
        assert f'action="{reverse("kakao_login")}?process=login"' in content
        assert "button--kakao" in content

    @pytest.mark.parametrize("page", ["account_login", "account_signup"])
    def test_button_is_absent_when_kakao_is_not_configured(self, client, settings, page):
        unconfigure_kakao(settings)

        response = client.get(reverse(page))

        assert response.status_code == 200
        assert response.context["kakao_login_enabled"] is False
        content = response.content.decode()
        assert reverse("kakao_login") not in content
        assert "button--kakao" not in content
