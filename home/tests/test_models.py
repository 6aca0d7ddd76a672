"""The home page is Wagtail's root page, served by Wagtail: what staff change shows at once."""

import pytest
from wagtail.models import Page, PageViewRestriction, Site

from home.models import HomePage


def home() -> HomePage:
    return HomePage.objects.get()


@pytest.mark.django_db
class TestHomeRoute:
    @pytest.mark.smoke
    def test_a_published_headline_shows_on_the_next_visit(self, client):
        client.get("/")
        page = home()
        page.headline = "새 소식: 가을 산책 대회"
        page.save_revision().publish()

        assert "새 소식: 가을 산책 대회" in client.get("/").content.decode()

    def test_a_login_restriction_on_the_home_page_is_honoured(self, client, member):
        client.get("/")
        PageViewRestriction.objects.create(page=home(), restriction_type=PageViewRestriction.LOGIN)

        response = client.get("/")

        assert response.status_code == 302
        assert "/login" in response["Location"]
        client.force_login(member)
        assert client.get("/").status_code == 200

    def test_an_unpublished_home_page_is_not_served(self, client):
        client.get("/")
        home().unpublish()

        assert client.get("/").status_code == 404

    def test_a_site_moved_to_another_root_serves_that_root(self, client):
        client.get("/")
        other = Page.get_first_root_node().add_child(
            instance=HomePage(title="다른 홈", slug="other-home", headline="다른 사이트의 첫 화면")
        )
        site = Site.objects.get(is_default_site=True)
        site.root_page = other
        site.save()

        assert "다른 사이트의 첫 화면" in client.get("/").content.decode()

    def test_methods_the_page_refuses_are_refused(self, client, monkeypatch):
        client.get("/")
        monkeypatch.setattr(HomePage, "allowed_http_methods", ["GET", "HEAD", "OPTIONS"])

        assert client.post("/").status_code == 405
