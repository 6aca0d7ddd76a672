import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client

from site_core.asgi import application


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_http_is_served_through_the_asgi_application():
    communicator = HttpCommunicator(
        application, "GET", "/api/accounts/availability/?username=choco", headers=[(b"host", b"localhost")]
    )

    response = await communicator.get_response()

    assert response["status"] == 200
    assert b'"status":"available"' in response["body"]


@pytest.mark.asyncio
async def test_websocket_to_an_unknown_path_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/nowhere/", headers=[(b"origin", b"http://localhost")]
    )

    connected, _ = await communicator.connect()

    assert connected is False


def connections_checked_out() -> int:
    stats = connection.pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


def checked_out_once_settled(expected: int, *, timeout: float = 5.0) -> int:
    """Connections checked out once the server has finished: a response can reach the client a
    moment before the server's thread gives its connection back, so wait (a leak never settles)."""
    deadline = time.monotonic() + timeout
    while (count := connections_checked_out()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="connection pools are PostgreSQL's",
)
def test_not_found_pages_give_their_database_connections_back_to_the_pool(asgi_server_url, member):
    # Under ASGI, Django renders a 404 outside the request's thread; the page reads the
    # member's navigation badges there.
    client = Client()
    client.force_login(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    before = connections_checked_out()

    def not_found(number: int) -> tuple[int, str]:
        url = f"{asgi_server_url}/no-such-page-{number}/"
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (the test's own server)
        try:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        raise AssertionError("a page that does not exist was found")

    # Three at a time, so that several of the server's executor threads render them.
    with ThreadPoolExecutor(max_workers=3) as pool:
        pages = list(pool.map(not_found, range(12)))

    assert {status for status, _ in pages} == {404}
    assert all("두부엄마" in body for _, body in pages)
    assert checked_out_once_settled(before) == before
