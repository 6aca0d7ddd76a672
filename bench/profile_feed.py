"""Where a feed request's time goes: pyinstrument over the production settings, in-process.

    .venv/bin/python bench/feed.py --keep-db            # seeds petrasche_bench and keeps it
    .venv/bin/python bench/profile_feed.py [--requests 200] [--endpoint page|api] [--db-url …]

Signs the benchmark's viewer in (session for the page, JWT for the API) with Django's test client,
warms the process up, then profiles ``--requests`` requests of the following feed and prints the
call tree (frames under 1 % of the time hidden) and the time per request. The server is not in the
picture: add what bench/feed.py prints for the server's CPU per request.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == REPO / "bench":
    sys.path[0] = str(REPO)
elif str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import feed  # noqa: E402 - importable once the project root is on sys.path

PATHS = {"page": "/?feed=following", "api": "/api/feed/following/"}
# Where a frame's own time is counted: the first prefix of its file's path (below site-packages, or
# in the repository) that matches, else the file's top folder.
AREAS = [
    ("django/template/", "Django templates (rendering, tags, filters)"),
    ("django/contrib/humanize/", "Django templates (rendering, tags, filters)"),
    ("django/db/models/sql/compiler", "ORM: compiling SQL"),
    ("django/db/models/sql/", "ORM: building querysets"),
    ("django/db/models/query", "ORM: querysets and model instances"),
    ("django/db/models/", "ORM: expressions, fields, models"),
    ("django/db/backends/", "ORM: database backend (cursor, adapting)"),
    ("psycopg", "psycopg (driver, waiting for PostgreSQL)"),
    ("django/urls/", "URL reversing and resolving"),
    ("django/utils/translation", "translation"),
    ("django/middleware/", "Django middleware"),
    ("django/contrib/sessions/", "sessions"),
    ("django/contrib/auth/", "authentication"),
    ("django/core/handlers/", "request handling"),
    ("django/http/", "request handling"),
    ("rest_framework", "Django REST framework"),
    ("wagtail/", "Wagtail (routing, page, site)"),
    ("allauth/", "allauth middleware"),
    ("community/text", "linkify (community/text.py)"),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--endpoint", choices=sorted(PATHS), default="page")
    parser.add_argument("--interval", type=float, default=0.0005, help="sampling interval in seconds")
    feed.add_db_url_option(
        parser, env_var="BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/petrasche_bench"
    )
    args = parser.parse_args(argv)
    os.environ.update(feed.bench_environment(argparse.Namespace(db_url=args.db_url, threads=0)))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler
    from rest_framework_simplejwt.tokens import AccessToken

    viewer = get_user_model().objects.get(username=feed.VIEWER)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if args.endpoint == "page":
        client.force_login(viewer)
    else:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {AccessToken.for_user(viewer)}"
    path = PATHS[args.endpoint]
    for _ in range(20):
        assert client.get(path).status_code == 200
    profiler = Profiler(interval=args.interval)
    started_cpu, started = time.process_time(), time.perf_counter()
    profiler.start()
    for _ in range(args.requests):
        client.get(path)
    profiler.stop()
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    print(profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
    print_areas(profiler.last_session.root_frame())
    print(
        f"{args.requests} requests of {path}: {cpu / args.requests * 1000:.2f} ms of CPU and "
        f"{wall / args.requests * 1000:.2f} ms wall each (profiler included)"
    )
    return 0


# Phases of a request, by the functions that run them (time inside, outermost call only).
PHASES = [
    ("the session and the member (SessionStore.load, get_user)", {"load", "get_user"}),
    (
        "the feed's queryset built and run, paginated (home_feed / PostListView.list)",
        {"home_feed", "list"},
    ),
    ("  of which running the SQL (CursorWrapper.execute)", {"execute"}),
    ("templates rendered (Template.render), badges included", {"render"}),
    ("the nav badges (core.badges.counts)", {"counts"}),
    ("DRF serializing (Serializer.data)", {"data"}),
    ("linkify", {"linkify"}),
    ("naturaltime", {"naturaltime"}),
    ("URL reversing (reverse)", {"reverse"}),
    ("Wagtail routing (Site.find_for_request, route, serve)", {"find_for_request", "route"}),
]


def inclusive(root, names: set[str]) -> float:
    """Time inside frames whose function is one of ``names``, not counting one inside another."""
    total, stack = 0.0, [root]
    while stack:
        frame = stack.pop()
        if frame.function in names:
            total += frame.time
        else:
            stack.extend(frame.children)
    return total


def area_of(file_path: str) -> str:
    path = file_path.split("site-packages/", 1)[-1]
    if path.startswith(str(REPO)):
        path = path[len(str(REPO)) + 1 :]
    for prefix, area in AREAS:
        if path.startswith(prefix):
            return area
    return path.split("/", 1)[0] if "/" in path else path


def print_areas(root) -> None:
    """Self time summed by area, and the functions with the most self time."""
    by_area: dict[str, float] = {}
    by_function: dict[str, float] = {}
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        own = frame.total_self_time
        if not own or not frame.file_path:
            continue
        by_area[area_of(frame.file_path)] = by_area.get(area_of(frame.file_path), 0.0) + own
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        by_function[name] = by_function.get(name, 0.0) + own
    total = sum(by_area.values())
    print("Self time by area:")
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1])[:20]:
        print(f"  {seconds / total:6.1%}  {area}")
    print("Time inside (with what they call):")
    for label, names in PHASES:
        inside = inclusive(root, names)
        print(f"  {inside / root.time:6.1%}  {label}")
    print("Functions with the most self time:")
    for name, seconds in sorted(by_function.items(), key=lambda item: -item[1])[:25]:
        print(f"  {seconds / total:6.1%}  {name}")


if __name__ == "__main__":
    sys.exit(main())
