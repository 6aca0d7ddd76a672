"""NUL bytes and unpaired surrogates are refused at the edge (core/edge.py): a 400 that says
what is wrong, and nothing changes. Findings 12's probes reproduced (on PostgreSQL they were 500s)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from community.models import Post
from community.tests.factories import PostFactory
from pets.models import Pet
from pets.tests.factories import PetFactory

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "요청에 허용되지 않는 NUL 문자가 들어 있어요. 지우고 다시 보내 주세요."
SURROGATE_MESSAGE = (
    "요청에 올바른 유니코드가 아닌 글자(짝이 없는 서로게이트)가 들어 있어요. 고친 뒤 다시 보내 주세요."
)


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


def test_finding_12_a_nul_byte_in_the_search_suggestions_query_is_a_400_not_a_500(client):
    response = client.get("/search/suggest/?q=%00", HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE, "code": "invalid_characters"}


@pytest.mark.parametrize(
    "path",
    ["/tags/a%00b/", "/members/a%00b/", "/api/members/a%00b/", "/chat/direct/a%00b/"],
)
def test_finding_12_a_nul_byte_in_a_path_is_a_400_not_a_500(member_client, other_member, path):
    response = member_client.get(path)

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_finding_12_a_lone_surrogate_in_a_json_body_is_a_400_not_a_500(api_client, member):
    """The login limit's key was made from the typed name before anything checked it."""
    response = api_client.post(
        "/api/auth/token/",
        data='{"username": "dubu\\ud800", "password": "x"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == SURROGATE_MESSAGE


def test_a_lone_surrogate_in_a_json_body_gets_our_message_and_creates_nothing(member_api_client):
    response = member_api_client.post(
        "/api/posts/", data='{"text": "산책 \\ud800 다녀왔어요"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == SURROGATE_MESSAGE
    assert not Post.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/kakao/login/", "/accounts/kakao/login/callback/"])
def test_finding_12_kakao_pages_answer_404_while_kakao_has_no_keys(client, settings, path):
    assert settings.SOCIALACCOUNT_PROVIDERS["kakao"]["APPS"] == [], "no KAKAO_CLIENT_ID in the tests"

    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_a_nul_byte_in_a_form_is_refused_before_the_view_saves_it(member_client):
    response = member_client.post("/posts/new/", {"text": "오늘 산책\x00"})

    assert response.status_code == 400
    assert "요청을 읽을 수 없어요" in response.content.decode()
    assert not Post.objects.exists()


def test_a_nul_byte_in_an_api_form_changes_nothing_whatever_the_method(member_api_client, member):
    pet = PetFactory(owner=member, name="두부")

    response = member_api_client.patch(f"/api/pets/{pet.pk}/", {"intro": "안녕\x00"}, format="multipart")

    assert response.status_code == 400
    assert response.json()["detail"] == NUL_MESSAGE
    assert Pet.objects.get(pk=pet.pk).intro == ""


def test_a_nul_byte_in_json_escapes_is_refused(member_api_client, member):
    post = PostFactory(author=member, text="원래 글")

    response = member_api_client.patch(
        f"/api/posts/{post.pk}/", data='{"text": "\\u0000"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert Post.objects.get(pk=post.pk).text == "원래 글"


def test_a_nul_byte_in_a_header_or_a_cookie_is_refused(client):
    assert client.get("/", HTTP_USER_AGENT="curl\x00").status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 400


def test_json_nested_too_deeply_is_a_400_not_a_500(member_api_client):
    response = member_api_client.post("/api/posts/", data="[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert not Post.objects.exists()


def test_paired_surrogates_are_ordinary_text(member_api_client):
    response = member_api_client.post(
        "/api/posts/", data='{"text": "산책 \\ud83d\\udc36"}', content_type="application/json"
    )

    assert response.status_code == 201
    assert Post.objects.get().text == "산책 🐶"


def test_the_refusal_speaks_english_too():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"

    with_nul = client.get("/api/search/?q=%00")

    assert with_nul.status_code == 400
    assert with_nul.json()["detail"] == (
        "The request contains a NUL character, which is not allowed. Remove it and try again."
    )


def api_views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from api_views(entry)
        elif isinstance(entry, URLPattern) and hasattr(
            getattr(entry.callback, "cls", None), "parser_classes"
        ):
            yield entry.callback.cls


def test_every_api_view_parses_bodies_with_the_checking_parsers():
    """A view with parsers of its own (``parser_classes = [rest_framework.parsers.JSONParser]``)
    would let NUL bytes through to the database: every parser must be one of core.edge's."""
    from core import edge  # imported here: the module is new since finding 12

    checking = (edge.JSONParser, edge.FormParser, edge.MultiPartParser)
    views = list(api_views())

    assert len(views) > 40
    unchecked = {
        f"{view.__module__}.{view.__name__}: {parser.__name__}"
        for view in views
        for parser in view.parser_classes
        if not issubclass(parser, checking)
    }
    assert unchecked == set()
