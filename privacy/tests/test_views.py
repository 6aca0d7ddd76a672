import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from community.models import Post
from community.tests.factories import PostFactory
from core import personal_data
from pets.tests.queue import run_queued_tasks
from privacy.models import Consent, DataExport, LegalDocument
from privacy.tests.factories import legal_page
from worldcup.tests.factories import enter, make_event


@pytest.fixture
def terms(db):
    legal_page(LegalDocument.TERMS, version=1)
    legal_page(LegalDocument.PRIVACY, version=1)
    legal_page(LegalDocument.MARKETING, required=False)


def signup_data(**overrides):
    return {
        "username": "newbie",
        "nickname": "새내기",
        "email": "newbie@example.com",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
        **overrides,
    }


@pytest.mark.django_db
class TestSignupConsent:
    def test_signup_records_required_and_optional_consents_with_their_versions(self, client, terms):
        response = client.post(
            "/accounts/signup/", signup_data(consent_terms="on", consent_privacy="on", consent_marketing="on")
        )

        assert response.status_code == 302
        member = User.objects.get(username="newbie")
        assert set(Consent.objects.filter(member=member).values_list("document", "version", "required")) == {
            ("terms", 1, True),
            ("privacy", 1, True),
            ("marketing", 1, False),
        }
        assert client.get("/").status_code == 200

    def test_signup_without_the_required_consents_is_refused_and_creates_nobody(self, client, terms):
        response = client.post("/accounts/signup/", signup_data(consent_terms="on"))

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["consent_privacy"]
        assert not User.objects.filter(username="newbie").exists()

    def test_the_signup_page_shows_the_documents_to_agree_to(self, client, terms):
        html = client.get("/accounts/signup/").content.decode()

        assert 'name="consent_terms"' in html
        assert 'name="consent_marketing"' in html


@pytest.mark.django_db
class TestReconsent:
    def test_a_new_terms_version_asks_members_to_agree_again_at_their_next_login(self, client, member, terms):
        Consent.objects.create(member=member, document="terms", version=1, required=True)
        Consent.objects.create(member=member, document="privacy", version=1, required=True)
        legal_page(LegalDocument.TERMS, version=2)

        assert client.login(username="dubu", password=DEFAULT_PASSWORD)
        response = client.get("/chat/")

        assert response.status_code == 302
        assert response["Location"] == "/privacy/consent/?next=%2Fchat%2F"
        page = client.get(response["Location"])
        assert 'name="consent_terms"' in page.content.decode()

        agreed = client.post(
            "/privacy/consent/?next=/chat/", {"consent_terms": "on", "consent_privacy": "on"}
        )

        assert agreed["Location"] == "/chat/"
        assert Consent.objects.filter(member=member, document="terms", version=2).exists()
        assert client.get("/chat/").status_code == 200

    def test_re_consent_says_what_changed_and_asks_only_for_the_changed_document(self, client, member, terms):
        Consent.objects.create(member=member, document="terms", version=1, required=True)
        Consent.objects.create(member=member, document="privacy", version=1, required=True)
        new_terms = legal_page(LegalDocument.TERMS, version=2)
        new_terms.change_summary = "산책 모집 글의 보관 기간이 1년으로 바뀌었어요."
        new_terms.save_revision().publish()
        client.force_login(member)

        page = client.get("/privacy/consent/")

        html = page.content.decode()
        assert "약관이 바뀌었어요" in html
        assert "버전 1 → 2" in html
        assert "산책 모집 글의 보관 기간이 1년으로 바뀌었어요." in html
        assert 'name="consent_terms"' in html
        assert 'name="consent_privacy"' not in html, "the privacy notice did not change"
        assert 'name="consent_marketing"' not in html, "an optional item they declined is not asked again"
        assert "바뀌지 않아 다시 동의하지 않아도 돼요" in html

        agreed = client.post("/privacy/consent/?next=/chat/", {"consent_terms": "on"})

        assert agreed["Location"] == "/chat/"
        assert client.get("/chat/").status_code == 200

    def test_the_consent_boxes_come_with_agree_to_all(self, client, terms):
        html = client.get("/accounts/signup/").content.decode()

        assert 'data-role="consent-all"' in html
        assert "전체 동의" in html
        assert html.count("data-consent=") == 3

    def test_refusing_keeps_the_member_at_the_consent_page(self, client, member, terms):
        client.force_login(member)

        response = client.post("/privacy/consent/", {"consent_terms": "on"})

        assert response.status_code == 400
        assert client.get("/").status_code == 302
        assert not Consent.objects.filter(member=member).exists()

    def test_session_api_calls_get_a_403_with_a_code_until_the_member_agrees(self, client, member, terms):
        client.force_login(member)

        response = client.get("/api/accounts/me/")

        assert response.status_code == 403
        assert response.json()["code"] == "consent_required"

    def test_jwt_clients_get_a_403_with_a_code_and_can_agree_through_the_api(self, api_client, member, terms):
        tokens = api_client.post(
            "/api/auth/token/", {"username": "dubu", "password": DEFAULT_PASSWORD}
        ).json()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

        refused = api_client.get("/api/accounts/me/")
        status = api_client.get("/api/privacy/consent/")
        agreed = api_client.post("/api/privacy/consent/", {"agreed": ["terms", "privacy"]}, format="json")

        assert refused.status_code == 403
        assert refused.json()["code"] == "consent_required"
        assert status.json()["consent_required"] is True
        assert agreed.status_code == 200
        assert agreed.json()["consent_required"] is False
        assert api_client.get("/api/accounts/me/").status_code == 200

    def test_api_consent_without_the_required_documents_is_a_400_and_records_nothing(
        self, api_client, member, terms
    ):
        api_client.force_authenticate(member)

        response = api_client.post("/api/privacy/consent/", {"agreed": ["marketing"]}, format="json")

        assert response.status_code == 400
        assert not Consent.objects.exists()


