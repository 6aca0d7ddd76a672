"""Opening chat sockets in tests through the project's real ASGI application."""

import asyncio
import json
import weakref
from urllib.parse import quote

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

ORIGIN = (b"origin", b"http://localhost")
# Every socket a test opened, so that the ones it leaves running are disconnected before its event
# loop closes (close_left_open).
OPENED: "weakref.WeakSet[Socket]" = weakref.WeakSet()


def application():
    from site_core.asgi import application

    return application


@database_sync_to_async
def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def access_token(user, **claims) -> str:
    token = AccessToken.for_user(user)
    for key, value in claims.items():
        token[key] = value
    return str(token)


class Socket:
    """A WebsocketCommunicator with the chat's handshake (accept, then the first frame or a close)."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.accepted = False
        self.subprotocol = None
        self.close_code = None
        self.history = None
        OPENED.add(self)

    async def open(self, timeout: float = 3):
        self.accepted, self.subprotocol = await self.communicator.connect(timeout=timeout)
        if not self.accepted:
            self.close_code = self.subprotocol
            return self
        output = await self.communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            self.close_code = output.get("code")
        else:
            self.history = json.loads(output["text"])
        return self

    async def send(self, **frame):
        await self.communicator.send_json_to(frame)

    async def receive(self, timeout: float = 3) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def receive_type(self, frame_type: str, timeout: float = 3) -> dict:
        """The next frame of this type (skipping others, e.g. the broadcast copy of an ack)."""
        while True:
            frame = await self.receive(timeout=timeout)
            if frame["type"] == frame_type:
                return frame

    async def closed_with(self, timeout: float = 3):
        """The close code, skipping any frames before the close."""
        while True:
            output = await self.communicator.receive_output(timeout=timeout)
            if output["type"] == "websocket.close":
                return output.get("code")

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def close(self):
        await self.communicator.disconnect()

    @property
    def running(self) -> bool:
        """Its consumer has not finished: open, or closed by the server and not yet told, as a
        server would tell it, that the client is gone."""
        return not self.communicator.future.done()


async def close_left_open(*, deadline: float = 5.0) -> None:
    """Disconnects, one after the other as clients leave, every socket a test left running, then
    ends whatever those consumers left behind before the test's event loop closes.

    The loop's own shutdown cancels every task once and waits for all of them; a channels_redis
    receive cancelled in that crowd can lose the cancellation and go on polling Redis, and the
    shutdown then never ends. Here a task that is still running is cancelled again until it
    stops (``deadline`` seconds at most, then the test fails with what was left)."""
    for sock in list(OPENED):
        if sock.running:
            await sock.close()
    OPENED.clear()
    loop = asyncio.get_running_loop()
    until = loop.time() + deadline
    this = asyncio.current_task()
    while left := [task for task in asyncio.all_tasks() if task is not this and not task.done()]:
        assert loop.time() < until, f"tasks that would not stop: {left}"
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=0.1)


async def open_socket(room_id, user=None, *, auth="session", token=None, origin=True, subprotocols=None):
    path = f"/ws/chat/{room_id}/"
    headers = [ORIGIN] if origin else []
    if auth == "session" and user is not None:
        headers.append((b"cookie", f"sessionid={await session_cookie(user)}".encode()))
    elif auth == "query":
        path += f"?token={quote(token or access_token(user))}"
    elif auth == "subprotocol":
        subprotocols = ["jwt", token or access_token(user)]
    return await Socket(
        WebsocketCommunicator(application(), path, headers=headers, subprotocols=subprotocols)
    ).open()
