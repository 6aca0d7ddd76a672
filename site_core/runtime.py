"""Process-wide settings for server and task workers: garbage collection (applied by the ASGI and
WSGI entry points) and database pools across fork (site_core/apps.py)."""

import gc
import os

from django.conf import settings
from django.db import connections

# Collect the youngest generation after this many new container objects instead of Python's 700.
YOUNG_GENERATION_THRESHOLD = 50_000


def tune_garbage_collector_if_enabled() -> None:
    if settings.SERVER_GC_TUNING:
        tune_garbage_collector()


def tune_garbage_collector() -> None:
    """Fewer, cheaper garbage collections while serving.

    Everything loaded at start-up (modules, settings, URL patterns, models) lives as long as the
    worker: frozen, it is no longer walked by every full collection. A request leaves almost no
    reference cycles, its objects are freed by reference counting as it ends, so the young
    generation can wait for far more objects than Python's default; a feed page allocates enough
    to trigger a collection on nearly every request otherwise. Its measured gain: bench/README.md.
    """
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, max(middle, 20), max(oldest, 20))


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
