"""/healthz says the process is alive; /readyz checks every server the site needs and names those
that fail. Failures are real: servers pointed at a closed port on this machine."""

import socket

import pytest

from site_core.health import LIVENESS_PATH, READINESS_PATH
from site_core.settings.base import redis_cache


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_liveness_answers_without_touching_the_database(client):
    """No database access is allowed in this test: the probe must not need one."""
    response = client.get(LIVENESS_PATH)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [LIVENESS_PATH, READINESS_PATH])
@pytest.mark.django_db
def test_probes_answer_any_host_over_plain_http(client, settings, path):
    """A container health check calls http://127.0.0.1:8000 with a Host the site does not serve."""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(path, HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_readiness_reports_every_check_ok(client, settings):
    settings.READINESS_CHECKS = ["database", "cache", "channel_layer", "search"]

    response = client.get(READINESS_PATH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok", "search": "ok"},
    }


@pytest.mark.django_db
def test_readiness_names_each_server_that_does_not_answer(client, settings):
    port = closed_port()
    settings.READINESS_CHECKS = ["database", "cache", "channel_layer", "search"]
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": f"redis://127.0.0.1:{port}/0", "socket_connect_timeout": 0.5}]},
        }
    }
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [f"http://127.0.0.1:{port}"],
            "TIMEOUT": 1,
            "OPTIONS": {"max_retries": 0},
        }
    }

    response = client.get(READINESS_PATH)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["cache", "channel_layer", "search"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("failed")


@pytest.mark.django_db
def test_readiness_fails_when_no_worker_has_reported(client, settings):
    settings.READINESS_CHECKS = ["database", "worker"]

    response = client.get(READINESS_PATH)

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


@pytest.fixture
def failing_worker(settings):
    settings.READINESS_CHECKS = ["database", "worker"]


@pytest.mark.django_db
def test_finding_18_readiness_tells_strangers_only_the_status(client, failing_worker):
    response = client.get(READINESS_PATH, REMOTE_ADDR="203.0.113.9", HTTP_HOST="petrasche.example")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_readiness_through_a_trusted_proxy_tells_its_clients_only_the_status(
    client, settings, failing_worker
):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]

    through = client.get(READINESS_PATH, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    spoofed = client.get(
        READINESS_PATH, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9"
    )
    by_the_balancer = client.get(READINESS_PATH, REMOTE_ADDR="10.0.0.2")

    assert through.json() == spoofed.json() == {"status": "unavailable"}
    assert by_the_balancer.json()["failing"] == ["worker"], "the load balancer's own probe sees the details"


@pytest.mark.django_db
def test_readiness_forwarded_by_a_proxy_we_were_not_told_about_tells_only_the_status(client, failing_worker):
    """nginx on this machine, before TRUSTED_PROXIES names it: its peer address is 127.0.0.1."""
    response = client.get(READINESS_PATH, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.json() == {"status": "unavailable"}
