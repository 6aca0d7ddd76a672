"""Structured logs: each request gets an id (the proxy's, if sane) that every log record written
for it carries and the response echoes; errors go to Sentry when SENTRY_DSN is set."""

import io
import json
import logging
import re
import sys

import pytest

from core.logging import JsonFormatter, RequestIdFilter
from site_core.tests.test_settings import run_django


@pytest.fixture
def json_log():
    """What the django.request logger writes through our filter and JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_the_proxys_request_id_is_logged_and_echoed(client, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="edge-4f2a9c01")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "edge-4f2a9c01"
    [record] = json_log()
    assert record["request_id"] == "edge-4f2a9c01"
    assert record["level"] == "WARNING"
    assert record["status_code"] == 404
    assert "/no-such-page/" in record["message"]


@pytest.mark.parametrize("given", ["", "short", "has spaces in it", "x" * 200, "new\nline-injected"])
@pytest.mark.django_db
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client, json_log, given):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=given)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert json_log()[0]["request_id"] == response["X-Request-ID"]


def test_records_outside_a_request_and_tracebacks_are_written_as_json():
    formatter, record_filter = JsonFormatter(), RequestIdFilter()
    try:
        raise ValueError("보호자 없음")
    except ValueError:
        record = logging.getLogger("petrasche").makeRecord(
            "petrasche", logging.ERROR, __file__, 1, "check failed for %s", ("두부",), exc_info=sys.exc_info()
        )
    record_filter.filter(record)

    entry = json.loads(formatter.format(record))

    assert entry["message"] == "check failed for 두부"
    assert entry["request_id"] == "-"
    assert "ValueError: 보호자 없음" in entry["exception"]


SENTRY_PROBE = """
import json, django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "dsn": client.dsn,
    "django": "django" in getattr(client, "integrations", {}),
    "send_default_pii": client.options["send_default_pii"] if client.is_active() else None,
    "log_format": __import__("django.conf").conf.settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""
PRODUCTION_ENV = {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "petrasche.example"}


def test_sentry_is_initialised_with_the_dsn_when_one_is_set():
    dsn = "https://publickey@sentry.petrasche.example/7"
    result = run_django("site_core.settings.production", SENTRY_PROBE, SENTRY_DSN=dsn, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {
        "active": True,
        "dsn": dsn,
        "django": True,
        "send_default_pii": False,
        "log_format": "json",
    }


def test_without_a_dsn_nothing_is_sent_anywhere():
    result = run_django("site_core.settings.production", SENTRY_PROBE, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["active"] is False
