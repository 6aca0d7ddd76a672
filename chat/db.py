"""Database access from the chat consumer: a few threads of its own, each keeping its connection.

Channels' ``database_sync_to_async`` runs every consumer's database call in one thread per
process and closes "old" connections before and after each call; with production's
``CONN_MAX_AGE = 0`` (right for HTTP under ASGI, where each request runs in a thread of its
own) that is a new PostgreSQL connection for every chat message, and one message at a time.

``chat_sync_to_async`` instead runs calls in a small pool of long-lived threads
(``CHAT_DB_THREADS``, default 8, per process), so that messages from different sockets are
stored side by side; each thread keeps its connection for up to ``CHAT_DB_CONN_MAX_AGE``
seconds (default 60) and drops it, as Django would, when it is broken or was left inside a
transaction. A socket's own calls still run one after another (the consumer awaits each).
"""

import asyncio
import functools
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import translation

from . import realtime

DEFAULT_MAX_AGE = 60.0
DEFAULT_THREADS = 8


def recycle_connections() -> None:
    """Close this thread's connections that are unusable or older than the chat's maximum age."""
    max_age = float(getattr(settings, "CHAT_DB_CONN_MAX_AGE", DEFAULT_MAX_AGE))
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            connection._chat_opened_at = None
            continue
        if (
            connection.in_atomic_block
            or connection.get_autocommit() != connection.settings_dict["AUTOCOMMIT"]
        ):
            connection.close()
            continue
        if connection.errors_occurred:
            if not connection.is_usable():
                connection.close()
                continue
            connection.errors_occurred = False
        # Django's own close_at is connect time + CONN_MAX_AGE (0): the chat counts its own age.
        opened_at = getattr(connection, "_chat_opened_at", None)
        if opened_at is None:
            connection._chat_opened_at = now
        elif now - opened_at > max_age:
            connection.close()
            connection._chat_opened_at = None


class _DatabaseThreads:
    """One single-thread executor per database thread, so each can be reached (to close its
    connection) and calls spread over them in turn."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executors: list[ThreadPoolExecutor] = []
        self._turn = itertools.count()

    def _started(self) -> list[ThreadPoolExecutor]:
        with self._lock:
            if not self._executors:
                size = max(1, int(getattr(settings, "CHAT_DB_THREADS", DEFAULT_THREADS)))
                self._executors = [
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"chat-db-{number}")
                    for number in range(size)
                ]
            return self._executors

    def next(self) -> ThreadPoolExecutor:
        executors = self._started()
        return executors[next(self._turn) % len(executors)]

    def close_connections(self) -> None:
        """Close every database thread's connections (tests; a server shutting down)."""
        with self._lock:
            executors = list(self._executors)
        for executor in executors:
            executor.submit(connections.close_all).result(timeout=10)


database_threads = _DatabaseThreads()


def _run_in_thread(language: str | None, outbox: list, func, args, kwargs):
    recycle_connections()
    realtime.outbox.items = outbox
    try:
        with translation.override(language):
            return func(*args, **kwargs)
    finally:
        realtime.outbox.items = None


def chat_sync_to_async(func):
    """Like ``sync_to_async``, in one of the chat's database threads (see the module's doc).

    Leaner than asgiref's: one hop to the thread and one back. Broadcasts that the call commits
    (``realtime``, from ``transaction.on_commit``) are collected in the thread and sent from the
    event loop when the call returns, instead of waking the loop once more for each.
    """

    @functools.wraps(func)
    async def call(*args, **kwargs):
        loop = asyncio.get_running_loop()
        outbox: list = []
        # The thread runs in its own context, not a copy of the caller's (as asgiref's does): what
        # Django keeps per context there, like the cache client and its Redis connections,
        # lasts from one call to the next. The caller's language goes along explicitly.
        language = translation.get_language()
        try:
            return await loop.run_in_executor(
                database_threads.next(), _run_in_thread, language, outbox, func, args, kwargs
            )
        finally:
            for room_id, event in outbox:
                realtime.send_from_loop(loop, room_id, event)

    return call
