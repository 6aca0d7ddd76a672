"""The chat consumer's database calls keep their connection (chat/db.py)."""

import threading

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
