# The chat's socket fixtures, for the credentials tests' sockets: the channel layer (in-memory and
# Redis) and the clean-up of the consumers' database connections.
from chat.tests.conftest import _close_socket_thread_connections, channel_layer  # noqa: F401
