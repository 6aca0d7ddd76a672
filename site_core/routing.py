"""WebSocket routes. Each real-time app appends its consumers' paths here."""

websocket_urlpatterns: list = []