@pytest.mark.django_db
class TestAccountDelete:
    def test_the_page_lists_what_is_kept(self, client, member):
        client.force_login(member)

        response = client.get("/privacy/delete/")

        html = response.content.decode()
        for item in response.context["retained"]:
            assert escape(item) in html
        with translation.override("en"):
            assert any("Personal Information Protection Act" in item for item in personal_data.retained())
        assert 'name="password"' in html

    def test_a_wrong_password_deletes_nothing(self, client, member):
        client.force_login(member)

        response = client.post(
            "/privacy/delete/", {"password": "wrong", "content": "delete", "confirm": "on"}
        )

        assert response.status_code == 400
        assert User.objects.get(pk=member.pk).username == "dubu"

    def test_finding_15_wrong_passwords_on_the_delete_page_are_limited_like_failed_logins(
        self, client, member
    ):
        client.force_login(member)
        for _ in range(10):
            wrong = client.post(
                "/privacy/delete/", {"password": "guess", "content": "delete", "confirm": "on"}
            )
            assert wrong.status_code == 400

        response = client.post(
            "/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "delete", "confirm": "on"}
        )

        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert User.objects.get(pk=member.pk).is_active, "nothing is deleted once the limit is reached"

    def test_failed_logins_and_wrong_delete_passwords_share_one_count(self, client, member):
        for _ in range(5):
            client.post(reverse("account_login"), {"login": "dubu@example.com", "password": "guess"})
        client.force_login(member)
        for _ in range(5):
            client.post("/privacy/delete/", {"password": "guess", "content": "delete", "confirm": "on"})
        client.logout()

        response = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})

        assert response.status_code == 429

    def test_a_form_left_incomplete_is_no_password_guess(self, client, member):
        client.force_login(member)
        for _ in range(12):
            client.post("/privacy/delete/", {"content": "delete", "confirm": "on"})

        response = client.post(
            "/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "keep", "confirm": "on"}
        )

        assert response["Location"] == "/privacy/deleted/"

    @pytest.mark.smoke
    def test_deleting_logs_out_and_anonymizes_the_account(
        self, client, member, django_capture_on_commit_callbacks
    ):
        PostFactory(author=member)
        client.force_login(member)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "delete", "confirm": "on"}
            )

        assert response["Location"] == "/privacy/deleted/"
        account = User.objects.get(pk=member.pk)
        assert (account.email, account.nickname, account.is_active) == ("", "", False)
        assert not Post.objects.filter(author=account).exists()
        assert "_auth_user_id" not in client.session

    def test_a_kakao_member_without_a_password_must_sign_in_with_kakao_again(self, client):
        kakao_member = UserFactory(password=None)
        kakao_member.set_unusable_password()
        kakao_member.save()
        client.force_login(kakao_member)

        page = client.get("/privacy/delete/")
        response = client.post("/privacy/delete/", {"content": "delete", "confirm": "on"})

        assert 'name="password"' not in page.content.decode()
        assert response.status_code == 400
        assert User.objects.get(pk=kakao_member.pk).is_active

    def test_a_kakao_member_who_just_signed_in_with_kakao_can_leave(self, client):
        import time

        from allauth.account.internal.flows.login import (
            _AUTHENTICATION_METHODS_USER_SESSION_KEY,
            AUTHENTICATION_METHODS_SESSION_KEY,
        )

        kakao_member = UserFactory(password=None)
        kakao_member.set_unusable_password()
        kakao_member.save()
        client.force_login(kakao_member)
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "socialaccount", "at": time.time(), "provider": "kakao", "uid": "1234"}
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(kakao_member.pk)
        session.save()

        response = client.post("/privacy/delete/", {"content": "keep", "confirm": "on"})

        assert response["Location"] == "/privacy/deleted/"
        assert not User.objects.get(pk=kakao_member.pk).is_active

    def test_the_username_cannot_be_taken_for_30_days(self, client, member, api_client):
        client.force_login(member)
        client.post("/privacy/delete/", {"password": DEFAULT_PASSWORD, "content": "keep", "confirm": "on"})

        availability = api_client.get("/api/accounts/availability/", {"username": "dubu"}).json()
        signup = client.post("/accounts/signup/", signup_data(username="dubu", email="again@example.com"))

        assert availability["status"] == "taken"
        assert signup.status_code == 200
        assert not User.objects.filter(username="dubu").exists()


