"""WebSocket authentication for API clients: a JWT access token instead of the session.

The site's pages connect with the session cookie (Channels' ``AuthMiddlewareStack``). An app
sends its access token (``POST /api/auth/token/``) in one of two ways:

- the ``Sec-WebSocket-Protocol`` header, offering two subprotocols: ``jwt`` and the token
  (``new WebSocket(url, ["jwt", access])``); the server answers with ``jwt``. Preferred:
  headers do not end up in access logs;
- the query string: ``/ws/chat/<room_id>/?token=<access>``.

A token, when present, decides who the user is: a valid one gives its member even if a
session cookie came too; an invalid or expired one, or one made before the member's credentials
last changed, gives an anonymous user, whom the chat consumer refuses (close code 4401). ``JwtAuthMiddlewareStack`` wraps Channels' stack so the
token is read after the session: ``JwtAuthMiddlewareStack(URLRouter(...))``.

Browsers always send an ``Origin`` header on WebSockets, and the origin check stands for them.
A client that sends none is not a browser, so no cookie can be riding along unasked: it may
connect when it brings a token (``TokenClientOriginValidator``).
"""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser

JWT_SUBPROTOCOL = "jwt"


def token_from_scope(scope) -> str | None:
    """The access token a WebSocket handshake carries, if any."""
    subprotocols = list(scope.get("subprotocols") or [])
    if JWT_SUBPROTOCOL in subprotocols:
        index = subprotocols.index(JWT_SUBPROTOCOL)
        if index + 1 < len(subprotocols):
            return subprotocols[index + 1]
        return ""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    tokens = query.get("token")
    return tokens[0] if tokens else None


@database_sync_to_async
def user_for_token(raw_token: str):
    """The token's member; anonymous if the token is bad, expired or made under earlier
    credentials (``accounts.tokens``)."""
    from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError

    from accounts.tokens import CredentialsJWTAuthentication

    authentication = CredentialsJWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(raw_token.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


class JwtAuthMiddleware(BaseMiddleware):
    """Sets ``scope["user"]`` from a JWT access token when the handshake carries one."""

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "websocket":
            token = token_from_scope(scope)
            if token is not None:
                scope = dict(scope)
                scope["user"] = await user_for_token(token) if token else AnonymousUser()
                scope["auth_method"] = "jwt"
        return await super().__call__(scope, receive, send)


def JwtAuthMiddlewareStack(inner):
    """Session authentication (Channels' stack), then a JWT when one is presented."""
    return AuthMiddlewareStack(JwtAuthMiddleware(inner))


class TokenClientOriginValidator:
    """``AllowedHostsOriginValidator``, except that a client with no Origin header that brings
    a token (an app, not a browser) may pass."""

    def __init__(self, application):
        self.application = application
        self.validated = AllowedHostsOriginValidator(application)

    async def __call__(self, scope, receive, send):
        has_origin = any(name == b"origin" for name, _value in scope.get("headers", []))
        if not has_origin and token_from_scope(scope):
            return await self.application(scope, receive, send)
        return await self.validated(scope, receive, send)
