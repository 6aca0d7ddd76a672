"""Process-wide settings for server and task workers: database pools across fork (core/apps.py),
and connections given back by work done outside a request's thread (site_core/asgi.py)."""

import asyncio
import os
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connections


def close_connection_pools() -> None:
    """Closes this process's database connection pools (each reopens at its next query).

    Registered to run before the process forks (django-q2's cluster forks its workers after it
    has used the database; server masters fork before they have): a child must never take over
    its parent's pooled connections, whose sockets the parent still uses. Each process opens its
    own pool at its first query.
    """
    for connection in connections.all(initialized_only=True):
        if connection.settings_dict["OPTIONS"].get("pool"):
            if not connection.in_atomic_block:
                connection.close()
            connection.close_pool()


def close_connection_pools_before_fork() -> None:
    os.register_at_fork(before=close_connection_pools)


def _returning_connections(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    finally:
        connections.close_all()


class ConnectionReturningExecutor(ThreadPoolExecutor):
    """An event loop's default executor whose threads give their database connections back.

    Under ASGI, Django renders error pages (``response_for_exception``: 404, 403, 400) and reads
    synchronous streaming responses with ``sync_to_async(thread_sensitive=False)``, that is in the
    event loop's default executor, outside the request's own thread. Django gives a request's
    connections back at ``request_finished``, in the request's thread; a connection opened in an
    executor thread (a not-found page's navigation badges) would stay checked out of the pool for
    as long as that thread lives, and a few such pages would hold enough of the pool to turn the
    next requests into 503s. Nothing that runs there may keep a connection between two calls.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return super().submit(_returning_connections, fn, *args, **kwargs)


class ReturnsExecutorConnections:
    """ASGI middleware: the serving event loop's default executor is a ConnectionReturningExecutor."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app
        self._loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        loop = asyncio.get_running_loop()
        if loop not in self._loops:
            loop.set_default_executor(ConnectionReturningExecutor(thread_name_prefix="petrasche-executor"))
            self._loops.add(loop)
        await self.app(scope, receive, send)
