"""WebSocket routes. Each real-time app appends its consumers' paths here."""

from channels.generic.websocket import WebsocketConsumer
from django.urls import re_path


class UnknownPathConsumer(WebsocketConsumer):
    """Refuses the handshake for a path no app serves, instead of erroring in the server."""

    def connect(self):
        self.close(code=4404)


websocket_urlpatterns: list = []

fallback_websocket_urlpatterns = [re_path(r"", UnknownPathConsumer.as_asgi())]
