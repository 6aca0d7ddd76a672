import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from community.tests.factories import image_upload


@pytest.mark.django_db
class TestProfileEdit:
    def test_member_changes_nickname_bio_and_photo(self, client, member):
        client.force_login(member)

        response = client.post(
            "/settings/profile/",
            {"nickname": " 두부   언니 ", "bio": "한강 산책러", "avatar": image_upload(size=(800, 600))},
        )

        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.nickname, member.bio) == ("두부 언니", "한강 산책러")
        with Image.open(member.avatar.path) as avatar:
            assert (avatar.format, avatar.size) == ("WEBP", (256, 256))
        assert "한강 산책러" in client.get("/members/dubu/").content.decode()

    def test_a_non_image_avatar_is_refused_and_nothing_changes(self, client, member):
        client.force_login(member)

        response = client.post(
            "/settings/profile/",
            {"nickname": "바뀐 이름", "bio": "", "avatar": SimpleUploadedFile("a.png", b"nope", "image/png")},
        )

        assert response.status_code == 400
        member.refresh_from_db()
        assert member.nickname == "두부엄마"
        assert not member.avatar

    def test_too_long_bio_is_refused(self, client, member):
        client.force_login(member)

        response = client.post("/settings/profile/", {"nickname": "두부", "bio": "가" * 301})

        assert response.status_code == 400
        member.refresh_from_db()
        assert member.bio == ""

    def test_bio_with_html_is_escaped_on_the_profile(self, client, member):
        client.force_login(member)
        client.post("/settings/profile/", {"nickname": "두부", "bio": "<svg onload=alert(1)>"})

        html = client.get("/members/dubu/").content.decode()

        assert "<svg onload=alert(1)>" not in html
        assert "&lt;svg onload=alert(1)&gt;" in html

    def test_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get("/settings/profile/")

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
class TestReservedNicknames:
    @pytest.mark.parametrize(
        "nickname",
        ["관리자", "운영도우미", "관 리 자", "운영\u200b자", "ＡＤＭＩＮ", "Moderator!", "산책 대장"],
    )
    def test_finding_13_members_cannot_take_a_name_that_passes_for_staff(self, client, member, nickname):
        """Anyone could take "관리자" or "운영도우미", the staff's display names."""
        UserFactory(username="walkboss", nickname="산책대장", is_staff=True)
        client.force_login(member)

        response = client.post("/settings/profile/", {"nickname": nickname, "bio": ""})

        assert response.status_code == 400
        assert "예약된 이름" in response.content.decode()
        member.refresh_from_db()
        assert member.nickname == "두부엄마"

    def test_staff_keep_their_own_names(self, client, moderator):
        client.force_login(moderator)

        response = client.post("/settings/profile/", {"nickname": "운영도우미", "bio": ""})

        assert response.status_code == 302
        moderator.refresh_from_db()
        assert moderator.nickname == "운영도우미"

    def test_names_that_only_contain_such_a_word_are_fine(self, client, member):
        client.force_login(member)

        assert (
            client.post("/settings/profile/", {"nickname": "두부 관리자님 팬", "bio": ""}).status_code == 302
        )
