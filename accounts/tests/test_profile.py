import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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
