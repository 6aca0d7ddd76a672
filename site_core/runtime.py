"""Process-wide settings for server and task workers: database pools across fork (site_core/apps.py)."""

import os

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
