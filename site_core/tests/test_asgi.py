import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

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
