"""The site's ASGI application plus the chat benchmark's bare consumer, for bench/chat.py only.

``/ws/bench/bare/<room_id>/`` is a consumer that only broadcasts: no authentication, no database,
no rate limit. It joins the same groups as the chat consumer (``chat.room.<id>``) through the
same channel layer, and sends each frame back to the group the way the chat consumer broadcasts
a stored message, so the two can be compared on the same server in the same run. Everything
else (the real ``/ws/chat/<room_id>/``, HTTP) is ``site_core.asgi.application`` unchanged.
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chat_settings")

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from chat.realtime import room_group
from site_core.asgi import application as site_application


class BareBroadcastConsumer(AsyncJsonWebsocketConsumer):
    counter = 0

    async def dispatch(self, message):
        # As the chat consumer does: no close_old_connections (and no trip to the database
        # thread) for every event; this consumer has no database at all.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        self.group = room_group(self.room_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "history", "messages": [], "has_more": False, "closed": False})

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        BareBroadcastConsumer.counter += 1
        message = {
            "id": BareBroadcastConsumer.counter,
            "room_id": self.room_id,
            "sender": content.get("sender"),
            "client_id": content.get("client_id"),
            "text": content.get("text"),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+09:00"),
            "deleted": False,
        }
        await self.channel_layer.group_send(self.group, {"type": "chat.message", "message": message})

    async def chat_message(self, event):
        if "frame" in event:  # a chat message still on its way from a chat round before
            await self.send(text_data=event["frame"])
            return
        await self.send_json({"type": "message", "message": event["message"]})


bare_application = AllowedHostsOriginValidator(
    URLRouter([path("ws/bench/bare/<id:room_id>/", BareBroadcastConsumer.as_asgi())])
)


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/bench/"):
        return await bare_application(scope, receive, send)
    return await site_application(scope, receive, send)
