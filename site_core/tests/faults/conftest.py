"""Fault tests: the site's real processes against servers of their own.

Each run gets a throwaway PostgreSQL cluster (``initdb`` on a free port, migrated once for the
package) and a throwaway redis-server, never the shared servers the rest of the suite uses. The
tests start the ASGI server and the workers as subprocesses, stop and restart those servers
under them, and check what members would notice over HTTP and WebSockets.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

PROJECT_DIR = Path(__file__).resolve().parents[3]
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


def eventually(check, timeout: float = 30.0, interval: float = 0.3):
    """Calls ``check`` until it returns a truthy value (returned) or the time is up (the last
    value is returned, for the assertion to show)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class PrivatePostgres:
    """A cluster made with initdb in a temporary folder (run as ``postgres`` when we are root)."""

    def __init__(self) -> None:
        self.bin = PG_BIN_DIRS[-1]
        self.base = Path(tempfile.mkdtemp(prefix="petrasche-faults-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/petrasche"

    def _run(self, *command: str, check: bool = True) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=check, capture_output=True, timeout=120)  # noqa: S603

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.base / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def create_database(self) -> None:
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "petrasche"
        )

    def remove(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


class PrivateRedis:
    """A redis-server on a free port without persistence, stopped and started by the tests."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class SiteProcess:
    """One of the site's processes (the ASGI server or a worker), with its output in a log file."""

    def __init__(self, name: str, arguments: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.arguments, self.env = name, arguments, env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, *self.arguments], cwd=PROJECT_DIR, env=self.env, stdout=log, stderr=log
            )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process and self.process.poll() is None else None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


class Stack:
    """The throwaway servers, and how to run the site's processes against them."""

    def __init__(self, postgres: PrivatePostgres, redis: PrivateRedis, log_dir: Path) -> None:
        self.postgres, self.redis, self.log_dir = postgres, redis, log_dir
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(log_dir)),
            "DJANGO_SETTINGS_MODULE": "site_core.settings.test",
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *arguments: str, timeout: float = 600) -> str:
        result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return result.stdout

    def create_member(self, username: str, password: str) -> None:
        self.manage(
            "shell",
            "-c",
            "from accounts.models import User; from allauth.account.models import EmailAddress; "
            f"user = User.objects.create_user(username={username!r}, email='{username}@example.com', "
            f"password={password!r}, nickname={username!r}); "
            # A confirmed address: the API gives tokens only then (accounts.serializers).
            "EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)",
        )

    def web_server(self, **env: str) -> WebServer:
        return WebServer(self, env)

    def process(self, name: str, arguments: list[str], **env: str) -> SiteProcess:
        return SiteProcess(name, arguments, {**self.env, **env}, self.log_dir)


class WebServer(SiteProcess):
    """uvicorn serving site_core.asgi:application, as in production, on a free port."""

    def __init__(self, stack: Stack, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        arguments = ["-m", "uvicorn", "site_core.asgi:application", "--host", "127.0.0.1"]
        arguments += ["--port", str(self.port), "--lifespan", "off", "--no-access-log", "--no-proxy-headers"]
        super().__init__(f"web-{self.port}", arguments, {**stack.env, **env}, stack.log_dir)

    def start(self) -> None:
        super().start()

        def alive() -> bool:
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        if not eventually(alive, timeout=START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"the web server did not start:\n{self.log()}")


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    from site_core.tests.requirements import program_installed, require

    require("initdb", bool(PG_BIN_DIRS))
    require("redis-server", program_installed("redis-server"))
    postgres, redis = PrivatePostgres(), PrivateRedis()
    postgres.init()
    postgres.start()
    redis.start()
    try:
        postgres.create_database()
        servers = Stack(postgres, redis, tmp_path_factory.mktemp("fault-logs"))
        servers.manage("migrate", "--noinput")
        yield servers
    finally:
        redis.stop()
        postgres.remove()
