"""What the server benchmarks (bench/feed.py, bench/chat.py) share: the throwaway database, the HTTP
servers in their own process groups, CPU use per process from /proc, and the machine's description.

The scripts run as ``python bench/<name>.py``: each puts the repository root on ``sys.path`` first and
then imports this module as ``bench.common`` (bench/ is a namespace package, as for ``bench.settings``).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
# What the bare stack (bench/bare.py) answers.
BARE_BODY = "Hello, world!"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------------------------
# Command line and environment


def add_db_url_option(parser, *, env_var: str, default: str) -> None:
    """``--db-url``: the benchmark's database, from ``env_var`` or ``default``."""
    parser.add_argument(
        "--db-url",
        default=os.environ.get(env_var, default),
        help="the benchmark database; it is dropped and recreated, so its name must contain 'bench'",
    )


def require_bench_database(parser, db_url: str) -> None:
    """Stops with a usage error unless the database's name contains 'bench': the run drops it."""
    if "bench" not in urlsplit(db_url).path:
        parser.error(f"refusing to drop {db_url!r}: the database name must contain 'bench'")


def server_environment(*, settings: str, db_url: str, **extra: str) -> dict[str, str]:
    """The environment for this process and the server: the caller's, without its Redis, search engine,
    SMTP server and settings (a self-contained run), plus ``settings``, a fresh SECRET_KEY, the database,
    WARNING logs, the repository on PYTHONPATH and the script's own ``extra`` variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "SEARCH_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE", "ROOT_URLCONF"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": db_url,
            "LOG_LEVEL": "WARNING",
            **extra,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


def interrupt_on_sigterm() -> None:
    """SIGTERM raises KeyboardInterrupt, so that a killed run still stops its server and drops its database."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


# ----------------------------------------------------------------------------------------------
# The throwaway PostgreSQL database


def admin_url(db_url: str) -> tuple[str, str]:
    """The URL of the same server's ``postgres`` database, and the name of the database in ``db_url``."""
    parts = urlsplit(db_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def database_name(db_url: str) -> str:
    return admin_url(db_url)[1]


def database_exists(db_url: str) -> bool:
    import psycopg

    url, name = admin_url(db_url)
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


DROP = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
CREATE = "CREATE DATABASE {}"


def _on_database(db_url: str, *statements: str) -> None:
    """Runs ``statements`` (with ``{}`` for the database's name) from the server's ``postgres`` database."""
    import psycopg
    from psycopg import sql

    url, name = admin_url(db_url)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def recreate_database(db_url: str) -> None:
    """Drops the database (closing its connections) and creates it empty."""
    _on_database(db_url, DROP, CREATE)


def drop_database(db_url: str) -> None:
    _on_database(db_url, DROP)


def close_django_connections() -> None:
    """Closes this process's Django connections before the database is dropped, if Django is set up."""
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not be set up yet
        pass


# ----------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The HTTP servers the benchmarks compare. None of them is told to trust forwarded headers: the site
# takes the client's address from its own rule (uvicorn trusts 127.0.0.1 unless told not to).
SERVERS = ("granian-wsgi", "uvicorn", "granian-asgi", "gunicorn")
ASGI_APP = "site_core.asgi:application"
WSGI_APP = "site_core.wsgi:application"
BARE_ASGI_APP = "bench.bare:asgi_application"


def server_command(
    kind: str, *, port: int, workers: int, threads: int, asgi_app: str, wsgi_app: str
) -> list[str]:
    """The command line of ``kind`` serving the ASGI or WSGI application on 127.0.0.1:port with
    ``workers`` processes (``threads`` request threads each for granian's WSGI interface), warnings only."""
    address = ["--host", "127.0.0.1", "--port", str(port)]
    if kind == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", asgi_app, *address, "--workers", str(workers),
            "--lifespan", "off", "--log-level", "warning", "--no-access-log", "--no-proxy-headers",
            "--loop", "uvloop", "--http", "httptools",
        ]  # fmt: skip
    if kind in ("granian-asgi", "granian-wsgi"):
        interface = kind.split("-")[1]
        command = [
            sys.executable, "-m", "granian", "--interface", interface, *address,
            "--workers", str(workers), "--log-level", "warning", "--loop", "uvloop",
        ]  # fmt: skip
        if interface == "wsgi" and threads:
            # As many requests in Django at once as there are pooled connections; the rest wait
            # in granian's queue rather than for a connection.
            command += ["--blocking-threads", str(threads)]
        elif asgi_app == BARE_ASGI_APP:
            command += ["--no-ws"]
        return [*command, asgi_app if interface == "asgi" else wsgi_app]
    if kind == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", wsgi_app, "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning",
        ]  # fmt: skip
    raise ValueError(f"unknown server {kind!r}")


def start_server(
    kind: str,
    *,
    port: int,
    workers: int,
    env: dict[str, str],
    log_path: Path,
    threads: int = 0,
    asgi_app: str = ASGI_APP,
    wsgi_app: str = WSGI_APP,
) -> subprocess.Popen:
    """Starts ``kind`` (one of SERVERS) in a new process group, its output going to ``log_path``."""
    command = server_command(
        kind, port=port, workers=workers, threads=threads, asgi_app=asgi_app, wsgi_app=wsgi_app
    )
    log = log_path.open("wb")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen | None) -> None:
    """Stops the server's whole process group (the workers too): SIGTERM, then SIGKILL after 15 s."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def wait_until_up(process: subprocess.Popen, port: int, log_path: Path, timeout: float = 90) -> None:
    """Returns once 127.0.0.1:port accepts connections; exits with the log's end if the server dies first
    or does not listen within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not listen within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


# ----------------------------------------------------------------------------------------------
# CPU use and the machine


class ProcessCPU(NamedTuple):
    pid: int
    comm: str
    pgrp: int
    own: float  # CPU seconds (user + system, all threads) used so far
    reaped: float  # CPU seconds of its children that have exited and been waited for


def processes_cpu() -> Iterator[ProcessCPU]:
    """Every process still there in /proc, with the CPU it has used so far."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        yield ProcessCPU(
            int(entry.name),
            comm,
            int(fields[2]),
            (int(fields[11]) + int(fields[12])) / CLK_TCK,
            (int(fields[13]) + int(fields[14])) / CLK_TCK,
        )


def machine_busy_seconds() -> float:
    """CPU seconds spent not idle by the whole machine, all CPUs together."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK


def machine(*, memory: bool = True) -> str:
    """One line for a report: CPUs, their model, the RAM (unless ``memory`` is false) and Python's version."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    ram = ""
    if memory:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f", {mem_kb / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} CPUs ({cpu}){ram}, Python {sys.version.split()[0]}"


def percentile_ms(seconds: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of latencies in seconds, in milliseconds; NaN when there are none."""
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000
