"""The scale tier: two identical nodes behind nginx, on free loopback ports.

One stack for the whole tier (package scope), built as production is, from servers of its own:

- a throwaway PostgreSQL primary (``initdb``) and a streaming replica of it (``pg_basebackup -R``),
  both run as the ``postgres`` user as the fault tests do;
- two redis-servers: the first is the cache (rate limits, read-your-writes pins, the workers'
  heartbeat), and the channel layer is sharded over both (``CHANNEL_REDIS_URLS``);
- moto's S3 server with two buckets, public uploads and private data exports (path-style);
- per node: granian's WSGI interface for pages and the API, uvicorn for ``/ws/`` and a django-q2
  cluster, all with ``DEPLOYMENT_NODES=2`` and the replica configured;
- nginx (the Debian package, its own prefix) with ``ops/nginx/site.conf`` around those upstreams,
  terminating TLS with an ``openssl`` self-signed certificate. For the tests only, it names the
  node that answered in ``X-Upstream``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import urllib3

from site_core.tests.faults.conftest import (
    PG_BIN_DIRS,
    PROJECT_DIR,
    PrivatePostgres,
    PrivateRedis,
    SiteProcess,
    eventually,
    free_port,
    wait_for_port,
)

from .proxy import NGINX, Proxy

START_TIMEOUT = 120.0
MEDIA_BUCKET = "petrasche-media"
PRIVATE_BUCKET = "petrasche-private"
PASSWORD = "scale-Pass-1234"
MEMBERS = ("scale_dubu", "scale_kongi")

PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/*",
        }
    ],
}

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class ReplicaPostgres(PrivatePostgres):
    """A hot standby of ``primary``, streaming from it (``pg_basebackup -R`` writes the
    connection to the primary and standby.signal)."""

    def __init__(self, primary: PrivatePostgres) -> None:
        super().__init__()
        self.primary = primary

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            str(self.bin / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"),
            *("-D", str(self.data), "-R", "-X", "stream", "--no-sync", "-c", "fast"),
        )

    def query(self, sql: str):
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=3) as connection:
            return connection.execute(sql).fetchone()


class MotoS3:
    """moto's standalone S3-compatible server (the one stand-in: no S3 server is packaged)."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = SiteProcess(
            "moto",
            ["-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(log_dir)},
            log_dir,
        )

    def start(self) -> None:
        self.process.start()
        wait_for_port(self.port, timeout=START_TIMEOUT)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

    def stop(self) -> None:
        self.process.stop()


class Node:
    """One web node: granian (WSGI) for HTTP, uvicorn for /ws/, a django-q2 cluster."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.http_port, self.ws_port = free_port(), free_port()
        self.http = SiteProcess(
            f"{name}-http",
            [
                *("-m", "granian", "--interface", "wsgi", "site_core.wsgi:application"),
                *("--host", "127.0.0.1", "--port", str(self.http_port)),
                *("--workers", "1", "--blocking-threads", "4", "--log-level", "warning"),
            ],
            env,
            log_dir,
        )
        self.ws = SiteProcess(
            f"{name}-ws",
            [
                *("-m", "uvicorn", "site_core.asgi:application", "--host", "127.0.0.1"),
                *("--port", str(self.ws_port), "--lifespan", "off", "--no-access-log", "--no-proxy-headers"),
            ],
            env,
            log_dir,
        )
        self.worker = SiteProcess(f"{name}-worker", ["manage.py", "qcluster"], env, log_dir)

    @property
    def upstreams(self) -> set[str]:
        return {f"127.0.0.1:{self.http_port}", f"127.0.0.1:{self.ws_port}"}

    def wait(self) -> None:
        for port, process in ((self.http_port, self.http), (self.ws_port, self.ws)):

            def alive(port=port) -> bool:
                try:
                    return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
                except requests.ConnectionError:
                    return False

            if not eventually(alive, timeout=START_TIMEOUT):
                raise RuntimeError(f"{process.name} did not start:\n{process.log()}")

    def processes(self) -> list[SiteProcess]:
        return [self.worker, self.ws, self.http]


class ScaleStack:
    """The servers and nodes, and how to reach them."""

    def __init__(self, primary, replica, redis, redis_shard, s3, nodes, proxy, env, log_dir) -> None:
        self.primary, self.replica = primary, replica
        self.redis, self.redis_shard, self.s3 = redis, redis_shard, s3
        self.nodes, self.proxy, self.env, self.log_dir = nodes, proxy, env, log_dir

    def node_of(self, response: requests.Response) -> str:
        """Which node answered (from the tier's X-Upstream header)."""
        upstream = response.headers.get("X-Upstream", "")
        for node in self.nodes:
            if upstream in node.upstreams:
                return node.name
        raise AssertionError(f"no node answered this request (X-Upstream {upstream!r})")

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

    def session(self) -> requests.Session:
        session = requests.Session()
        # The certificate is self-signed; no CA bundle from the environment applies.
        session.trust_env = False
        session.verify = False
        return session

    def logs(self) -> str:
        parts = [f"--- nginx\n{self.proxy.log()}"]
        for node in self.nodes:
            parts += [f"--- {p.name}\n{p.log()}" for p in (node.http, node.ws, node.worker)]
        return "\n".join(parts)


def node_env(primary, replica, redis, redis_shard, s3, log_dir: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(log_dir)),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "site_core.tests.scale.settings",
        "DATABASE_URL": primary.url,
        "DATABASE_REPLICA_URL": replica.url,
        "DATABASE_POOL_MAX_SIZE": "4",
        # The replica is read at most every second here (a few seconds in production), and a
        # replica held back by the tests on purpose is still used.
        "REPLICA_CHECK_SECONDS": "1",
        "REPLICA_MAX_LAG": "600",
        "REDIS_URL": redis.url,
        "CHANNEL_REDIS_URLS": f"{redis.url},{redis_shard.url}",
        "DEPLOYMENT_NODES": "2",
        "TRUSTED_PROXIES": "127.0.0.1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ENDPOINT_URL": s3.url,
        "AWS_S3_PATH_STYLE": "1",
        "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": PRIVATE_BUCKET,
        "Q_WORKERS": "1",
        "RATE_LIMIT_API": "0",
    }


