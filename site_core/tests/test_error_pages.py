"""Error pages: in the site's layout, in the visitor's language, each with a way back. The 500 page
reads nothing that could fail: no database, no request, no context processor."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from community.tests.factories import PostFactory
from core.errors import server_error

pytestmark = pytest.mark.django_db

HOME_LINK = 'href="/"'


def english(client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


class TestNotFound:
    def test_in_korean_in_the_sites_layout_with_ways_back(self, client):
        response = client.get("/no-such-page/")

        assert response.status_code == 404
        html = response.content.decode()
        assert 'data-status="404"' in html
        assert "페이지를 찾을 수 없어요" in html
        assert "홈으로 돌아가기" in html
        assert 'href="/search/"' in html
        assert 'class="site-header"' in html
        assert 'class="site-footer"' in html
        assert '<meta name="robots" content="noindex">' in html

    def test_in_english_for_a_visitor_who_chose_english(self, client):
        html = english(client).get("/posts/999999999/").content.decode()

        assert "We cannot find this page" in html
        assert "Back to the home page" in html


class TestForbidden:
    def test_someone_elses_post_cannot_be_edited_and_the_page_says_so(self, client, member, other_member):
        post = PostFactory(author=other_member, text="콩이 산책")
        client.force_login(member)

        response = client.get(f"/posts/{post.pk}/edit/")

        assert response.status_code == 403
        html = response.content.decode()
        assert 'data-status="403"' in html
        assert "이 페이지를 열 수 없어요" in html
        assert HOME_LINK in html
        assert "두부엄마" in html, "the header still knows the member"

    def test_an_expired_form_says_what_to_do(self, member):
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)

        response = client.post("/posts/new/", {"text": "안녕"})

        assert response.status_code == 403
        html = response.content.decode()
        assert "양식이 만료됐어요" in html
        assert HOME_LINK in html


class TestBadRequest:
    def test_a_refused_request_explains_itself_and_links_home(self, client):
        response = client.get("/search/", {"q": "산책\x00"})

        assert response.status_code == 400
        html = response.content.decode()
        assert 'data-status="400"' in html
        assert HOME_LINK in html
        assert 'class="site-footer"' in html


@pytest.mark.urls("site_core.tests.urls_errors")
class TestServerError:
    def test_a_bug_shows_our_page_in_korean_with_a_way_home(self):
        response = Client(raise_request_exception=False).get("/broken/")

        assert response.status_code == 500
        html = response.content.decode()
        assert 'data-status="500"' in html
        assert "문제가 생겼어요" in html
        assert HOME_LINK in html
        assert '<html lang="ko">' in html

    def test_the_page_needs_no_database_and_no_context(self, django_assert_num_queries):
        request = RequestFactory().get("/broken/")

        with django_assert_num_queries(0), translation.override("en"):
            response = server_error(request)

        html = response.content.decode()
        assert response.status_code == 500
        assert "Something went wrong on our side" in html
        assert "Back to the home page" in html
        assert "/static/css/" not in html, "its look is inline: no file that could be missing"
