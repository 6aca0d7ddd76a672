"""Finding 6: rotating a client-set X-Forwarded-For defeated the per-address limits. The client
address now comes from one function (core/client_ip.py), for our limits, DRF's throttle and
allauth's own limits alike, and a forwarded header counts only from TRUSTED_PROXIES."""

import json
import os
import shlex
import subprocess
import sys

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import DEFAULT_PASSWORD
from site_core.tests.faults.conftest import free_port, wait_for_port
from site_core.tests.test_docker import instructions

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.5"  # a client on the internet, no proxy of ours
PROXY = "10.0.0.2"  # our load balancer
CLIENT = "198.51.100.7"  # a client behind it


def sign_up(client, n: int, **headers):
    return client.post(
        reverse("account_signup"),
        {
            "username": f"newbie{n}",
            "email": f"newbie{n}@example.com",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        **headers,
    )


def sign_ups(client, count: int, headers) -> list[int]:
    """The status of ``count`` sign-ups, the n-th sent with the request headers ``headers(n)``."""
    statuses = []
    for n in range(count):
        statuses.append(sign_up(client, n, **headers(n)).status_code)
        client.logout()
    return statuses


def dockerfile_server(port: int) -> list[str]:
    """The Dockerfile's web server command line (one worker, two threads) on ``port``."""
    [command] = instructions("CMD")
    line = (
        json.loads(command)[-1].replace("${WEB_CONCURRENCY}", "1").replace("${DATABASE_POOL_MAX_SIZE}", "2")
    )
    words = shlex.split(line)
    words = words[words.index("granian") :]
    words[words.index("--host") + 1] = "127.0.0.1"
    words[words.index("--port") + 1] = str(port)
    return [sys.executable, "-m", *words]


@pytest.mark.django_db(transaction=True)
def test_finding_06_the_server_as_the_image_runs_it_ignores_a_rotating_x_forwarded_for(tmp_path):
    """The probe, reproduced: wrong passwords for ever new names, each with a new X-Forwarded-For,
    to the web server started with the Dockerfile's command. The address must stay the
    connection's."""
    if connection.vendor != "postgresql":
        pytest.skip("the server process shares the test database only on PostgreSQL")
    port = free_port()
    database = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "site_core.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "RATE_LIMIT_LOGIN_FAILED": "5",
        "RATE_LIMIT_LOGIN_FAILED_ADDRESS": "5",
    }
    with open(tmp_path / "server.log", "wb") as log:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and the Dockerfile's arguments
            dockerfile_server(port), cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log
        )
    try:
        wait_for_port(port)
        statuses = [
            requests.post(
                f"http://127.0.0.1:{port}/api/auth/token/",
                json={"username": f"guess{n}", "password": "wrong"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
                timeout=30,
            ).status_code
            for n in range(6)
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert statuses == [401] * 5 + [429], (tmp_path / "server.log").read_text(errors="replace")[-2000:]


def test_a_spoofed_x_forwarded_for_from_an_untrusted_peer_does_not_change_the_limit_key(client, settings):
    settings.TRUSTED_PROXIES = []
    statuses = sign_ups(
        client, 6, lambda n: {"REMOTE_ADDR": STRANGER, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
    )

    assert statuses == [302] * 5 + [429], "five sign-ups per address, whatever the header says"
    assert sign_up(client, 9, REMOTE_ADDR="203.0.113.6").status_code == 302, "another address is not limited"


def test_finding_06_behind_a_trusted_proxy_the_limit_key_is_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    statuses = sign_ups(
        client, 6, lambda n: {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, {CLIENT}"}
    )

    assert statuses == [302] * 5 + [429], "the spoofed left-most entries are never read"
    other_client = sign_up(client, 9, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other_client.status_code == 302, "another client behind the same proxy has its own count"


def test_finding_06_the_api_throttle_keys_visitors_by_the_same_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 300)}
    settings.TRUSTED_PROXIES = [PROXY]
    api = APIClient()

    statuses = [
        api.get(
            "/api/walk-boards/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT}"
        ).status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    other = api.get("/api/walk-boards/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200
    spoofing_stranger = [
        api.get("/api/walk-boards/", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert spoofing_stranger == [200, 200, 200, 429]


def test_finding_06_allauths_own_limits_key_by_the_same_address(client, settings):
    """allauth limits password reset requests to 20 a minute per address (``reset_password``)."""
    settings.TRUSTED_PROXIES = [PROXY]

    def reset(n: int, forwarded: str):
        return client.post(
            reverse("account_reset_password"),
            {"email": f"someone{n}@example.com"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    statuses = [reset(n, f"192.0.2.{n}, {CLIENT}").status_code for n in range(21)]

    assert statuses == [302] * 20 + [429]
    assert reset(99, "198.51.100.8").status_code == 302


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "203.0.113.5", "", "203.0.113.5"),
        ([], "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (["10.0.0.2"], "10.0.0.2", "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.2", "192.0.2.1, 198.51.100.7, 10.1.1.1", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "garbage, 198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.7, garbage", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.7:54321", "198.51.100.7"),
        (["2001:db8::/32"], "2001:db8::1", "[2001:db8:ffff::1]:443, 2600::7", "2600::7"),
        (["10.0.0.0/8"], "::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(
    settings, trusted, peer, forwarded, expected
):
    from core.client_ip import client_ip  # imported here: the module is new since finding 6

    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("peer", "is_secure"),
    [(PROXY, True), (STRANGER, False)],
    ids=["from our proxy", "from a stranger"],
)
def test_x_forwarded_proto_makes_a_request_https_only_from_a_trusted_proxy(client, settings, peer, is_secure):
    """A stranger who writes "X-Forwarded-Proto: https" over plain HTTP is redirected to HTTPS
    like everyone else; our proxy's header is believed."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    if is_secure:
        assert response.status_code == 200
    else:
        assert response.status_code == 301
        assert response["Location"].startswith("https://")
