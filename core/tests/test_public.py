"""What browsers and crawlers ask for: the sitemap (only pages anyone may see), robots.txt, the
favicon and app icons, and noindex on members' own pages."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image
from wagtail.models import Page, PageViewRestriction

from community.tests.factories import PostFactory
from home.models import HomePage
from pets.tests.factories import PetFactory
from privacy.models import LegalDocument
from privacy.tests.factories import legal_page
from walks.tests.factories import WalkFactory
from worldcup.tests.factories import make_event

pytestmark = pytest.mark.django_db


def sitemap_paths(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())]


class TestSitemap:
    def test_it_lists_the_public_pages_and_each_answers_200_to_an_anonymous_visitor(self, member):
        terms = legal_page(LegalDocument.TERMS)
        privacy = legal_page(LegalDocument.PRIVACY)
        event = make_event(title="12월 강아지 월드컵")
        home = HomePage.objects.get()
        draft = home.add_child(instance=Page(title="준비 중인 공지", slug="draft-notice", live=False))
        members_only = home.add_child(instance=Page(title="회원 공지", slug="members-only"))
        PageViewRestriction.objects.create(page=members_only, restriction_type=PageViewRestriction.LOGIN)
        post = PostFactory(author=member, text="오늘 산책 #산책")
        pet = PetFactory(owner=member, name="두부")
        walk = WalkFactory(host=member)
        anonymous = Client()

        paths = sitemap_paths(anonymous)

        assert "/" in paths
        assert "/walks/" in paths
        assert any(path.startswith("/walks/") and path != "/walks/" for path in paths), "the walk boards"
        assert event.url in paths
        assert terms.url in paths
        assert privacy.url in paths
        assert draft.url not in paths
        assert "/members-only/" not in paths
        for private in (
            f"/members/{member.username}/",
            f"/posts/{post.pk}/",
            f"/pets/{pet.pk}/",
            walk.get_absolute_url(),
        ):
            assert private not in paths
        assert len(paths) == len(set(paths))
        for path in paths:
            assert anonymous.get(path).status_code == 200, path

    def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_members_screens(self, client):
        response = client.get("/robots.txt")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines
        for path in ("/admin/", "/api/", "/chat/", "/settings/"):
            assert f"Disallow: {path}" in lines
        assert "Disallow: /" not in lines, "the public pages stay crawlable"


class TestNoindex:
    NOINDEX = '<meta name="robots" content="noindex">'

    def test_members_profiles_posts_pets_and_walks_ask_not_to_be_indexed(self, client, member):
        post = PostFactory(author=member, text="오늘 산책 #산책")
        pet = PetFactory(owner=member, name="두부")
        walk = WalkFactory(host=member)

        for path in (
            f"/members/{member.username}/",
            f"/posts/{post.pk}/",
            f"/pets/{pet.pk}/",
            walk.get_absolute_url(),
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            assert self.NOINDEX in response.content.decode(), path

    def test_the_public_pages_may_be_indexed(self, client):
        for path in ("/", "/walks/"):
            assert self.NOINDEX not in client.get(path).content.decode(), path


class TestIcons:
    def test_favicon_ico_is_our_own_icon(self, client):
        response = client.get("/favicon.ico")

        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00", "an ICO file"

    def test_every_page_links_its_icons_and_the_manifest_from_our_own_files(self, client):
        html = client.get("/").content.decode()

        assert 'rel="icon" href="/static/icons/icon.svg"' in html
        assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
        assert 'rel="manifest" href="/site.webmanifest"' in html
        for icon in (
            "icons/icon.svg",
            "icons/apple-touch-icon.png",
            "icons/icon-192.png",
            "icons/icon-512.png",
        ):
            assert finders.find(icon), f"{icon} is in the repository"

    def test_the_manifest_names_the_site_and_its_home_screen_icons(self, client):
        manifest = client.get("/site.webmanifest").json()

        assert manifest["name"] == "Petrasche"
        assert manifest["start_url"] == "/"
        assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
        assert manifest["display"] == "standalone"
        assert manifest["scope"] == "/"
        [maskable] = [icon for icon in manifest["icons"] if icon.get("purpose") == "maskable"]
        assert finders.find(maskable["src"].removeprefix("/static/"))
        assert Image.open(finders.find(maskable["src"].removeprefix("/static/"))).size == (512, 512)


class TestInstallableApp:
    def test_the_service_worker_comes_from_the_root_never_cached_and_scoped_to_the_whole_site(self, client):
        response = client.get("/sw.js")
        body = response.content.decode()

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert "no-cache" in response["Cache-Control"]
        assert response["Service-Worker-Allowed"] == "/"
        assert '"/offline/"' in body
        assert '"/static/css/site.css"' in body
        for prefix in ("/admin/", "/api/", "/ws/", "/settings/", "/chat/", "/notifications/", "/privacy/"):
            assert f'"{prefix}"' in body

    def test_the_offline_page_shows_nothing_of_the_member(self, client, member):
        client.force_login(member)
        html = client.get("/offline/").content.decode()

        assert "오프라인이에요" in html
        assert member.username not in html
        assert member.nickname not in html

    def test_iphones_get_the_share_menu_instructions_and_others_the_install_button(self, client):
        iphone = client.get(
            "/",
            HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Version/18.1 Safari/604.1",
        ).content.decode()
        android = client.get(
            "/", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36"
        ).content.decode()

        assert 'data-role="install-sheet"' in iphone
        assert "홈 화면에 추가" in iphone
        assert "공유" in iphone
        assert 'data-role="install-button"' not in iphone
        assert 'data-role="install-button"' in android
        assert 'data-role="install-sheet"' not in android


class TestLegalLinks:
    def test_the_footer_links_the_terms_and_the_privacy_policy_on_every_page(self, client):
        terms = legal_page(LegalDocument.TERMS)
        privacy = legal_page(LegalDocument.PRIVACY)
        html = client.get("/walks/").content.decode()

        assert '<a href="/privacy/legal/terms/">이용약관</a>' in html
        assert "개인정보 처리방침" in html
        assert client.get("/privacy/legal/terms/").url == terms.url
        assert client.get("/privacy/legal/privacy/").url == privacy.url

    def test_a_document_that_is_not_published_is_not_found(self, client):
        assert client.get("/privacy/legal/marketing/").status_code == 404
