import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import User
from accounts.tests.factories import UserFactory

AVAILABILITY_URL = "/api/accounts/availability/"


@pytest.mark.django_db
class TestUsernameAvailability:
    @pytest.mark.parametrize("candidate", ["dubu", "DUBU", "Dubu", "  dubu  "])
    def test_taken_name_and_its_case_variants_are_taken(self, api_client, member, candidate):
        response = api_client.get(AVAILABILITY_URL, {"username": candidate})

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "taken"
        assert body["available"] is False
        assert body["username"] == "dubu"
        assert body["message"] == "이미 사용 중인 아이디예요."

    def test_free_name_is_available(self, api_client, member):
        response = api_client.get(AVAILABILITY_URL, {"username": "choco_2026"})

        body = response.json()
        assert body == {
            "username": "choco_2026",
            "status": "available",
            "available": True,
            "reasons": [],
            "message": "쓸 수 있는 아이디예요.",
        }

    @pytest.mark.parametrize(
        ("candidate", "reason"),
        [
            ("ab", "3자에서 20자 사이"),
            ("a" * 21, "3자에서 20자 사이"),
            ("두부", "영문 소문자"),
            ("dubu!", "영문 소문자"),
            ("dubu.", "영문 소문자"),
            ("du..bu", "점(.)은 연달아"),
            ("admin", "예약된"),
            ("", "3자에서 20자 사이"),
        ],
    )
    def test_invalid_name_says_why(self, api_client, candidate, reason):
        response = api_client.get(AVAILABILITY_URL, {"username": candidate})

        body = response.json()
        assert response.status_code == 200
        assert body["status"] == "invalid"
        assert body["available"] is False
        assert any(reason in text for text in body["reasons"]), body["reasons"]

    def test_reasons_are_in_english_when_asked(self, api_client):
        response = api_client.get(AVAILABILITY_URL, {"username": "ab"}, HTTP_ACCEPT_LANGUAGE="en")

        assert response.json()["reasons"] == ["Use between 3 and 20 characters."]

    def test_missing_parameter_is_a_clear_400(self, api_client):
        response = api_client.get(AVAILABILITY_URL)

        assert response.status_code == 400
        assert "username" in response.json()

    def test_check_needs_no_login_and_does_not_reveal_emails(self, api_client, member):
        response = api_client.get(AVAILABILITY_URL, {"username": member.email})

        assert response.json()["status"] == "invalid"


@pytest.mark.django_db
class TestJwtLifecycle:
    def obtain(self, api_client, member, password="산책가자-walk-2026"):
        response = api_client.post(
            reverse("api-token-obtain"), {"username": member.username, "password": password}, format="json"
        )
        return response

    def test_obtain_with_wrong_password_is_401(self, api_client, member):
        response = self.obtain(api_client, member, password="wrong-password")

        assert response.status_code == 401
        assert "access" not in response.json()

    def test_a_member_who_never_confirmed_their_address_gets_no_tokens_until_they_do(self, api_client):
        """An app cannot skip the code the website asks for: anyone could sign up with someone
        else's address and use the API with it."""
        member = UserFactory(username="squatter", email="dubu@example.com", email_verified=False)

        response = self.obtain(api_client, member)

        assert response.status_code == 403
        assert response.json()["code"] == "email_unconfirmed"
        assert "access" not in response.json()
        assert not OutstandingToken.objects.filter(user=member).exists()
        EmailAddress.objects.filter(user=member).update(verified=True)
        assert self.obtain(api_client, member).status_code == 200

    def test_handle_is_case_insensitive_at_sign_in(self, api_client, member):
        response = api_client.post(
            reverse("api-token-obtain"),
            {"username": "DUBU", "password": "산책가자-walk-2026"},
            format="json",
        )

        assert response.status_code == 200

    def test_access_token_opens_the_api_and_lives_at_most_15_minutes(self, api_client, member, settings):
        tokens = self.obtain(api_client, member).json()
        assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() <= 15 * 60

        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        response = api_client.get(reverse("api-current-member"))

        assert response.status_code == 200
        assert response.json()["username"] == "dubu"

    def test_api_refuses_anonymous_callers(self, api_client):
        assert api_client.get(reverse("api-current-member")).status_code == 401

    def test_refresh_rotates_and_reusing_the_old_refresh_token_is_401(self, api_client, member):
        first = self.obtain(api_client, member).json()

        rotated = api_client.post(reverse("api-token-refresh"), {"refresh": first["refresh"]}, format="json")
        assert rotated.status_code == 200
        assert rotated.json()["refresh"] != first["refresh"]

        reused = api_client.post(reverse("api-token-refresh"), {"refresh": first["refresh"]}, format="json")
        assert reused.status_code == 401

        fresh = api_client.post(
            reverse("api-token-refresh"), {"refresh": rotated.json()["refresh"]}, format="json"
        )
        assert fresh.status_code == 200

    def test_logout_blacklists_the_refresh_token(self, api_client, member):
        tokens = self.obtain(api_client, member).json()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

        response = api_client.post(reverse("api-logout"), {"refresh": tokens["refresh"]}, format="json")
        assert response.status_code == 205

        api_client.credentials()
        refused = api_client.post(reverse("api-token-refresh"), {"refresh": tokens["refresh"]}, format="json")
        assert refused.status_code == 401

    def test_member_cannot_log_out_someone_elses_refresh_token(self, api_client, member, other_member):
        victim = self.obtain(api_client, other_member).json()
        mine = self.obtain(api_client, member).json()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {mine['access']}")

        response = api_client.post(reverse("api-logout"), {"refresh": victim["refresh"]}, format="json")

        assert response.status_code == 400
        api_client.credentials()
        still_valid = api_client.post(
            reverse("api-token-refresh"), {"refresh": victim["refresh"]}, format="json"
        )
        assert still_valid.status_code == 200

    def test_logout_needs_authentication(self, api_client, member):
        tokens = self.obtain(api_client, member).json()

        response = api_client.post(reverse("api-logout"), {"refresh": tokens["refresh"]}, format="json")

        assert response.status_code == 401
        assert (
            api_client.post(reverse("api-token-refresh"), {"refresh": tokens["refresh"]}).status_code == 200
        )

    def test_expired_access_token_is_refused(self, api_client, member, settings):
        from datetime import timedelta

        from rest_framework_simplejwt.tokens import AccessToken

        token = AccessToken.for_user(member)
        token.set_exp(lifetime=-timedelta(seconds=1))
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

        response = api_client.get(reverse("api-current-member"))

        assert response.status_code == 401


@pytest.mark.django_db
def test_openapi_schema_documents_the_auth_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/auth/token/", "/api/auth/token/refresh/", "/api/auth/logout/", AVAILABILITY_URL]:
        assert path in paths


@pytest.mark.django_db
def test_browsable_api_docs_load_without_a_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_user_count_unchanged_by_availability_checks(api_client):
    api_client.get(AVAILABILITY_URL, {"username": "newbie"})

    assert User.objects.count() == 0
