import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="connection pools are PostgreSQL's",
)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@postgresql_only
def test_postgresql_connections_come_from_a_pool_checked_on_checkout():
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] >= 1
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_forked_process_opens_its_own_pool_and_the_parent_keeps_its_connections():
    parent_backend = backend_pid()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: one query on a connection of its own, then leave at once
        code = 1
        try:
            os.write(write_end, str(backend_pid()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        child_backend = int(pipe.read() or 0)
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert child_backend not in (0, parent_backend)
    assert backend_pid() > 0, "the parent still queries after the fork"


@postgresql_only
def test_importing_the_server_entry_points_opens_no_pool():
    """Servers import the application, then fork workers: the pool must open in each worker."""
    script = (
        "import site_core.asgi, site_core.wsgi\n"
        "from django.db import connection\n"
        "print('closed' if connection.pool.closed else 'open')\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test"},
        cwd=settings.BASE_DIR,
    )

    assert result.stdout.strip() == "closed", result.stderr[-2000:]