@pytest.mark.django_db
class TestDataExport:
    @pytest.mark.smoke
    def test_requesting_builds_a_zip_in_the_background_and_mails_the_member(
        self, client, member, django_capture_on_commit_callbacks, monkeypatch
    ):
        # django-q2's worker closes "old" connections, which would end this test's transaction.
        monkeypatch.setattr("django_q.worker.close_old_django_connections", lambda: None)
        monkeypatch.setattr("django_q.monitor.close_old_django_connections", lambda: None)
        PostFactory(author=member, text="첫 산책 #산책", photos=1)
        enter(make_event(), name="월드컵두부", member=member)
        client.force_login(member)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/privacy/data/export/")

        assert response["Location"] == "/privacy/data/"
        export = DataExport.objects.get(member=member)
        assert export.status == DataExport.Status.PENDING
        with django_capture_on_commit_callbacks(execute=True):
            [task] = run_queued_tasks("petrasche")
        assert task.success, task.result
        export.refresh_from_db()
        assert export.status == DataExport.Status.READY
        assert "/privacy/data/" in mail.outbox[0].body
        download = client.get(f"/privacy/data/{export.pk}/download/")
        assert download.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
        names = archive.namelist()
        assert {"profile.json", "posts.json", "pets.json", "walks.json", "chat_messages.json"} <= set(names)
        assert any(name.startswith("posts/") and name.endswith(".webp") for name in names)
        assert "첫 산책" in archive.read("posts.json").decode()
        assert "월드컵두부" in archive.read("worldcup/entries.json").decode()
        assert any(name.startswith("worldcup/") and name.endswith(".webp") for name in names)

    def test_another_member_cannot_download_it(self, client, member, other_member):
        export = DataExport.objects.create(
            member=member,
            status=DataExport.Status.READY,
            expires_at=timezone.now() + timezone.timedelta(days=1),
        )
        client.force_login(other_member)

        assert client.get(f"/privacy/data/{export.pk}/download/").status_code == 404

    def test_an_expired_link_no_longer_downloads(self, client, member):
        export = DataExport.objects.create(
            member=member,
            status=DataExport.Status.READY,
            expires_at=timezone.now() - timezone.timedelta(minutes=1),
        )
        client.force_login(member)

        assert client.get(f"/privacy/data/{export.pk}/download/").status_code == 404
        assert f"/privacy/data/{export.pk}/download/" not in client.get("/privacy/data/").content.decode()

    def test_the_file_is_not_under_the_public_media_folder(self, member, settings):
        from privacy import services

        export = services.export_request(member=member)
        services.export_build(export_id=export.pk)
        export.refresh_from_db()

        assert not export.file.path.startswith(str(settings.MEDIA_ROOT))
        assert reverse("privacy:export_download", args=[export.pk]) == f"/privacy/data/{export.pk}/download/"


@pytest.mark.django_db
def test_the_data_page_refreshes_itself_while_an_export_is_being_prepared(client, member):
    export = DataExport.objects.create(member=member)
    client.force_login(member)

    preparing = client.get("/privacy/data/").content.decode()

    assert '<meta http-equiv="refresh" content="10">' in preparing
    assert "10초마다" in preparing
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY, expires_at=timezone.now() + timezone.timedelta(days=1)
    )
    ready = client.get("/privacy/data/").content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert f"/privacy/data/{export.pk}/download/" in ready


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 8])
def test_the_data_page_costs_the_same_queries_whatever_the_number_of_exports(
    client, member, count, django_assert_num_queries
):
    for _number in range(count):
        DataExport.objects.create(
            member=member,
            status=DataExport.Status.READY,
            expires_at=timezone.now() + timezone.timedelta(days=1),
        )
    client.force_login(member)
    client.get("/privacy/data/")  # warms the per-process caches (permissions, badges)

    with django_assert_num_queries(QUERIES_FOR_THE_DATA_PAGE):
        response = client.get("/privacy/data/")

    assert response.content.decode().count("/download/") == count


QUERIES_FOR_THE_DATA_PAGE = 4
