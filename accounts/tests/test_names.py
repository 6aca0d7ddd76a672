import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.names import check_name, fold, is_reserved
from accounts.tests.factories import UserFactory
from notifications.models import Notification


class TestFold:
    @pytest.mark.parametrize(
        "look_alike",
        [
            "관 리 자",
            "관리자!",
            "운영\u200b자",  # zero-width space
            "운영\u3164자",  # Hangul filler
            "ＡＤＭＩＮ",  # full width
            "Ⓐⓓⓜⓘⓝ",
            "ád.min",
            "  Moderator_ ",
            "운영도우미 🐶",
        ],
    )
    def test_look_alikes_of_reserved_words_are_reserved(self, look_alike):
        assert is_reserved(look_alike)

    @pytest.mark.parametrize("name", ["두부엄마", "admin1", "badminton", "관리자님팬", "", "🐶🐶"])
    def test_other_names_are_not(self, name):
        assert not is_reserved(name)

    def test_staff_names_count_folded(self):
        assert is_reserved("산책 대장!", staff_names={fold("산책대장")})


@pytest.mark.django_db
class TestCheckName:
    def test_a_staff_members_display_name_is_reserved_for_everyone_else(self, member):
        UserFactory(username="walkboss", nickname="산책대장", is_staff=True)
        UserFactory(username="gone", nickname="떠난운영", is_staff=True, is_active=False)

        with pytest.raises(ValidationError) as refused:
            check_name("산책  대장", member=member)
        assert refused.value.code == "reserved"
        check_name("떠난운영", member=member)  # no longer staff's: free

    def test_staff_may_use_any_of_them(self, moderator):
        check_name("관리자", member=moderator)

    def test_at_sign_up_the_handle_is_checked_against_staff_names_too(self, api_client):
        UserFactory(username="boss", nickname="", is_superuser=True)

        response = api_client.get("/api/accounts/availability/", {"username": "b.o.s.s"})

        assert response.json()["status"] == "invalid"
        assert "예약된 이름" in response.json()["message"]


@pytest.mark.django_db
class TestKakaoNickname:
    def test_a_kakao_nickname_that_passes_for_staff_is_not_taken(self, client, settings):
        import responses

        from accounts.tests import test_kakao as kakao_flow

        kakao_flow.configure_kakao(settings)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as kakao_http:
            kakao_flow.stub_kakao(
                kakao_http, kakao_flow.kakao_user(kakao_flow.CHOCO_UID, "choco@example.com", "관리자")
            )
            kakao_flow.callback(client, kakao_flow.start_login(client))

        member = User.objects.get(email="choco@example.com")
        assert member.nickname == ""
        assert member.display_name == member.username


class AppsBeforeNotificationsMoved:
    """The models as the migration knew them: ``Notification`` was community's until
    notifications' migration 0007 moved it (same table, renamed)."""

    def get_model(self, app_label: str, model_name: str):
        if (app_label, model_name) == ("community", "Notification"):
            return Notification
        return apps.get_model(app_label, model_name)


@pytest.mark.django_db
class TestExistingHolders:
    def run_migration(self):
        migration = importlib.import_module("accounts.migrations.0006_reserved_names")
        migration.rename_reserved_names(AppsBeforeNotificationsMoved(), None)

    def test_members_holding_a_reserved_name_are_renamed_and_told(self, client, member, moderator):
        holder = UserFactory(username="fake", nickname="운영 도우미")
        handle_holder = UserFactory(username="ad.min", nickname="두부 친구")

        self.run_migration()

        holder.refresh_from_db()
        handle_holder.refresh_from_db()
        moderator.refresh_from_db()
        member.refresh_from_db()
        assert holder.nickname == ""
        assert holder.display_name == "fake"
        assert handle_holder.username == f"member{handle_holder.pk}"
        assert handle_holder.nickname == "두부 친구"
        assert (moderator.nickname, member.nickname) == ("운영자", "두부엄마"), "staff and others keep theirs"
        assert list(Notification.objects.filter(recipient=holder).values_list("kind", "details")) == [
            ("name_reset", {"field": "nickname"})
        ]
        client.force_login(holder)
        page = client.get("/notifications/").content.decode()
        assert "다른 회원에게는 아이디가 보여요" in page
        assert "/settings/profile/" in page
        client.force_login(handle_holder)
        assert f"@member{handle_holder.pk}" in client.get("/notifications/").content.decode()

    def test_running_it_again_changes_nothing(self, member):
        UserFactory(username="fake", nickname="관리자")
        self.run_migration()

        self.run_migration()

        assert Notification.objects.count() == 1
