"""The load scenario (bench/load_locustfile.py) against the production-like stack on loopback.

    .venv/bin/python bench/load.py                  # 20 members for 120 s
    .venv/bin/python bench/load.py --duration 30    # shorter

Recreates the database ``petrasche_bench_load`` on the local PostgreSQL, migrates it and seeds it
as bench/feed.py does (1,000 members, 10,000 posts); then starts the production ASGI server
(uvicorn, 2 workers, ``bench.settings`` = production settings) with Redis (its own database
number) as cache and channel layer, and the django-q2 worker; runs locust headless; prints p50
and p95 per endpoint and the error rate. Exits 1 if any request failed.
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
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
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


def main(argv=None) -> int:
    args = parse_args(argv)
    options = feed_args(args)
    env = feed.bench_environment(options)
    env.update({"REDIS_URL": args.redis_url, "RATE_LIMIT_API": "100000"})
    os.environ.update(env)
    feed.VAR.mkdir(parents=True, exist_ok=True)
    server = worker = None
    ok = False
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

        port = feed.free_port()
        log_dir = Path(tempfile.gettempdir())
        server = feed.start_server(options, env, port, log_dir / f"petrasche-load-web-{port}.log")
        feed.wait_until_up(server, port, log_dir / f"petrasche-load-web-{port}.log")
        worker = start_worker(env, log_dir / f"petrasche-load-worker-{port}.log")
        time.sleep(2)
        csv_prefix = feed.VAR / "load"
        locust_env = {**env, "LOAD_PASSWORD": feed.PASSWORD, "LOAD_USERNAMES": ",".join(usernames)}
        run_locust(args, f"http://127.0.0.1:{port}", locust_env, csv_prefix)
        ok = report(csv_prefix, args)
    finally:
        for process in (server, worker):
            stop(process)
        from django.db import connections

        connections.close_all()
        feed.drop_database(args.db_url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
