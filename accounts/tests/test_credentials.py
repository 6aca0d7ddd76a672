"""Credentials have one version: every event that changes a member's credentials ends every other
session, every token made before (401) and every open socket.

One test per event, each covering a session in another browser, an access token, a refresh token
and chat sockets (by session and by token) on the real channel layer (in-memory and Redis).
Kakao is faked at the HTTP layer only, as in test_kakao.py.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from allauth.socialaccount.models import SocialAccount
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.email_code import enter_code
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_kakao import callback, configure_kakao, kakao_user, stub_kakao
from chat import services as chat_services
from chat.realtime import CLOSE_UNAUTHENTICATED
from chat.tests.sockets import ORIGIN, Socket, application, open_socket
from moderation.models import ActionKind
from moderation.tests.factories import act, report
from site_core.tests.browser import ensure_home_page
from walks.demo import ensure_walk_pages
from walks.tests.factories import WalkFactory

NEW_PASSWORD = "새-비밀번호-산책-2026"
SIGNED_IN_PAGE = "/chat/"  # any page for signed-in members (others are sent to log in)
SQUATTER_PASSWORD = "가로채기-비밀번호-2026"
OWNER_KAKAO_UID = 2718281828


@dataclass
class SignIns:
    """What a member signed in with before the event: a browser session and an API token pair."""

    session: Client
    access: str
    refresh: str

    def answers(self) -> dict[str, int]:
        """The status each one gets now (a refresh that works rotates the stored token)."""
        page = self.session.get(SIGNED_IN_PAGE)
        me = APIClient(headers={"Authorization": f"Bearer {self.access}"}).get("/api/accounts/me/")
        refreshed = APIClient().post("/api/auth/token/refresh/", {"refresh": self.refresh}, format="json")
        if refreshed.status_code == 200:
            self.refresh = refreshed.json()["refresh"]
        return {"session": page.status_code, "access": me.status_code, "refresh": refreshed.status_code}


WORKING = {"session": 200, "access": 200, "refresh": 200}
ENDED = {"session": 302, "access": 401, "refresh": 401}


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def token_pair(username: str, password: str = DEFAULT_PASSWORD) -> tuple[str, str]:
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["access"], response.json()["refresh"]


def sign_in_everywhere(member, password: str = DEFAULT_PASSWORD) -> SignIns:
    access, refresh = token_pair(member.username, password)
    return SignIns(session=signed_in(member), access=access, refresh=refresh)


def walk_room_of(*members) -> int:
    ensure_home_page()
    walk = WalkFactory(host=members[0], board=ensure_walk_pages()["seoul-gangnam"])
    chat_services.walk_room_sync(walk_id=walk.pk, member_ids=[member.pk for member in members])
    return chat_services.Room.objects.get(walk=walk).pk


async def session_socket(room_id: int, session: Client) -> Socket:
    cookie = f"sessionid={session.cookies['sessionid'].value}".encode()
    path = f"/ws/chat/{room_id}/"
    return await Socket(
        WebsocketCommunicator(application(), path, headers=[ORIGIN, (b"cookie", cookie)])
    ).open()


async def open_sockets(room_id: int, sign_ins: SignIns) -> list[Socket]:
    """A chat socket by the session and one by the access token, both live."""
    sockets = [
        await session_socket(room_id, sign_ins.session),
        await open_socket(room_id, auth="subprotocol", token=sign_ins.access),
    ]
    assert [sock.history is not None for sock in sockets] == [True, True]
    return sockets


async def assert_everything_ended(sign_ins: SignIns, sockets: list[Socket]) -> None:
    assert await database_sync_to_async(sign_ins.answers)() == ENDED
    for sock in sockets:
        assert await sock.closed_with() == CLOSE_UNAUTHENTICATED


async def before_the_event(member, password: str = DEFAULT_PASSWORD) -> tuple[SignIns, list[Socket], int]:
    room_id = await database_sync_to_async(walk_room_of)(member, await database_sync_to_async(UserFactory)())
    sign_ins = await database_sync_to_async(sign_in_everywhere)(member, password)
    assert await database_sync_to_async(sign_ins.answers)() == WORKING
    return sign_ins, await open_sockets(room_id, sign_ins), room_id


async def page_status(client: Client) -> int:
    return (await database_sync_to_async(client.get)(SIGNED_IN_PAGE)).status_code


@pytest.fixture
def kakao_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def kakao_start(client: Client, process: str) -> str:
    response = client.post(reverse("kakao_login"), {"process": process})
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["state"][0]


def kakao_round_trip(client: Client, process: str):
    return callback(client, kakao_start(client, process))


# ------------------------------------------------------------------------------- every event


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.usefixtures("channel_layer")
class TestEveryEventEndsEveryOtherSignIn:
    async def test_changing_the_password_ends_other_sessions_tokens_and_sockets(self, member):
        sign_ins, sockets, room_id = await before_the_event(member)
        changer = await database_sync_to_async(signed_in)(member)

        response = await database_sync_to_async(changer.post)(
            reverse("account_change_password"),
            {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        assert response.status_code == 302
        await assert_everything_ended(sign_ins, sockets)
        assert await page_status(changer) == 200, "the session that changed it stays signed in"
        again = await session_socket(room_id, changer)
        assert again.history is not None
        await again.close()

    async def test_resetting_the_password_ends_sessions_tokens_and_sockets(self, member):
        sign_ins, sockets, _room_id = await before_the_event(member)
        visitor = Client()

        await database_sync_to_async(visitor.post)(reverse("account_reset_password"), {"email": member.email})
        link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)[1]
        form = await database_sync_to_async(visitor.get)(link)
        response = await database_sync_to_async(visitor.post)(
            form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

        assert response.status_code == 302
        await assert_everything_ended(sign_ins, sockets)
        await database_sync_to_async(token_pair)(member.username, NEW_PASSWORD)

    async def test_finding_2_the_owner_taking_back_a_squatted_address_ends_the_squatters_way_in(
        self, settings, kakao_http
    ):
        """Someone signed up with the owner's address, never confirmed. The squatter gets no API
        token for it; Kakao does not connect to it (the owner gets the "account exists" mail
        instead); when the owner takes the account back with the mail's link, the squatter's
        session and sockets end there."""
        configure_kakao(settings)
        settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
        squatter = Client()
        signup = await database_sync_to_async(squatter.post)(
            reverse("account_signup"),
            {
                "username": "squatter",
                "nickname": "가짜주인",
                "email": "owner@example.com",
                "password1": SQUATTER_PASSWORD,
                "password2": SQUATTER_PASSWORD,
            },
        )
        assert signup.status_code == 302
        account = await database_sync_to_async(User.objects.get)(username="squatter")
        refused = await database_sync_to_async(APIClient().post)(
            "/api/auth/token/", {"username": "squatter", "password": SQUATTER_PASSWORD}, format="json"
        )
        assert (refused.status_code, refused.json()["code"]) == (403, "email_unconfirmed")
        room_id = await database_sync_to_async(walk_room_of)(
            account, await database_sync_to_async(UserFactory)()
        )
        socket = await session_socket(room_id, squatter)
        assert socket.history is not None

        owner = Client()
        stub_kakao(kakao_http, kakao_user(OWNER_KAKAO_UID, "owner@example.com", "진짜주인"))
        await database_sync_to_async(kakao_round_trip)(owner, "login")
        assert not await database_sync_to_async(SocialAccount.objects.exists)()
        await database_sync_to_async(owner.post)(
            reverse("account_reset_password"), {"email": "owner@example.com"}
        )
        link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)[1]
        form = await database_sync_to_async(owner.get)(link)
        taken_back = await database_sync_to_async(owner.post)(
            form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

        assert taken_back.status_code == 302
        assert await page_status(squatter) == 302, "the squatter's session ended"
        assert await socket.closed_with() == CLOSE_UNAUTHENTICATED

    async def test_connecting_kakao_in_the_settings_ends_other_sessions_tokens_and_sockets(
        self, member, settings, kakao_http
    ):
        configure_kakao(settings)
        sign_ins, sockets, _room_id = await before_the_event(member)
        connecting = await database_sync_to_async(signed_in)(member)

        stub_kakao(kakao_http, kakao_user(OWNER_KAKAO_UID, "dubu.kakao@example.com"))
        await database_sync_to_async(kakao_round_trip)(connecting, "connect")

        assert await database_sync_to_async(SocialAccount.objects.filter(user=member).exists)()
        await assert_everything_ended(sign_ins, sockets)
        assert await page_status(connecting) == 200, "the session that connected it stays signed in"

    async def test_a_ban_ends_sessions_tokens_and_sockets(self, member):
        sign_ins, sockets, _room_id = await before_the_event(member)
        moderator = await database_sync_to_async(UserFactory)(username="modu", is_superuser=True)

        await database_sync_to_async(
            lambda: act(report(moderator, member, target_type="member"), moderator, ActionKind.BAN, "사기")
        )()

        await assert_everything_ended(sign_ins, sockets)

    async def test_leaving_ends_sessions_tokens_and_sockets(self, member):
        sign_ins, sockets, _room_id = await before_the_event(member)
        leaving = await database_sync_to_async(signed_in)(member)

        response = await database_sync_to_async(leaving.post)(
            "/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "keep", "confirm": "on"}
        )

        assert response.status_code == 302
        for sock in sockets:
            # The seats go first (4403, chat.membership), then the credentials (4401): either closes it.
            assert await sock.closed_with() is not None
        assert await database_sync_to_async(sign_ins.answers)() == ENDED
        assert await page_status(leaving) == 302


# ------------------------------------------------------------------------------- tokens


@pytest.mark.django_db
class TestTokens:
    @pytest.mark.parametrize("event", ["change", "reset"])
    def test_finding_3_refresh_tokens_stop_at_a_password_change_or_reset(self, member, event):
        access, refresh = token_pair(member.username)
        rotated = APIClient().post("/api/auth/token/refresh/", {"refresh": refresh}, format="json").json()

        if event == "change":
            signed_in(member).post(
                reverse("account_change_password"),
                {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            )
        else:
            form = SetPasswordForm(member, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
            assert form.is_valid(), form.errors
            form.save()

        for token in (refresh, rotated["refresh"]):
            answer = APIClient().post("/api/auth/token/refresh/", {"refresh": token}, format="json")
            assert answer.status_code == 401
        for token in (access, rotated["access"]):
            me = APIClient(headers={"Authorization": f"Bearer {token}"}).get("/api/accounts/me/")
            assert me.status_code == 401
        assert me.json()["code"] == "credentials_changed"
        fresh_access, fresh_refresh = token_pair(member.username, NEW_PASSWORD)
        assert (
            APIClient(headers={"Authorization": f"Bearer {fresh_access}"})
            .get("/api/accounts/me/")
            .status_code
            == 200
        )
        renewed = APIClient().post("/api/auth/token/refresh/", {"refresh": fresh_refresh}, format="json")
        assert renewed.status_code == 200

    def test_a_refused_token_says_why_in_the_members_language(self, member):
        access, _refresh = token_pair(member.username)
        member.set_password(NEW_PASSWORD)
        member.save()

        me = APIClient(headers={"Authorization": f"Bearer {access}"}).get("/api/accounts/me/")

        assert me.status_code == 401
        assert me.json()["code"] == "credentials_changed"
        assert "다시 로그인" in me.json()["detail"]

    def test_tokens_from_before_credentials_had_versions_work_until_the_first_change(self, member):
        """Tokens and sessions made before this release carry no version: they count as version 0,
        the version of every member whose credentials never changed since, so nobody is signed out
        by the upgrade itself."""
        from rest_framework_simplejwt.tokens import RefreshToken

        from accounts.tokens import CREDENTIALS_CLAIM

        old = RefreshToken.for_user(member)
        assert CREDENTIALS_CLAIM not in old.payload
        assert (
            APIClient().post("/api/auth/token/refresh/", {"refresh": str(old)}, format="json").status_code
            == 200
        )

        newer = RefreshToken.for_user(member)
        member.set_password(NEW_PASSWORD)
        member.save()

        assert (
            APIClient().post("/api/auth/token/refresh/", {"refresh": str(newer)}, format="json").status_code
            == 401
        )

    def test_a_refresh_token_of_a_member_who_is_gone_gets_401(self, member):
        _access, refresh = token_pair(member.username)
        member.delete()

        answer = APIClient().post("/api/auth/token/refresh/", {"refresh": refresh}, format="json")

        assert answer.status_code == 401


# ------------------------------------------------------------------------------- every door


def change_on_the_site(member) -> None:
    signed_in(member).post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def set_on_the_site(member) -> None:
    """A member who signed up with Kakao (no password) sets one."""
    User.objects.filter(pk=member.pk).update(password=make_password(None))
    response = signed_in(User.objects.get(pk=member.pk)).post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302


def set_in_an_admin(member) -> None:
    """The form both admins' "change password" pages save."""
    form = SetPasswordForm(member, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()


def set_by_a_command(member) -> None:
    """What ``manage.py changepassword`` does."""
    member.set_password(NEW_PASSWORD)
    member.save()


def wiped(member) -> None:
    """What allauth does to an account whose unverified address Kakao vouches for."""
    member.set_unusable_password()
    member.save(update_fields=["password"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "door", [change_on_the_site, set_on_the_site, set_in_an_admin, set_by_a_command, wiped]
)
def test_every_door_that_sets_or_wipes_a_password_raises_the_version(member, door):
    other_session = signed_in(member)
    _access, refresh = token_pair(member.username)

    door(User.objects.get(pk=member.pk))

    assert User.objects.get(pk=member.pk).credentials_version == 1
    assert other_session.get(SIGNED_IN_PAGE).status_code == 302
    assert (
        APIClient().post("/api/auth/token/refresh/", {"refresh": refresh}, format="json").status_code == 401
    )


@pytest.mark.django_db
def test_signing_up_and_logging_in_change_no_credentials(client):
    client.post(
        reverse("account_signup"),
        {
            "username": "choco",
            "nickname": "초코",
            "email": "choco@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert enter_code(client, "choco@example.com").status_code == 302
    other = Client()
    other.post(reverse("account_login"), {"login": "choco", "password": NEW_PASSWORD})
    token_pair("choco", NEW_PASSWORD)

    assert User.objects.get(username="choco").credentials_version == 0
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    assert other.get(SIGNED_IN_PAGE).status_code == 200
