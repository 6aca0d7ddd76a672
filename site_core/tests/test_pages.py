import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from accounts.tests.factories import UserFactory
from privacy.models import LegalDocument, LegalPage
from privacy.tests.factories import legal_page


@pytest.mark.django_db
class TestHomePage:
    def test_home_page_is_the_wagtail_root_and_speaks_korean_by_default(self, client):
        response = client.get("/")

        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="ko">' in html
        assert "반려견과 함께 걷는 하루, 페트라슈" in html
        assert 'name="viewport"' in html
        assert "회원가입" in html

    def test_english_switch_changes_the_language(self, client):
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "Sign up" in html

    def test_logged_in_member_is_greeted_by_nickname(self, client, member, other_member):
        from community.models import Follow

        client.force_login(member)
        assert "두부엄마님, 페트라슈에 오신 걸 환영해요!" in client.get("/").content.decode()
        Follow.objects.create(follower=member, following=other_member)

        html = client.get("/").content.decode()

        assert "두부엄마님, 다시 오신 걸 환영해요!" in html
        assert "로그아웃" in html

    def test_member_nickname_is_escaped(self, client):
        member = UserFactory(nickname="<script>alert(1)</script>")
        client.force_login(member)

        html = client.get("/").content.decode()

        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_static_assets_come_from_our_own_files(self, client):
        html = client.get("/").content.decode()

        assert "/static/css/site.css" in html
        assert "https://" not in html.split("<body")[0], "no CDN in the head"


@pytest.mark.django_db
class TestAdminAccess:
    def test_staff_open_the_wagtail_admin(self, client, admin_login):
        admin_login(client, UserFactory(is_staff=True, is_superuser=True))

        assert client.get("/admin/").status_code == 200

    def test_moderators_open_the_wagtail_admin_without_being_superusers(self, client, admin_login, moderator):
        admin_login(client, moderator)

        assert not moderator.is_superuser
        assert client.get("/admin/").status_code == 200
        assert client.get("/django-admin/").status_code == 302, "Django admin is for superusers"

    def test_members_are_sent_to_log_in_from_the_wagtail_admin(self, client, member):
        client.force_login(member)

        response = client.get("/admin/")

        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_django_admin_is_for_superusers(self, client, admin_login):
        admin_login(client, UserFactory(is_staff=True, is_superuser=True))

        assert client.get("/django-admin/django_q/schedule/").status_code == 200

    def test_finding_1_moderators_cannot_edit_publish_unpublish_or_delete_pages_nor_upload_media(
        self, client, admin_login, moderator
    ):
        """Finding 1: our moderators were in Wagtail's "Moderators" group, which edits,
        publishes and approves every page and uploads images and documents."""
        page = legal_page(LegalDocument.MARKETING, required=False)  # asks no one to agree first
        admin_login(client, moderator)

        refused = [
            f"/admin/pages/{page.pk}/edit/",
            f"/admin/pages/{page.pk}/unpublish/",
            f"/admin/pages/{page.pk}/delete/",
            f"/admin/pages/{page.get_parent().pk}/add_subpage/",
            "/admin/images/",
            "/admin/images/multiple/add/",
            "/admin/documents/",
            "/admin/documents/multiple/add/",
            "/admin/snippets/",
            "/admin/users/new/",  # members they only look up (accounts/admin_viewsets.py)
            "/admin/groups/",
            "/admin/workflows/list/",
            "/admin/workflows/tasks/index/",
            "/admin/sites/",
            "/admin/redirects/",
        ]
        for url in refused:
            response = client.get(url)
            assert response.status_code in (302, 403), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"] in ("/admin/", "/admin/login/"), (url, response["Location"])

        client.post(f"/admin/pages/{page.pk}/unpublish/", {"include_descendants": "on"})
        client.post(f"/admin/pages/{page.pk}/delete/")
        client.post(
            "/admin/images/multiple/add/",
            {"files[]": SimpleUploadedFile("dog.png", b"not checked before the permission")},
        )
        client.post(
            "/admin/documents/multiple/add/",
            {"files[]": SimpleUploadedFile("rules.txt", b"not checked before the permission")},
        )

        assert LegalPage.objects.live().filter(pk=page.pk).exists(), "still there and still published"
        assert not Image.objects.exists()
        assert not Document.objects.exists()
        # What they are there for still opens.
        assert client.get("/admin/moderation/cases/").status_code == 200
        assert client.get("/admin/moderation/audit-log/").status_code == 200
        assert client.get("/admin/worldcup/entries/").status_code == 200
