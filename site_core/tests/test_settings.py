"""Settings come from the environment only; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notifications.vapid import generate_vapid_keys

# Each case starts a Django process of its own.
pytestmark = pytest.mark.processes

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CONFIG_VARS = [
    "DATABASE_URL",
    "REDIS_URL",
    "SEARCH_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "KAKAO_CLIENT_ID",
    "KAKAO_CLIENT_SECRET",
    "EMAIL_HOST",
    "TRUSTED_PROXIES",
]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "use_tz": settings.USE_TZ,
    "q_orm": settings.Q_CLUSTER.get("orm"),
    "kakao_apps": len(settings.SOCIALACCOUNT_PROVIDERS["kakao"]["APPS"]),
}))
"""


def run_django(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


def probe(settings_module: str, **env: str) -> dict:
    result = run_django(settings_module, PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.smoke
def test_with_no_variables_the_site_runs_embedded():
    config = probe("site_core.settings.dev")

    assert config["db"] == "django.db.backends.sqlite3"
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["layer"] == "channels.layers.InMemoryChannelLayer"
    assert config["search"] == "wagtail.search.backends.database"
    assert config["email"] == "django.core.mail.backends.console.EmailBackend"
    assert config["q_orm"] == "default"
    assert config["kakao_apps"] == 0
    assert (config["tz"], config["lang"], config["use_tz"]) == ("Asia/Seoul", "ko", True)


def test_servers_are_chosen_by_environment_variables():
    config = probe(
        "site_core.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/petrasche",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SEARCH_URL="opensearch://127.0.0.1:9200",
        EMAIL_HOST="smtp.example.com",
        KAKAO_CLIENT_ID="kakao-id",
    )

    assert config["db"] == "django.db.backends.postgresql"
    assert config["cache"] == "django_redis.cache.RedisCache"
    assert config["layer"] == "channels_redis.core.RedisChannelLayer"
    assert config["search"] == "wagtail.search.backends.opensearch3"
    assert config["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["q_orm"] == "default", "tasks stay durable rows in the database even with Redis"
    assert config["kakao_apps"] == 1


def test_an_http_search_url_selects_elasticsearch():
    assert probe("site_core.settings.dev", SEARCH_URL="https://es.example:9200")["search"] == (
        "wagtail.search.backends.elasticsearch9"
    )


def test_debug_is_off_unless_dev():
    assert probe("site_core.settings.dev")["debug"] is True
    assert probe("site_core.settings.test")["debug"] is False
    production = probe(
        "site_core.settings.production", SECRET_KEY="x" * 64, ALLOWED_HOSTS="petrasche.example"
    )
    assert production["debug"] is False


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ALLOWED_HOSTS": "petrasche.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "too-short", "ALLOWED_HOSTS": "petrasche.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 64}, "ALLOWED_HOSTS"),
        (
            {
                "SECRET_KEY": "x" * 64,
                "ALLOWED_HOSTS": "petrasche.example",
                "TRUSTED_PROXIES": "10.0.0.0/8,nginx",
            },
            "TRUSTED_PROXIES",
        ),
        (
            {
                "SECRET_KEY": "x" * 64,
                "ALLOWED_HOSTS": "petrasche.example",
                "WEB_PUSH_VAPID_PUBLIC_KEY": generate_vapid_keys()[0],
                "WEB_PUSH_VAPID_PRIVATE_KEY": generate_vapid_keys()[1],
            },
            "WEB_PUSH_VAPID_PUBLIC_KEY is not the public half",
        ),
        (
            {
                "SECRET_KEY": "x" * 64,
                "ALLOWED_HOSTS": "petrasche.example",
                "WEB_PUSH_VAPID_PUBLIC_KEY": "BAAA",
            },
            "must be set together",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, complaint):
    result = run_django("site_core.settings.production", PROBE, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_check_deploy_with_production_settings_reports_nothing():
    code = "import django; django.setup(); from django.core.management import call_command; " + (
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_django(
        "site_core.settings.production",
        code,
        SECRET_KEY="k" * 20 + "-A9z" * 12,
        ALLOWED_HOSTS="petrasche.example",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_check_deploy_passes_a_web_push_configuration_and_names_a_bad_contact():
    public, private = generate_vapid_keys()
    code = "import django; django.setup(); from django.core.management import call_command; " + (
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    env = {
        "SECRET_KEY": "k" * 20 + "-A9z" * 12,
        "ALLOWED_HOSTS": "petrasche.example",
        "WEB_PUSH_VAPID_PUBLIC_KEY": public,
        "WEB_PUSH_VAPID_PRIVATE_KEY": private,
    }
    good = run_django(
        "site_core.settings.production", code, **env, WEB_PUSH_CONTACT="mailto:ops@petrasche.example"
    )
    bad = run_django(
        "site_core.settings.production",
        code,
        **env,
        WEB_PUSH_CONTACT="ops",
        WEB_PUSH_ALLOWED_HOSTS="127.0.0.1",
    )

    assert good.returncode == 0, good.stderr
    assert bad.returncode != 0
    assert "petrasche.E202" in bad.stderr
    assert "petrasche.E203" in bad.stderr


def test_finding_18_dev_settings_make_a_random_secret_key_per_checkout():
    """A key written in the code let anyone forge sessions and tokens of a `make run` instance
    reachable from outside: each checkout makes its own, kept in var/ like the demo password."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"

    first = run_django("site_core.settings.dev", code)
    second = run_django("site_core.settings.dev", code)

    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert key != "dev-only-insecure-key-petrasche"
    assert len(key) >= 50
    assert second.stdout.strip().splitlines()[-1] == key, "the same key every start"
    assert (BASE_DIR / "var" / "secret-key.txt").read_text().strip() == key
    assert (
        run_django("site_core.settings.dev", code, SECRET_KEY="from-the-environment")
        .stdout.strip()
        .endswith("from-the-environment")
    )


def test_a_checkout_secret_is_random_private_and_kept(tmp_path):
    from site_core.settings.base import checkout_secret

    one = checkout_secret(tmp_path / "one" / "secret.txt")
    other = checkout_secret(tmp_path / "other" / "secret.txt")

    assert len(one) >= 50
    assert one != other
    assert checkout_secret(tmp_path / "one" / "secret.txt") == one
    assert (tmp_path / "one" / "secret.txt").stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in (tmp_path / "one").iterdir()) == ["secret.txt"], "no drafts left"
