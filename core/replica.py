"""Reads that scale: the pages that only read go to a PostgreSQL read replica when there is one.

With ``DATABASE_REPLICA_URL`` set, ``settings.DATABASES`` has a ``replica`` alias (a streaming
standby of ``default``). Everything goes to the primary except the reads of the views named in
``settings.REPLICA_READ_VIEWS`` (feeds, profiles, posts, search: their selectors and templates)
on GET and HEAD, which go to the replica unless:

- the member (or, before login, the browser's session) wrote something in the last
  ``REPLICA_PIN_SECONDS``: they are pinned to the primary and read their own writes. The pin is
  a key in the cache (Redis in production), so it holds on every node;
- this request wrote, or the read runs inside a transaction or ``select_for_update`` (Django sends
  those to ``db_for_write``, which is always the primary);
- the replica is down, or lags the primary by more than ``REPLICA_MAX_LAG`` seconds. Each
  process reads the lag at most every ``REPLICA_CHECK_SECONDS``; a replica query that fails in a
  view marks the replica down and the view runs again on the primary.

Authentication (the session's member, API tokens), both admins, chat, tasks and migrations
never enter replica mode, so they read the primary. ``allow_migrate`` refuses the replica.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.template.response import SimpleTemplateResponse

logger = logging.getLogger(__name__)

REPLICA_ALIAS = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD"})
LAG_QUERY = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


@dataclass
class RequestRouting:
    """What the router knows about the request being served (one per request)."""

    request: object
    replica_allowed: bool = False
    wrote: bool = False
    pinned: bool | None = None
    replica_usable: bool | None = None
    deciding: bool = False
    replica_reads: int = 0


_current: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar(
    "replica_routing", default=None
)


class ReplicaHealth:
    """The replica's state as this process last read it: usable or not, and since when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = -1e9
        self.usable = False
        self.lag: float | None = None

    def mark_down(self) -> None:
        with self.lock:
            self.usable, self.lag, self.checked_at = False, None, time.monotonic()

    def is_usable(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at < settings.REPLICA_CHECK_SECONDS:
            return self.usable
        with self.lock:
            if now - self.checked_at < settings.REPLICA_CHECK_SECONDS:
                return self.usable
            self.checked_at = now
            self.lag = read_lag()
            self.usable = self.lag is not None and self.lag <= settings.REPLICA_MAX_LAG
            if not self.usable:
                logger.warning(
                    "replica not used: %s", "down" if self.lag is None else f"{self.lag:.1f} s behind"
                )
            return self.usable


def read_lag() -> float | None:
    """Seconds the replica is behind the primary (0 when it has replayed all it received), or
    None when it does not answer. A connection of its own, not the pool's: a stopped replica
    refuses it at once, where the pool would wait for its timeout."""
    import psycopg

    params = connections[REPLICA_ALIAS].settings_dict
    try:
        with psycopg.connect(
            dbname=params["NAME"],
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            connect_timeout=1,
            autocommit=True,
        ) as connection:
            return float(connection.execute(LAG_QUERY).fetchone()[0])
    except psycopg.Error:
        logger.warning("replica lag check failed", exc_info=True)
        return None


health = ReplicaHealth()


def pin_key(identity: str) -> str:
    return f"replica:pin:{identity}"


def request_identity(request) -> str | None:
    """Whose writes a request reads: the member (signed in by session or token), else the
    browser's session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"member:{user.pk}"
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    return f"session:{key}" if key else None


def pin_to_primary(request) -> None:
    """The member (or session) behind ``request`` reads the primary for the next
    ``REPLICA_PIN_SECONDS``, on every node."""
    identity = request_identity(request)
    if identity:
        cache.set(pin_key(identity), 1, timeout=settings.REPLICA_PIN_SECONDS)


def _is_pinned(state: RequestRouting) -> bool:
    state.deciding = True
    try:
        identity = request_identity(state.request)
        return bool(identity and cache.get(pin_key(identity)))
    finally:
        state.deciding = False


@contextmanager
def primary_reads():
    """Reads inside this block go to the primary whatever the request (authentication)."""
    state = _current.get()
    if state is None or not state.replica_allowed:
        yield
        return
    state.replica_allowed = False
    try:
        yield
    finally:
        state.replica_allowed = True


class ReplicaRouter:
    """``settings.DATABASE_ROUTERS``: see the module's docstring."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or not state.replica_allowed or state.wrote or state.deciding:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state.pinned is None:
            state.pinned = _is_pinned(state)
        if state.pinned:
            return DEFAULT_DB_ALIAS
        if state.replica_usable is None:
            state.replica_usable = health.is_usable()
        if not state.replica_usable:
            return DEFAULT_DB_ALIAS
        state.replica_reads += 1
        return REPLICA_ALIAS

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA_ALIAS


class ReplicaMiddleware:
    """Last in ``MIDDLEWARE``: the view (and its template) of a read-only page reads the replica;
    any request that writes pins its member to the primary."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.enabled = replica_configured()
        self.read_views = frozenset(settings.REPLICA_READ_VIEWS)

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        state = RequestRouting(request=request)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            pin_to_primary(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self.enabled or request.method not in SAFE_METHODS:
            return None
        match = request.resolver_match
        if match is None or match.view_name not in self.read_views:
            return None
        # The member is found on the primary (authentication) before the view reads anything.
        request_identity(request)
        _current.get().replica_allowed = True
        return None

    def process_exception(self, request, exception):
        """A replica that failed under a page (it stopped between two lag checks): marked down,
        and the page is served again from the primary."""
        state = _current.get()
        if (
            state is None
            or not state.replica_reads
            or not isinstance(exception, (OperationalError, InterfaceError))
        ):
            return None
        logger.warning("a replica read failed; the page is served from the primary", exc_info=exception)
        health.mark_down()
        connections[REPLICA_ALIAS].close()
        state.replica_allowed = False
        state.replica_usable = False
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        return response
