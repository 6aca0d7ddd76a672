"""Each limit in settings.RATE_LIMITS answers 429 (with Retry-After) at its stated count."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from community.models import Comment, Post
from community.tests.factories import PostFactory, image_upload
from core import ratelimit

pytestmark = pytest.mark.django_db
User = get_user_model()


def stated(name: str, count: int, seconds: int) -> int:
    """The real setting, checked against what the issue states."""
    assert settings.RATE_LIMITS[name] == (count, seconds)
    return count


def api_client_for(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def assert_too_many(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.fixture
def veteran(db):
    """A member older than a day: no new-account post limit."""
    return UserFactory(username="veteran", date_joined=timezone.now() - timedelta(days=3))


def test_sign_up_is_limited_to_5_per_30_minutes_per_address(client):
    limit = stated("signup", 5, 30 * 60)
    for n in range(limit):
        response = client.post(
            reverse("account_signup"),
            {
                "username": f"newbie{n}",
                "email": f"newbie{n}@example.com",
                "password1": DEFAULT_PASSWORD,
                "password2": DEFAULT_PASSWORD,
            },
        )
        assert response.status_code == 302
        client.logout()
    response = client.post(
        reverse("account_signup"),
        {
            "username": "newbie9",
            "email": "n9@example.com",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )
    assert_too_many(response)
    assert "429.html" in [template.name for template in response.templates]
    assert not User.objects.filter(username="newbie9").exists()
    other_address = client.post(
        reverse("account_signup"),
        {
            "username": "newbie8",
            "email": "n8@example.com",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_address.status_code == 302


def test_failed_logins_are_limited_to_10_per_15_minutes_per_account_from_one_address(client, member):
    limit = stated("login_failed", 10, 15 * 60)
    for _ in range(limit):
        response = client.post(reverse("account_login"), {"login": "dubu", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})
    assert_too_many(response)
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.9.9"
    )
    assert elsewhere.status_code == 302


def test_failed_logins_are_limited_to_100_per_15_minutes_per_account_across_addresses(client, member):
    limit = stated("login_failed_account", 100, 15 * 60)
    for n in range(limit):
        client.post(
            reverse("account_login"), {"login": "dubu", "password": "wrong"}, REMOTE_ADDR=f"10.1.{n // 8}.{n}"
        )
    response = client.post(
        reverse("account_login"), {"login": "DUBU", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.0.2.1"
    )
    assert_too_many(response)


def test_failed_logins_are_limited_to_50_per_15_minutes_per_address_across_accounts(client, member, settings):
    limit = stated("login_failed_address", 50, 15 * 60)
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": None}  # allauth's 30 a minute
    for n in range(limit):
        client.post(reverse("account_login"), {"login": f"someone{n}", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})
    assert_too_many(response)


def test_successful_logins_do_not_count(client, member):
    for _ in range(12):
        response = client.post(reverse("account_login"), {"login": "dubu", "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        client.logout()


def test_accounts_younger_than_a_day_post_10_times_an_hour(member):
    limit = stated("post_new_account", 10, 60 * 60)
    client = api_client_for(member)
    for n in range(limit):
        assert client.post("/api/posts/", {"text": f"글 {n}"}, format="json").status_code == 201
    response = client.post("/api/posts/", {"text": "한 번 더"}, format="json")
    assert_too_many(response)
    assert "detail" in response.json()
    assert Post.objects.count() == limit


def test_the_post_page_shows_the_friendly_429(client, member):
    limit = stated("post_new_account", 10, 60 * 60)
    client.force_login(member)
    for n in range(limit):
        assert client.post("/posts/new/", {"text": f"글 {n}"}).status_code == 302
    response = client.post("/posts/new/", {"text": "한 번 더"})
    assert_too_many(response)
    assert "429.html" in [template.name for template in response.templates]
    assert Post.objects.count() == limit


def test_older_accounts_have_no_post_limit(veteran):
    client = api_client_for(veteran)
    for n in range(11):
        assert client.post("/api/posts/", {"text": f"글 {n}"}, format="json").status_code == 201


def test_comments_are_limited_to_30_per_10_minutes(veteran):
    limit = stated("comment", 30, 10 * 60)
    post = PostFactory(author=veteran)
    client = api_client_for(veteran)
    for n in range(limit):
        assert client.post(f"/api/posts/{post.pk}/comments/", {"text": f"댓글 {n}"}).status_code == 201
    assert_too_many(client.post(f"/api/posts/{post.pk}/comments/", {"text": "하나 더"}))
    assert Comment.objects.count() == limit


def test_uploads_are_limited_to_30_photos_per_30_minutes(veteran):
    limit = stated("upload", 30, 30 * 60)
    client = api_client_for(veteran)
    per_post = 10
    for post_number in range(limit // per_post):
        response = client.post(
            "/api/posts/",
            {
                "text": f"사진 {post_number}",
                "photos": [image_upload(f"p{i}.png") for i in range(per_post)],
                "alt_texts": [f"사진 {i}" for i in range(per_post)],
            },
            format="multipart",
        )
        assert response.status_code == 201
    response = client.post(
        "/api/posts/",
        {"text": "하나 더", "photos": [image_upload("last.png")], "alt_texts": ["마지막"]},
        format="multipart",
    )
    assert_too_many(response)
    assert Post.objects.count() == limit // per_post


def test_the_api_allows_300_requests_per_5_minutes_per_member(member, other_member):
    limit = stated("api", 300, 5 * 60)
    client = api_client_for(member)
    for _ in range(limit):
        assert client.get("/api/accounts/me/").status_code == 200
    assert_too_many(client.get("/api/accounts/me/"))
    assert api_client_for(other_member).get("/api/accounts/me/").status_code == 200


def test_limits_can_be_raised_in_settings(settings, member):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (2, 60)}
    ratelimit.hit("comment", member.pk)
    ratelimit.hit("comment", member.pk)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("comment", member.pk)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (0, 60)}
    for _ in range(5):
        ratelimit.hit("comment", member.pk)


def test_a_new_window_starts_the_count_again(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (1, 60)}
    ratelimit.hit("comment", 1, now=1_000_030)  # windows start every 60 s: 1_000_020, 1_000_080
    with pytest.raises(ratelimit.RateLimited) as limited:
        ratelimit.hit("comment", 1, now=1_000_050)
    assert limited.value.retry_after == 30
    ratelimit.hit("comment", 1, now=1_000_080)


def test_the_limiter_fails_open_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (1, 60), "login_failed": (1, 60)}
    for _ in range(3):
        ratelimit.hit("comment", 1)
        ratelimit.count("login_failed", "account", 1, "ip", "10.0.0.1")
        ratelimit.check("login_failed", "account", 1, "ip", "10.0.0.1")


def test_the_openapi_schema_documents_429(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "RateLimited" in schema["components"]["responses"]
    assert schema["paths"]["/api/posts/"]["post"]["responses"]["429"] == {
        "$ref": "#/components/responses/RateLimited"
    }


def test_failed_token_requests_count_as_failed_logins(api_client, member):
    limit = stated("login_failed", 10, 15 * 60)
    for _ in range(limit):
        response = api_client.post(
            "/api/auth/token/", {"username": "dubu", "password": "wrong"}, format="json"
        )
        assert response.status_code == 401
    response = api_client.post(
        "/api/auth/token/", {"username": "dubu", "password": DEFAULT_PASSWORD}, format="json"
    )
    assert_too_many(response)


def test_profile_photos_count_as_uploads(client, veteran):
    limit = stated("upload", 30, 30 * 60)
    ratelimit.hit("upload", veteran.pk, amount=limit)
    client.force_login(veteran)
    response = client.post("/settings/profile/", {"nickname": "새 이름", "avatar": image_upload("me.png")})
    assert_too_many(response)
    veteran.refresh_from_db()
    assert not veteran.avatar


def test_pet_photos_count_as_uploads_on_the_page_and_in_the_api(client, veteran):
    from pets.models import Pet

    limit = stated("upload", 30, 30 * 60)
    ratelimit.hit("upload", veteran.pk, amount=limit)
    client.force_login(veteran)

    pet = {"name": "콩이", "species": "dog", "sex": "female", "size": "small", "age_years": "3"}

    page = client.post("/pets/new/", {**pet, "photo": image_upload("kongi.png")})
    assert_too_many(page)
    api = client.post("/api/pets/", {**pet, "photo": image_upload("dubu.png")})
    assert_too_many(api)
    assert not Pet.objects.exists()
    assert client.post("/pets/new/", pet).status_code == 302, "a pet without a photo is no upload"


def test_the_sites_scripts_get_json_with_retry_after(client, veteran):
    limit = stated("comment", 30, 10 * 60)
    post = PostFactory(author=veteran)
    ratelimit.hit("comment", veteran.pk, amount=limit)
    client.force_login(veteran)
    response = client.post(f"/posts/{post.pk}/comments/", {"text": "하나 더"}, HTTP_ACCEPT="application/json")
    assert_too_many(response)
    assert "detail" in response.json()
    assert not Comment.objects.exists()
