"""The ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_core.settings.production")

# Django must be set up before anything imports models (consumers, auth middleware).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.middleware import JwtAuthMiddlewareStack, TokenClientOriginValidator  # noqa: E402
from core.runtime import ReturnsExecutorConnections  # noqa: E402
from search.apps import warm_up  # noqa: E402
from site_core.routing import fallback_websocket_urlpatterns, websocket_urlpatterns  # noqa: E402

application = ReturnsExecutorConnections(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # Session (the site) or JWT (apps, see chat/middleware.py); the Origin check as before,
            # except for a client with no Origin header (not a browser) that brings a token.
            "websocket": TokenClientOriginValidator(
                JwtAuthMiddlewareStack(URLRouter(websocket_urlpatterns + fallback_websocket_urlpatterns))
            ),
        }
    )
)

warm_up()  # the Korean analyzer, before the first request
