"""Database access from the chat consumer: a few threads of its own, each keeping its connection.

Channels' ``database_sync_to_async`` runs every consumer's database call in one thread per
process and closes "old" connections before and after each call; with production's
``CONN_MAX_AGE = 0`` (right for HTTP under ASGI, where each request runs in a thread of its
own) that is a new PostgreSQL connection for every chat message, and one message at a time.

``chat_sync_to_async`` instead runs calls in a small pool of long-lived threads
(``CHAT_DB_THREADS``, default 4, per process), so that messages from different sockets are
stored side by side; each thread keeps its connection for up to ``CHAT_DB_CONN_MAX_AGE``
seconds (default 60) and drops it, as Django would, when it is broken or was left inside a
transaction. A socket's own calls still run one after another (the consumer awaits each). When
the last chat socket of a process closes, the threads close their connections.
"""

import asyncio
import functools
import itertools
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections
from django.utils import translation

from . import realtime

DEFAULT_MAX_AGE = 60.0
DEFAULT_THREADS = 4


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
    connection). A call goes to the first idle thread from the next in turn, else the least busy:
    a slow call (a lock wait, a dropped connection) holds up the calls queued behind it in its
    thread only, never every n-th call of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executors: list[ThreadPoolExecutor] = []
        self._in_flight: list[int] = []
        self._turn = itertools.count()
        # The open chat sockets of this process (weakly: a consumer that crashed is not counted).
        self._sockets: weakref.WeakSet = weakref.WeakSet()

    def _started(self) -> list[ThreadPoolExecutor]:
        with self._lock:
            if not self._executors:
                size = max(1, int(getattr(settings, "CHAT_DB_THREADS", DEFAULT_THREADS)))
                self._executors = [
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"chat-db-{number}")
                    for number in range(size)
                ]
                self._in_flight = [0] * size
            return self._executors

    def run(self, loop, func, *args) -> asyncio.Future:
        """``func(*args)`` in a database thread, as a future of ``loop``."""
        executors = self._started()
        size = len(executors)
        start = next(self._turn)
        with self._lock:
            _busy, offset = min((self._in_flight[(start + k) % size], k) for k in range(size))
            number = (start + offset) % size
            self._in_flight[number] += 1
        return loop.run_in_executor(executors[number], self._counted, number, func, args)

    def _counted(self, number: int, func, args):
        try:
            return func(*args)
        finally:
            with self._lock:
                self._in_flight[number] -= 1

    def close_connections(self, *, wait: bool = True) -> None:
        """Close every database thread's connections (tests; the last socket gone)."""
        with self._lock:
            executors = list(self._executors)
        futures = [executor.submit(connections.close_all) for executor in executors]
        if wait:
            for future in futures:
                future.result(timeout=10)

    def socket_opened(self, consumer) -> None:
        with self._lock:
            self._sockets.add(consumer)

    def socket_closed(self, consumer) -> None:
        """When a process's last chat socket closes, its database connections go too."""
        with self._lock:
            self._sockets.discard(consumer)
            idle = not self._sockets
        if idle:
            self.close_connections(wait=False)


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
        future = database_threads.run(loop, _run_in_thread, language, outbox, func, args, kwargs)

        def send_outbox(_done=None):
            for room_id, event in outbox:
                realtime.send_from_loop(loop, room_id, event)

        try:
            return await asyncio.shield(future)
        finally:
            if future.done():
                send_outbox()
            else:  # the socket went away meanwhile: what the call commits still goes out
                future.add_done_callback(send_outbox)

    return call
