# The chat's socket fixture, for the credentials tests' sockets: the channel layer (in-memory and
# Redis).
from chat.tests.conftest import channel_layer, sockets_closed  # noqa: F401
