"""Redis stopped and restarted under a running web server: pages and the HTTP API keep working,
chat falls back to HTTP while it is down and is live again after, and no message is lost or
stored twice."""

import json
import uuid
from contextlib import ExitStack

import pytest
import requests
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from .conftest import eventually

pytestmark = pytest.mark.faults

PASSWORD = "faults-Pass-1234"


@pytest.fixture(scope="module")
def web(stack):
    server = stack.web_server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def members(stack, web):
    tokens = {}
    for username in ("redis_dubu", "redis_kongi"):
        stack.create_member(username, PASSWORD)
        response = requests.post(
            f"{web.url}/api/auth/token/", json={"username": username, "password": PASSWORD}, timeout=10
        )
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access"]
    return tokens


def api(web, token: str, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{web.url}{path}", headers=headers, timeout=10, **kwargs)


@pytest.fixture
def sockets():
    """Every socket the test opens, closed at its end whatever happens."""
    with ExitStack() as opened:
        yield opened


def open_socket(sockets: ExitStack, web, token: str, room_id: int):
    socket = sockets.enter_context(
        connect(f"ws://127.0.0.1:{web.port}/ws/chat/{room_id}/", subprotocols=["jwt", token], open_timeout=10)
    )
    history = receive(socket, "history")
    return socket, history


def receive(socket, frame_type: str, timeout: float = 10.0) -> dict:
    while True:
        frame = json.loads(socket.recv(timeout=timeout))
        if frame["type"] == frame_type:
            return frame


def send(socket, text: str) -> dict:
    socket.send(json.dumps({"type": "message", "client_id": str(uuid.uuid4()), "text": text}))
    return receive(socket, "ack")


def message_text(frame: dict) -> str:
    return frame["message"]["text"] if "message" in frame else frame["text"]


def test_chat_survives_a_redis_restart_without_losing_or_doubling_a_message(stack, web, members, sockets):
    dubu, kongi = members["redis_dubu"], members["redis_kongi"]
    room = api(web, dubu, "POST", "/api/chat/direct/", json={"username": "redis_kongi"})
    assert room.status_code == 201, room.text
    room_id = room.json()["id"]
    socket_a, _ = open_socket(sockets, web, dubu, room_id)
    socket_b, _ = open_socket(sockets, web, kongi, room_id)
    send(socket_a, "레디스가 멈추기 전")
    assert message_text(receive(socket_b, "message")) == "레디스가 멈추기 전"

    stack.redis.stop()
    socket_a.close()
    socket_b.close()
    assert requests.get(f"{web.url}/", timeout=10).status_code == 200
    assert api(web, dubu, "GET", "/api/chat/rooms/").status_code == 200
    client_id = str(uuid.uuid4())
    sent = api(
        web,
        dubu,
        "POST",
        f"/api/chat/rooms/{room_id}/messages/",
        json={"client_id": client_id, "text": "멈춘 동안 두부"},
    )
    again = api(
        web,
        dubu,
        "POST",
        f"/api/chat/rooms/{room_id}/messages/",
        json={"client_id": client_id, "text": "멈춘 동안 두부"},
    )
    reply = api(
        web,
        kongi,
        "POST",
        f"/api/chat/rooms/{room_id}/messages/",
        json={"client_id": str(uuid.uuid4()), "text": "멈춘 동안 콩이"},
    )
    ready = requests.get(f"{web.url}/readyz", timeout=10)

    stack.redis.start()
    assert (sent.status_code, again.status_code, reply.status_code) == (201, 200, 201)
    assert again.json()["id"] == sent.json()["id"]
    assert ready.status_code == 503
    assert {"cache", "channel_layer"} <= set(ready.json()["failing"])

    def reconnect():
        """As the room page does: try again until the server takes the socket (the first
        attempts may meet the layer's connections to the stopped Redis)."""
        try:
            return open_socket(sockets, web, dubu, room_id), open_socket(sockets, web, kongi, room_id)
        except (OSError, TimeoutError, WebSocketException):
            return None

    connected = eventually(reconnect, timeout=30)
    assert connected, "chat did not come back after Redis restarted"
    (socket_a, history_a), (socket_b, _) = connected
    assert [message["text"] for message in history_a["messages"]] == [
        "레디스가 멈추기 전",
        "멈춘 동안 두부",
        "멈춘 동안 콩이",
    ]
    send(socket_a, "다시 연결됐어요")
    assert message_text(receive(socket_b, "message")) == "다시 연결됐어요"
    socket_a.close()
    socket_b.close()

    stored = api(web, kongi, "GET", f"/api/chat/rooms/{room_id}/messages/").json()["results"]
    assert [message["text"] for message in stored] == [
        "레디스가 멈추기 전",
        "멈춘 동안 두부",
        "멈춘 동안 콩이",
        "다시 연결됐어요",
    ]
    assert len({message["id"] for message in stored}) == 4

    def redis_checks_pass():
        checks = requests.get(f"{web.url}/readyz", timeout=10).json()["checks"]
        return checks["cache"] == checks["channel_layer"] == "ok"

    assert eventually(redis_checks_pass, timeout=20)
