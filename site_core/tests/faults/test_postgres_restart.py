"""PostgreSQL restarted under a running web server: requests fail cleanly with 503 while it is
down, then succeed again without restarting the web process."""

import pytest
import requests

from .conftest import eventually

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def web(stack):
    server = stack.web_server()
    server.start()
    yield server
    server.stop()


def status(url: str, **kwargs) -> int:
    return requests.get(url, timeout=10, **kwargs).status_code


def test_requests_get_503_while_the_database_is_down_and_recover_after(stack, web):
    availability = f"{web.url}/api/accounts/availability/?username=dubu_dog"
    assert status(f"{web.url}/") == 200
    assert status(availability) == 200
    pid = web.pid

    stack.postgres.stop()
    try:
        page = requests.get(f"{web.url}/", timeout=10)
        api = requests.get(availability, timeout=10)
        ready = requests.get(f"{web.url}/readyz", timeout=10)
        alive = requests.get(f"{web.url}/healthz", timeout=10)
    finally:
        stack.postgres.start()

    assert page.status_code == 503
    assert page.headers["Retry-After"] == "10"
    assert "<h1>" in page.text
    assert "Traceback" not in page.text
    assert api.status_code == 503
    assert api.json()["code"] == "database_unavailable"
    assert ready.status_code == 503
    assert "database" in ready.json()["failing"]
    assert alive.status_code == 200

    assert eventually(lambda: status(f"{web.url}/") == 200, timeout=30)
    assert status(availability) == 200
    assert requests.get(f"{web.url}/readyz", timeout=10).json()["checks"]["database"] == "ok"
    assert web.pid == pid, "the web process was not restarted"
