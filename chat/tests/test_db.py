"""The chat consumer's database calls keep their connection (chat/db.py)."""

import asyncio
import threading
import weakref

import pytest
from django.db import connection, connections

from chat.db import DEFAULT_THREADS, chat_sync_to_async, recycle_connections

pytestmark = pytest.mark.django_db(transaction=True)


def _connection_id():
    connection.ensure_connection()
    return id(connection.connection)


@pytest.fixture
def closes(monkeypatch):
    """Records closes (SQLite's in-memory test database ignores them)."""
    closed = []
    monkeypatch.setattr(connections["default"], "close", lambda: closed.append(True))
    return closed


def test_the_connection_is_kept_between_calls(closes):
    _connection_id()
    recycle_connections()
    recycle_connections()
    assert closes == []


def test_a_connection_older_than_the_maximum_age_is_replaced(settings, closes):
    settings.CHAT_DB_CONN_MAX_AGE = 0
    _connection_id()
    recycle_connections()  # notes when it was first seen
    recycle_connections()  # older than 0 s now
    assert closes == [True]


def test_a_broken_connection_is_replaced(monkeypatch, closes):
    _connection_id()
    connection.errors_occurred = True
    monkeypatch.setattr(connections["default"], "is_usable", lambda: False)
    recycle_connections()
    assert closes == [True]


@pytest.mark.asyncio
async def test_each_database_thread_keeps_its_connection():
    def thread_and_connection():
        connection.ensure_connection()
        return threading.get_ident(), id(connection.connection)

    seen = [await chat_sync_to_async(thread_and_connection)() for _ in range(3 * DEFAULT_THREADS)]

    by_thread = {}
    for thread, conn in seen:
        by_thread.setdefault(thread, set()).add(conn)
    assert len(by_thread) > 1, "calls spread over several threads"
    assert all(len(conns) == 1 for conns in by_thread.values()), "each thread reuses its connection"


@pytest.mark.asyncio
async def test_the_last_socket_closing_closes_the_threads_connections(walk_room, walker, friend, monkeypatch):
    from chat.db import database_threads

    from .sockets import open_socket

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database keeps its connections open on close()")

    def open_connections() -> list[bool]:
        """Asks each database thread, after whatever it was given before, if it holds a connection."""
        is_open = lambda: connections["default"].connection is not None  # noqa: E731
        return [executor.submit(is_open).result(timeout=10) for executor in database_threads._started()]

    monkeypatch.setattr(database_threads, "_sockets", weakref.WeakSet())  # earlier tests' sockets aside
    first = await open_socket(walk_room.pk, walker)
    second = await open_socket(walk_room.pk, friend)

    await first.close()
    assert any(open_connections()), "a socket is still open: its thread keeps its connection"
    await second.close()
    assert not any(open_connections())


@pytest.mark.asyncio
async def test_a_call_stuck_in_one_thread_holds_up_no_other_call():
    release = threading.Event()
    stuck = asyncio.ensure_future(chat_sync_to_async(release.wait)(30))
    try:
        # Round robin alone would queue every n-th of these behind the stuck call.
        for _ in range(2 * DEFAULT_THREADS):
            await asyncio.wait_for(chat_sync_to_async(threading.get_ident)(), timeout=10)
    finally:
        release.set()
    assert await stuck is True
