"""Finding 17: failed logins were counted per typed identifier, so the handle and the e-mail gave
ten guesses each, and anyone could lock a member's handle for 15 minutes. Now they count per
account, and the lock holds for that account from that address (core/login_limits.py)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.5"
MEMBERS_HOME = "198.51.100.20"


def log_in(client, login: str, password: str, address: str):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address)


def test_finding_17_the_handle_and_the_email_share_one_count_per_account(member, settings):
    """Guesses spread over addresses meet the account's ceiling (lowered here to 10) together."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_failed_account": (10, 15 * 60)}
    guesser = Client()
    for n in range(5):
        assert log_in(guesser, "dubu", "wrong", f"198.18.0.{n}").status_code == 200
        assert log_in(guesser, "DUBU@example.com", "wrong", f"198.18.1.{n}").status_code == 200

    response = log_in(guesser, "dubu", DEFAULT_PASSWORD, "198.18.2.1")

    assert response.status_code == 429, "ten wrong passwords for the account, whichever way it was named"
    assert int(response["Retry-After"]) > 0
    assert SESSION_KEY not in guesser.session


def test_the_handle_and_the_email_share_one_count_from_one_address(client, member):
    for _ in range(5):
        assert log_in(client, "dubu", "wrong", STRANGER).status_code == 200
        assert log_in(client, "dubu@example.com", "wrong", STRANGER).status_code == 200

    assert log_in(client, "dubu", DEFAULT_PASSWORD, STRANGER).status_code == 429


def test_finding_17_a_stranger_cannot_lock_a_member_out(member):
    stranger = Client()
    for n in range(20):  # twenty addresses: as many as one person easily borrows
        log_in(stranger, "dubu", "wrong", f"198.18.0.{n}")
    for _ in range(10):
        log_in(stranger, "dubu@example.com", "wrong", STRANGER)

    at_home = log_in(Client(), "dubu", DEFAULT_PASSWORD, MEMBERS_HOME)

    assert at_home.status_code == 302
    assert log_in(stranger, "dubu", DEFAULT_PASSWORD, STRANGER).status_code == 429, "the stranger is locked"


def test_failed_api_tokens_and_logins_count_for_the_same_account(member):
    api = APIClient()
    for _ in range(10):
        response = api.post(
            "/api/auth/token/",
            {"username": "dubu@example.com", "password": "wrong"},
            format="json",
            REMOTE_ADDR=STRANGER,
        )
        assert response.status_code == 401

    assert log_in(Client(), "dubu", DEFAULT_PASSWORD, STRANGER).status_code == 429
    token = api.post(
        "/api/auth/token/",
        {"username": "dubu", "password": DEFAULT_PASSWORD},
        format="json",
        REMOTE_ADDR=MEMBERS_HOME,
    )
    assert token.status_code == 200


def test_a_name_that_is_no_account_is_limited_the_same_way(client, member):
    """The answers must not tell members from strangers: an unknown name locks after ten too."""
    for _ in range(10):
        assert log_in(client, "nobody", "wrong", STRANGER).status_code == 200

    assert log_in(client, "NOBODY", "wrong", STRANGER).status_code == 429
    assert log_in(client, "dubu", DEFAULT_PASSWORD, STRANGER).status_code == 302, (
        "other accounts are not locked"
    )


def test_re_authentication_counts_wrong_passwords_too(client, member):
    client.force_login(member)
    for _ in range(10):
        client.post(reverse("account_reauthenticate"), {"password": "wrong"}, REMOTE_ADDR=STRANGER)

    assert log_in(Client(), "dubu", DEFAULT_PASSWORD, STRANGER).status_code == 429
