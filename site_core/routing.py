"""WebSocket routes. Each real-time app appends its consumers' paths here."""

from channels.generic.websocket import WebsocketConsumer
from django.urls import re_path

from chat.routing import websocket_urlpatterns as chat_websocket_urlpatterns


class UnknownPathConsumer(WebsocketConsumer):
    """Refuses the handshake for a path no app serves, instead of erroring in the server."""

    def connect(self):
        self.close(code=4404)


websocket_urlpatterns: list = [*chat_websocket_urlpatterns]

fallback_websocket_urlpatterns = [re_path(r"", UnknownPathConsumer.as_asgi())]
