import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.email_code import CODE_PAGE, enter_code, latest_code
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

SIGNUP = {
    "username": "Choco_Mom",
    "nickname": "  초코   언니 ",
    "email": "choco@example.com",
    "password1": "산책은-매일-2026",
    "password2": "산책은-매일-2026",
}


@pytest.mark.django_db
class TestSignup:
    def test_signup_page_has_the_live_username_check(self, client):
        html = client.get(reverse("account_signup")).content.decode()

        assert 'data-availability-url="/api/accounts/availability/"' in html
        assert 'id="id_username_status"' in html
        assert 'aria-live="polite"' in html
        assert "username-availability.js" in html

    @pytest.mark.smoke
    def test_signup_creates_a_member_with_a_lowercase_handle_and_nickname(self, client):
        response = client.post(reverse("account_signup"), SIGNUP)

        assert response.status_code == 302
        user = User.objects.get()
        assert user.username == "choco_mom"
        assert user.nickname == "초코 언니"
        assert user.email == "choco@example.com"
        assert user.check_password(SIGNUP["password1"])
        assert EmailAddress.objects.filter(user=user, email="choco@example.com").exists()
        assert response["Location"] == CODE_PAGE
        assert enter_code(client, "choco@example.com")["Location"] == "/"
        assert client.get("/").context["user"] == user

    def test_the_address_is_confirmed_with_a_6_digit_code_on_the_next_page(self, client):
        client.post(reverse("account_signup"), SIGNUP)

        page = client.get(CODE_PAGE)
        [message] = mail.outbox
        assert page.status_code == 200
        assert "choco@example.com" in page.content.decode()
        assert 'autocomplete="one-time-code"' in page.content.decode()
        assert "전송되었습니다" not in page.content.decode(), (
            "the page says where the code went, in our voice"
        )
        assert re.search(r"^\d{6}$", message.body, re.MULTILINE)
        assert not client.get("/").context["user"].is_authenticated, "not before the code"

        wrong = client.post(
            CODE_PAGE, {"code": "000000" if latest_code("choco@example.com") != "000000" else "111111"}
        )
        assert wrong.status_code == 200
        assert not EmailAddress.objects.get(email="choco@example.com").verified

        enter_code(client, "choco@example.com")
        assert EmailAddress.objects.get(email="choco@example.com").verified
        home = client.get("/")
        assert home.context["user"].username == "choco_mom"
        assert "choco@example.com 확인을 마쳤어요" in home.content.decode()

    def test_a_new_member_lands_on_the_first_run_card_not_a_welcome_back(self, client, other_member):
        from community import services

        services.post_create(author=other_member, text="오늘도 산책 다녀왔어요")
        client.post(reverse("account_signup"), SIGNUP)
        enter_code(client, "choco@example.com")

        home = client.get("/").content.decode()

        assert "다시 오신 걸 환영해요" not in home
        assert "초코 언니님, 페트라슈에 오신 걸 환영해요!" in home
        for step in ("반려동물 등록하기", "첫 글 쓰기", "가까운 산책 찾기"):
            assert step in home
        assert "팔로우할 만한 회원" in home
        assert "콩이아빠" in home
        assert '<a href="?feed=latest" aria-current="page">' in home, "the latest posts, not an empty feed"

    def test_case_variant_of_a_taken_handle_is_refused_in_korean(self, client, member):
        response = client.post(reverse("account_signup"), {**SIGNUP, "username": "DUBU"})

        assert response.status_code == 200
        assert "이미 사용 중인 아이디예요." in response.content.decode()
        assert User.objects.count() == 1

    def test_a_handle_held_after_a_member_left_says_it_is_held_for_30_days(self, client, member):
        from privacy.services import member_delete

        member_delete(member=member, delete_content=True)

        response = client.post(reverse("account_signup"), {**SIGNUP, "username": "dubu"})

        html = response.content.decode()
        assert (
            "탈퇴한 회원이 쓰던 아이디예요. 탈퇴 후 30일 동안은 쓸 수 없으니 다른 아이디를 골라 주세요."
            in html
        )
        assert "이미 사용 중" not in html
        availability = client.get("/api/accounts/availability/", {"username": "dubu"}).json()
        assert availability["status"] == "taken"
        assert "30일" in availability["message"]

    def test_errors_are_in_english_when_the_member_chose_english(self, client, member):
        client.cookies["django_language"] = "en"

        response = client.post(reverse("account_signup"), {**SIGNUP, "username": "DUBU"})

        assert "This username is already taken." in response.content.decode()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("username", "두부", "영문 소문자"),
            ("username", "admin", "예약된 이름"),
            ("email", "not-an-email", "이메일"),
            ("password2", "different-password-1", "비밀번호"),
            ("password1", "1234", "비밀번호"),
        ],
    )
    def test_invalid_signup_explains_and_creates_nothing(self, client, field, value, message):
        data = {**SIGNUP, field: value}
        if field == "password1":
            data["password2"] = value

        response = client.post(reverse("account_signup"), data)

        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert 'aria-invalid="true"' in html
        assert User.objects.count() == 0

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("nickname", "관리자"),
            ("nickname", "운영 도우미"),
            ("nickname", "운영\u200b자"),
            ("nickname", "ＡＤＭＩＮ"),
            ("nickname", "산책대장!"),
            ("username", "ad.min"),
            ("username", "moderator_"),
        ],
    )
    def test_finding_13_names_that_pass_for_staff_are_refused_at_sign_up(self, client, field, value):
        """Anyone could sign up as "관리자" or "운영도우미", the staff's display names."""
        UserFactory(username="walkboss", nickname="산책대장", is_superuser=True)

        response = client.post(reverse("account_signup"), {**SIGNUP, field: value})

        assert response.status_code == 200
        assert "예약된 이름" in response.content.decode()
        assert not User.objects.filter(email=SIGNUP["email"]).exists()

    def test_finding_8_a_taken_address_gets_a_mail_instead_of_an_error(self, client, member):
        """Sign-up said "해당 이메일은 이미 사용되고 있습니다" for a member's address: it reveals nobody."""
        taken = client.post(reverse("account_signup"), {**SIGNUP, "email": "DUBU@example.com"})
        fresh = Client().post(
            reverse("account_signup"), {**SIGNUP, "username": "kongi2", "email": "new@example.com"}
        )

        assert taken.status_code == fresh.status_code == 302, "no error on the form"
        assert taken["Location"] == fresh["Location"] == CODE_PAGE
        assert client.get(CODE_PAGE).status_code == 200
        assert "이미" not in client.get(CODE_PAGE).content.decode()
        assert not User.objects.filter(username="choco_mom").exists()
        [told] = [
            message for message in mail.outbox if [to.lower() for to in message.to] == ["dubu@example.com"]
        ]
        assert "/accounts/password/reset/" in told.body
        assert not re.search(r"^\d{6}$", told.body, re.MULTILINE)
        member.refresh_from_db()
        assert member.check_password(DEFAULT_PASSWORD)

    def test_html_in_nickname_is_stored_as_text_and_escaped(self, client):
        client.post(reverse("account_signup"), {**SIGNUP, "nickname": "<img src=x onerror=alert(1)>"})
        enter_code(client, SIGNUP["email"])

        html = client.get("/").content.decode()
        assert "<img src=x onerror=alert(1)>" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.django_db