CREATE_MEMBERS = """
from allauth.account.models import EmailAddress
from accounts.models import User
for username in {members!r}:
    user = User.objects.create_user(
        username=username, email=f"{{username}}@example.com", password={password!r}, nickname=username
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
"""


@pytest.fixture(scope="package")
def scale(tmp_path_factory):
    from site_core.tests.requirements import program_installed, require

    require("initdb", bool(PG_BIN_DIRS))
    require("redis-server", program_installed("redis-server"))
    require("nginx", NGINX.exists())
    require("moto", _moto_installed())
    log_dir = tmp_path_factory.mktemp("scale-logs")
    primary = PrivatePostgres()
    replica = ReplicaPostgres(primary)
    redis, redis_shard = PrivateRedis(), PrivateRedis()
    s3 = MotoS3(log_dir)
    env = node_env(primary, replica, redis, redis_shard, s3, log_dir)
    nodes = [Node(name, env, log_dir) for name in ("A", "B")]
    proxy = Proxy(
        http_ports=[node.http_port for node in nodes],
        ws_ports=[node.ws_port for node in nodes],
        base=tmp_path_factory.mktemp("scale-nginx"),
        # Static files from this proxy's disk: the project's own (collectstatic's output in production).
        static_root=PROJECT_DIR,
    )
    stack = ScaleStack(primary, replica, redis, redis_shard, s3, nodes, proxy, env, log_dir)
    started = time.monotonic()

    def phase(name: str) -> None:
        print(f"scale stack: {name} at {time.monotonic() - started:.1f} s")

    try:
        primary.init()
        primary.start()
        primary.create_database()
        redis.start()
        redis_shard.start()
        s3.start()
        # The web servers import the site while the database is migrated (they query it only
        # when asked); the workers poll the queue, so they start after.
        for node in nodes:
            node.http.start()
            node.ws.start()
        phase("servers")
        stack.manage("migrate", "--noinput")
        phase("migrated")
        stack.manage("shell", "-c", CREATE_MEMBERS.format(members=MEMBERS, password=PASSWORD))
        replica.init()
        replica.start()
        phase("replica")
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            s3.client().create_bucket(Bucket=bucket)
        # Uploads are public (photos on pages); exports only through signed URLs.
        s3.client().put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(PUBLIC_READ))
        for node in nodes:
            node.worker.start()
        proxy.start()
        for node in nodes:
            node.wait()

        def ready() -> bool:
            return stack.session().get(f"{proxy.url}/readyz", timeout=10).status_code == 200

        # Ready: both workers have reported to the shared cache.
        assert eventually(ready, timeout=START_TIMEOUT), stack.logs()
        phase("ready")
        yield stack
    finally:
        proxy.stop()
        processes = [process for node in nodes for process in node.processes()]
        # All told to stop at once, then each waited for.
        for process in processes:
            if process.process is not None and process.process.poll() is None:
                process.process.terminate()
        for process in processes:
            process.stop()
        s3.stop()
        redis_shard.stop()
        redis.stop()
        replica.remove()
        primary.remove()


def _moto_installed() -> bool:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        return False
    return True
