"""What the test run needs from this machine, and what happens when it is missing.

``make test`` sets ``PETRASCHE_TEST_STRICT=1``: a missing server then fails the test with the
install hint, so a green run always means every tier really ran. Elsewhere (one file in an
editor, a laptop without Redis) the test is skipped with the same reason, printed by ``-ra``.
Only software the README calls optional (a Docker Compose client, a real search cluster) may
skip under ``make test``; those tests use ``pytest.mark.skipif`` directly.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

STRICT = os.environ.get("PETRASCHE_TEST_STRICT") == "1"

HINTS = {
    "postgresql": "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
    " (apt-get install postgresql) or point PG_URL at another server",
    "redis": "start it with `redis-server --daemonize yes --port 6379 --save ''` (apt-get install redis-server)",
    "chromium": "`make browser-deps` installs it (apt-get install chromium fonts-nanum)",
    "osmem-server": "`make install` installs it (pip install -r requirements-dev.txt)",
    "initdb": "apt-get install postgresql (the fault tests run initdb and pg_ctl from /usr/lib/postgresql)",
    "redis-server": "apt-get install redis-server (the fault tests start a redis-server of their own)",
    "nginx": "`make scale-deps` installs it (apt-get install nginx-light)",
    "node_modules": "`make browser-deps` installs the npm packages (npm ci)",
    "moto": "`make install` installs it (pip install -r requirements-dev.txt)",
}


def require(service: str, available: bool, detail: str = "") -> None:
    """Fails (under ``make test``) or skips the calling test when ``service`` is missing."""
    if available:
        return
    message = f"{service} is not available{f' ({detail})' if detail else ''}: {HINTS[service]}"
    if STRICT:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def program_installed(name: str) -> bool:
    return shutil.which(name) is not None