class TestLogin:
    def test_member_logs_in_with_handle_in_any_case(self, client, member):
        response = client.post(reverse("account_login"), {"login": "DuBu", "password": DEFAULT_PASSWORD})

        assert response.status_code == 302
        assert client.get("/").context["user"] == member

    @pytest.mark.smoke
    def test_member_logs_in_with_email(self, client, member):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
        )

        assert response.status_code == 302

    def test_a_member_whose_address_is_unconfirmed_confirms_it_at_their_next_login(self, client):
        member = UserFactory(username="dubu", email="dubu@example.com", email_verified=False)

        response = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})

        assert response["Location"] == CODE_PAGE
        assert not client.get("/").context["user"].is_authenticated
        assert enter_code(client, "dubu@example.com").status_code == 302
        assert client.get("/").context["user"] == member
        assert EmailAddress.objects.get(user=member).verified

    def test_a_member_is_welcomed_by_nickname_in_the_sites_korean(self, client, member):
        from accounts.tests.factories import DEFAULT_PASSWORD

        response = client.post(
            reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD}, follow=True
        )

        page = response.content.decode()
        assert "두부엄마님, 환영해요!" in page
        assert "dubu 으로" not in page

    def test_wrong_password_is_refused_with_a_message(self, client, member):
        response = client.post(reverse("account_login"), {"login": "dubu", "password": "nope-nope-nope"})

        assert response.status_code == 200
        assert "아이디나 비밀번호가 맞지 않아요." in response.content.decode()
        assert not client.get("/").context["user"].is_authenticated

    def test_logout_ends_the_session(self, client, member):
        client.force_login(member)

        client.post(reverse("account_logout"))

        assert not client.get("/").context["user"].is_authenticated

    def test_logout_asks_first_on_its_own_page(self, client, member):
        client.force_login(member)

        page = client.get(reverse("account_logout"))

        html = page.content.decode()
        assert page.status_code == 200
        assert "페트라슈에서 로그아웃할까요?" in html
        assert '<form method="post" action="/accounts/logout/"' in html
        assert 'class="site-header"' in html, "in the site's layout"
        assert client.get("/").context["user"] == member, "opening the page logs nobody out"

    def test_login_page_says_what_to_type_in_the_members_words(self, client):
        html = client.get(reverse("account_login")).content.decode()

        assert '<label for="id_login">아이디 또는 이메일</label>' in html
        assert "로그인 상태 유지" in html
        assert "아이디 저장" not in html
        assert html.count("비밀번호를 잊으셨나요?") == 1

    def test_password_reset_mails_a_link(self, client, member):
        response = client.post(reverse("account_reset_password"), {"email": member.email})

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert member.email in mail.outbox[0].to
        assert "/accounts/password/reset/key/" in mail.outbox[0].body

    def test_password_change_needs_the_old_password(self, client, member):
        client.force_login(member)

        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": "wrong", "password1": "새-비밀번호-2026", "password2": "새-비밀번호-2026"},
        )

        assert response.status_code == 200
        member.refresh_from_db()
        assert member.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
class TestLoginRedirect:
    @pytest.mark.parametrize("next_url", ["#comments", "?page=2", "notifications/", "#"])
    def test_finding_18_a_signed_in_member_opening_login_with_a_relative_next_goes_home(
        self, client, member, next_url
    ):
        """`/accounts/login/?next=%23…` sent a signed-in member to "#…", which is the login page
        again: the browser looped on redirects."""
        client.force_login(member)

        response = client.get(reverse("account_login"), {"next": next_url})

        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.get(reverse("account_login"), {"next": next_url}, follow=True).status_code == 200

    def test_a_path_on_the_site_is_still_where_login_leads(self, client, member):
        client.force_login(member)

        assert (
            client.get(reverse("account_login"), {"next": "/notifications/"})["Location"] == "/notifications/"
        )

    @pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/"])
    def test_other_sites_are_never_where_login_leads(self, client, member, next_url):
        client.force_login(member)

        assert client.get(reverse("account_login"), {"next": next_url})["Location"] == "/"
