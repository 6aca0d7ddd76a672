"""Production security settings: HTTPS behind the proxy, cookie flags, CSRF on every form."""

import json
import re
from pathlib import Path

import pytest

from site_core.tests.test_settings import run_django

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
PRODUCTION_ENV = {"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "petrasche.example"}
COOKIE_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in [
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
]}))
"""


def test_production_cookies_are_secure_and_hidden_from_scripts():
    result = run_django("site_core.settings.production", COOKIE_PROBE, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    flags = json.loads(result.stdout.strip().splitlines()[-1])
    assert flags == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
    }


@pytest.mark.django_db
def test_requests_the_proxy_marks_as_https_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]  # the test client's address: our proxy here

    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_every_form_that_posts_carries_the_csrf_token():
    forms = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)
    checked, missing = 0, []
    for template in TEMPLATES_DIR.rglob("*.html"):
        for body in forms.findall(template.read_text()):
            checked += 1
            if "{% csrf_token %}" not in body:
                missing.append(str(template.relative_to(TEMPLATES_DIR)))

    assert checked > 10
    assert missing == []
