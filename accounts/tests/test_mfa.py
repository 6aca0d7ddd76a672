import pytest
from allauth.mfa.models import Authenticator

from accounts.tests.factories import UserFactory
from accounts.tests.second_factor import totp_authenticator

# A screen of django-q2's, which the Django admin is kept for.
DJANGO_ADMIN_SCREEN = "/django-admin/django_q/schedule/"


@pytest.fixture
def staff(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.mark.django_db
class TestStaffSecondFactor:
    def test_staff_without_totp_are_sent_to_set_it_up_before_the_admin(self, client, staff):
        client.force_login(staff)

        response = client.get("/admin/pages/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
        setup = client.get(response["Location"])
        assert setup["Location"].startswith("/accounts/reauthenticate/"), "the password is confirmed first"

    def test_after_setting_up_totp_a_moderator_lands_on_the_admin_page_they_asked_for(
        self, client, moderator
    ):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        from accounts.tests.factories import DEFAULT_PASSWORD

        client.force_login(moderator)
        setup_url = client.get("/admin/pages/")["Location"]
        password_step = client.get(setup_url)["Location"]
        setup = client.post(password_step, {"password": DEFAULT_PASSWORD}, follow=True)
        code = format_hotp_value(
            hotp_value(setup.context["form"].secret, next(iter(yield_hotp_counters_from_time())))
        )

        response = client.post("/accounts/2fa/totp/activate/", {"code": code}, follow=True)

        assert response.redirect_chain[0][0] == "/admin/pages/", "not the recovery codes"
        assert response.status_code == 200
        assert "복구 코드는 보안 설정에서 언제든 볼 수 있어요." in response.content.decode()

    def test_staff_with_totp_but_only_a_password_this_session_are_asked_for_a_code(self, client, staff):
        totp_authenticator(staff)
        client.force_login(staff)

        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"

    def test_the_django_admin_needs_the_second_factor_too(self, client, staff):
        client.force_login(staff)

        assert client.get("/django-admin/").status_code == 302
        assert "/accounts/2fa/" in client.get("/django-admin/")["Location"]

    def test_moderators_need_the_second_factor(self, client, moderator):
        client.force_login(moderator)

        assert "/accounts/2fa/totp/activate/" in client.get("/admin/")["Location"]

    def test_a_valid_totp_code_opens_the_admin(self, client, staff, settings):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        from accounts.tests.second_factor import TEST_TOTP_SECRET

        totp_authenticator(staff)
        client.force_login(staff)
        counter = next(iter(yield_hotp_counters_from_time()))
        code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))

        response = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": code})

        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_a_wrong_code_keeps_the_admin_closed(self, client, staff):
        totp_authenticator(staff)
        client.force_login(staff)

        response = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": "000000"})

        assert response.status_code == 200
        assert client.get("/admin/").status_code == 302

    def test_members_without_admin_access_are_not_asked_for_a_second_factor(self, client, member):
        client.force_login(member)

        assert client.get("/").status_code == 200
        assert "/admin/login/" in client.get("/admin/")["Location"]

    def test_the_admin_login_fixture_opens_the_admin_for_a_moderator(self, client, admin_login, moderator):
        admin_login(client, moderator)

        assert client.get("/admin/").status_code == 200
        assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()


@pytest.mark.django_db
class TestDjangoAdminIsForSuperusers:
    """Finding 9: a staff account with only "view user" opened /django-admin/ without the second
    factor and listed every member's e-mail address. Members are in the Wagtail admin now; the
    Django admin keeps the task queue's screens."""

    @pytest.fixture
    def staff_who_may_view_members(self, member):
        from django.contrib.auth.models import Permission

        staff = UserFactory(username="clerk", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_user"))
        return staff

    def test_finding_9_staff_are_asked_for_the_second_factor_on_the_django_admin(
        self, client, staff_who_may_view_members, member
    ):
        client.force_login(staff_who_may_view_members)

        response = client.get(DJANGO_ADMIN_SCREEN)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")
        assert member.email not in response.content.decode()

    def test_finding_9_staff_who_are_not_superusers_cannot_open_the_django_admin_even_with_it(
        self, client, admin_login, staff_who_may_view_members, member
    ):
        admin_login(client, staff_who_may_view_members)

        for url in ("/django-admin/", DJANGO_ADMIN_SCREEN):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/django-admin/login/"), url
            assert member.email not in response.content.decode()

    def test_superusers_open_the_django_admin_after_the_second_factor(self, client, admin_login, member):
        superuser = UserFactory(username="boss", is_staff=True, is_superuser=True)
        client.force_login(superuser)
        assert "/accounts/2fa/" in client.get(DJANGO_ADMIN_SCREEN)["Location"]

        admin_login(client, superuser)

        assert client.get(DJANGO_ADMIN_SCREEN).status_code == 200

    def test_django_staff_need_the_second_factor_on_the_wagtail_admin_too(self, client):
        client.force_login(UserFactory(username="clerk", is_staff=True))

        assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/")
