"""The load scenario (bench/load_locustfile.py) through nginx against one node, then two.

    .venv/bin/python bench/load.py                  # 20 members for 120 s, one node then two
    .venv/bin/python bench/load.py --duration 30 --nodes 2

Recreates the database ``petrasche_bench_load`` on the local PostgreSQL, migrates it and seeds it
as bench/feed.py does (1,000 members, 10,000 posts). Then, for each entry of ``--nodes``: that
many web nodes, each the production HTTP server (granian's WSGI interface, ``--workers``
processes, ``bench.settings`` = production settings), sharing Redis (its own database number) as
cache and channel layer and one django-q2 worker, behind nginx terminating TLS with
ops/nginx/site.conf (as the scale tier runs it, site_core/tests/scale/proxy.py); runs locust
headless through nginx; prints p50 and p95 per endpoint, the error rate and which node served
how many requests. Exits 1 if any request failed. Two nodes on one 2-core machine share the same
cores, so they show that the nodes work together, not that they scale (bench/README.md,
"Capacity").
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import feed  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/petrasche_bench_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--users", type=int, default=20, help="concurrent members")
    parser.add_argument("--spawn-rate", type=float, default=5.0)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=1, help="HTTP server processes per node")
    parser.add_argument(
        "--nodes", default="1,2", help="comma-separated node counts, one load run each (default 1,2)"
    )
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=10_000)
    return parser.parse_args(argv)


def feed_args(args) -> argparse.Namespace:
    """bench/feed.py's options for seeding and for serving, with our database and workers."""
    return feed.parse_args(
        [
            *("--db-url", args.db_url),
            *("--members", str(args.members)),
            *("--posts", str(args.posts)),
            *("--workers", str(args.workers)),
        ]
    )


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group; SIGKILL if it has not stopped within 30 s."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run_locust(args, base_url: str, env: dict[str, str], csv_prefix: Path) -> None:
    command = [
        sys.executable, "-m", "locust", "-f", str(REPO / "bench" / "load_locustfile.py"),
        "--headless", "--host", base_url, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", f"{args.duration}s", "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO, env=env, check=False, timeout=args.duration + 120)  # noqa: S603


def report(csv_prefix: Path, args) -> bool:
    rows = list(csv.DictReader((csv_prefix.parent / f"{csv_prefix.name}_stats.csv").open()))
    print(f"\nLoad: {args.users} members for {args.duration} s on {feed.machine()}")
    print(f"{'endpoint':48} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    total = failures = 0
    for row in rows:
        print(
            f"{row['Name']:48} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>8} {row['95%']:>8} {float(row['Requests/s']):>7.1f}"
        )
        if row["Name"] == "Aggregated":
            total, failures = int(row["Request Count"]), int(row["Failure Count"])
    rate = 100 * failures / total if total else 100
    print(f"\nErrors: {failures} of {total} requests ({rate:.2f} %)")
    return total > 0 and failures == 0


def run_nodes(args, options, env: dict[str, str], usernames: list[str], nodes: int) -> bool:
    """One load run through nginx against ``nodes`` nodes; True when no request failed."""
    from site_core.tests.scale.proxy import Proxy

    servers, worker, proxy = [], None, None
    log_dir = Path(tempfile.mkdtemp(prefix="petrasche-load-"))
    try:
        ports = [feed.free_port() for _ in range(nodes)]
        for port in ports:
            log_path = log_dir / f"web-{port}.log"
            servers.append(feed.start_server(options, env, port, log_path))
        for server, port in zip(servers, ports, strict=True):
            feed.wait_until_up(server, port, log_dir / f"web-{port}.log")
        worker = start_worker(env, log_dir / "worker.log")
        proxy = Proxy(http_ports=ports, ws_ports=ports, base=log_dir / "nginx", static_root=feed.VAR)
        proxy.start()
        time.sleep(2)
        csv_prefix = feed.VAR / f"load-{nodes}"
        locust_env = {**env, "LOAD_PASSWORD": feed.PASSWORD, "LOAD_USERNAMES": ",".join(usernames)}
        groups = {"web": [server.pid for server in servers], "nginx": [proxy.process.pid]}
        before = cpu_seconds(groups)
        run_locust(args, proxy.url, locust_env, csv_prefix)
        after = cpu_seconds(groups)
        print(f"\n=== {nodes} node(s) × {args.workers} worker(s), through nginx ({proxy.url})")
        ok = report(csv_prefix, args)
        served = served_by(proxy, ports)
        if served:
            print("served by: " + ", ".join(f"node {n + 1} {count}" for n, count in enumerate(served)))
            total = sum(served)
            print(
                "CPU per request: "
                + ", ".join(f"{name} {1000 * (after[name] - before[name]) / total:.2f} ms" for name in groups)
            )
        return ok
    finally:
        if proxy is not None:
            proxy.stop()
        for process in (*servers, worker):
            stop(process)


def cpu_seconds(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each group of processes, their children included."""
    import psutil

    used = {}
    for name, pids in groups.items():
        total = 0.0
        for pid in pids:
            try:
                parent = psutil.Process(pid)
                for process in [parent, *parent.children(recursive=True)]:
                    times = process.cpu_times()
                    total += times.user + times.system
            except psutil.NoSuchProcess:
                continue
        used[name] = total
    return used


def served_by(proxy, ports: list[int]) -> list[int]:
    """Requests per node, from nginx's access log (the upstream address of each request)."""
    log = proxy.base / "logs" / "upstreams.log"
    if not log.exists():
        return []
    text = log.read_text()
    return [text.count(f"127.0.0.1:{port}") for port in ports]


def main(argv=None) -> int:
    args = parse_args(argv)
    options = feed_args(args)
    env = feed.bench_environment(options)
    env.update({"REDIS_URL": args.redis_url, "RATE_LIMIT_API": "100000", "TRUSTED_PROXIES": "127.0.0.1"})
    os.environ.update(env)
    feed.VAR.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        feed.recreate_database(args.db_url)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", interactive=False, verbosity=0)
        feed.seed(options)
        call_command("collectstatic", interactive=False, verbosity=0)
        usernames = list(
            get_user_model().objects.order_by("pk").values_list("username", flat=True)[: args.users * 2]
        )
        connections.close_all()
        for nodes in [int(count) for count in args.nodes.split(",")]:
            results.append(run_nodes(args, options, env, usernames, nodes))
    finally:
        from django.db import connections

        connections.close_all()
        feed.drop_database(args.db_url)
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
