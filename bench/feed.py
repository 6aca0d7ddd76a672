"""Benchmark of the logged-in "following" feed, the page and the API, against the bare stack.

    .venv/bin/python bench/feed.py [--servers granian-wsgi] [--concurrency 16] [--duration 30] [--rounds 5]

What it does, in one run:

1. drops and recreates a dedicated PostgreSQL database (default ``petrasche_bench``), migrates it and
   seeds members, posts (Korean text with #hashtags and @mentions), photos, likes, comments, follows
   and notifications with bulk inserts; one member, the viewer, follows ~100 members;
2. starts, side by side, **the reference** — Django's hello world (``bench/bare.py``: one sync view,
   no middleware, no database) under gunicorn with two sync workers — and the site under each server
   of ``--servers`` (default: production's, granian's WSGI interface) with the production settings
   (``bench.settings``): the connection pool, no response cache; ``--bare-servers`` also serves the
   hello world under those servers, to compare the servers themselves;
3. logs the viewer in through django-allauth's login form (session) and ``/api/auth/token/`` (JWT),
   checks each endpoint's body once, then loads the endpoints with ``--concurrency`` keep-alive
   connections from an asyncio client in this process, in ``--rounds`` turns (A/B alternation: each
   endpoint in turn, round after round, so that the machine's other work falls on all of them);
4. prints per endpoint requests/s, p50/p95/p99 latency, errors, the SQL queries of one request, the
   server's and PostgreSQL's CPU per request, and the ratio of its requests/s to the reference's
   (overall and round by round), against the targets (page ≥ 5 %, API ≥ 7 %, p95 ≤ 350 / 250 ms);
5. stops the servers and drops the database (``--keep-db`` keeps it; ``--reuse-db`` skips seeding when
   a kept database is there).

Requests go only to 127.0.0.1 and carry ``X-Forwarded-Proto: https``, as the TLS proxy in front of
production sets it, so SECURE_SSL_REDIRECT and the Secure cookies stay as in production.
Exit status: 0 when every response was a 200 with the expected content, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
PASSWORD = "bench-Petrasche-2024!"  # noqa: S105 - a throwaway account in a throwaway database
VIEWER = "benchviewer"
# Share of the reference's requests/s, and p95 latency in ms, at concurrency 16 (issue #18).
TARGETS = {"page": (0.05, 350.0), "api": (0.07, 250.0)}
PRODUCTION_SERVER = "granian-wsgi"
REFERENCE_SERVER, REFERENCE_WORKERS = "gunicorn", 2

# Running as `python bench/feed.py` puts bench/ first on sys.path; the project root is what we need.
if sys.path and Path(sys.path[0]).resolve() == REPO / "bench":
    sys.path[0] = str(REPO)
elif str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# The database, server and CPU helpers: bench/common.py (load.py calls some of them as feed.<name>).
from bench.common import (  # noqa: E402 - importable once the project root is on sys.path
    BARE_ASGI_APP,
    BARE_BODY,
    SERVERS,
    add_db_url_option,
    close_django_connections,
    database_exists,
    database_name,
    drop_database,
    free_port,
    interrupt_on_sigterm,
    machine,
    machine_busy_seconds,
    percentile_ms,
    processes_cpu,
    recreate_database,
    require_bench_database,
    server_environment,
    stop_server,
    wait_until_up,
)
from bench.common import start_server as start_http_server  # noqa: E402

# ----------------------------------------------------------------------------------------------
# Configuration shared by this process (migrate, seed, query counts) and the servers.


def server_list(parser, value: str) -> list[str]:
    servers = [name.strip() for name in value.split(",") if name.strip()]
    unknown = set(servers) - set(SERVERS)
    if unknown:
        parser.error(f"unknown servers {sorted(unknown)}; choose from {', '.join(SERVERS)}")
    return servers


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--follows", type=int, default=100, help="members the viewer follows")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds per endpoint")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="the endpoints take turns this many times, each measured for duration/rounds seconds",
    )
    parser.add_argument("--max-requests", type=int, default=500_000, help="cap per endpoint")
    parser.add_argument(
        "--servers",
        default=PRODUCTION_SERVER,
        help=f"comma-separated servers for the site, measured side by side ({', '.join(SERVERS)}); "
        f"production runs {PRODUCTION_SERVER}",
    )
    parser.add_argument(
        "--bare-servers",
        default="",
        help="also serve the bare hello world under these servers (the reference is always "
        f"{REFERENCE_SERVER} ×{REFERENCE_WORKERS} sync workers)",
    )
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (each server)")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="request threads per granian WSGI worker, and pooled connections per worker "
        "(default: production's DATABASE_POOL_MAX_SIZE)",
    )
    add_db_url_option(
        parser, env_var="BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/petrasche_bench"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--reuse-db", action="store_true", help="reuse a kept, seeded database")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one feed request")
    parser.add_argument("--only", choices=["page", "api"], help="measure only the page or the API")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="SERVER:NAME=VALUE",
        help="an environment variable for one site server (an A/B switch such as "
        "granian-wsgi:DATABASE_POOL_MAX_SIZE=4); the server is then listed as SERVER[NAME=VALUE]",
    )
    parser.add_argument("--seed", type=int, default=20240601, help="random seed for the data")
    args = parser.parse_args(argv)
    require_bench_database(parser, args.db_url)
    args.servers = server_list(parser, args.servers)
    args.bare_servers = server_list(parser, args.bare_servers)
    args.variants = [Variant(server, {}) for server in args.servers]
    for item in args.env:
        server, _, assignment = item.partition(":")
        name, _, value = assignment.partition("=")
        if server not in SERVERS or not name:
            parser.error(f"--env {item!r}: expected SERVER:NAME=VALUE")
        args.variants.append(Variant(server, {name: value}))
    if (
        args.rounds < 1
        or args.concurrency < 1
        or args.duration <= 0
        or args.members < args.follows + 2
        or args.posts < 1
    ):
        parser.error("need concurrency ≥ 1, duration > 0, members > follows + 1 and posts ≥ 1")
    return args


@dataclass(frozen=True)
class Variant:
    """The site under one server, with extra environment variables for an A/B comparison."""

    server: str
    env: dict[str, str]

    @property
    def name(self) -> str:
        return self.server + "".join(f"[{key}={value}]" for key, value in self.env.items())

    def __hash__(self) -> int:
        return hash(self.name)


def pool_size() -> int:
    from django.conf import settings

    return settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]


def bench_environment(args) -> dict[str, str]:
    """common.server_environment (no Redis, search engine or SMTP server from the caller's shell) with
    bench.settings, the scratch media and static roots and the API rate limit off."""
    extra = {}
    if getattr(args, "threads", 0):
        extra["DATABASE_POOL_MAX_SIZE"] = str(args.threads)
    return server_environment(
        settings="bench.settings",
        db_url=args.db_url,
        MEDIA_ROOT=str(VAR / "media"),
        BENCH_STATIC_ROOT=str(VAR / "static"),
        # One member sends thousands of requests a minute: the per-member API limit is off.
        RATE_LIMIT_API="0",
        **extra,
    )


# ----------------------------------------------------------------------------------------------
# Database: seed (common.py creates and drops it).


NICKNAMES = ["두부", "콩이", "나비", "초코", "보리", "코코", "몽이", "별이", "해피", "뭉치", "구름", "호두"]
ROLES = ["엄마", "아빠", "집사", "언니", "누나", "형", "보호자"]
BREEDS = [
    "말티즈",
    "푸들",
    "시바견",
    "진돗개",
    "포메라니안",
    "비숑",
    "웰시코기",
    "코리안숏헤어",
    "러시안블루",
]
SENTENCES = [
    "오늘은 {name}랑 한강까지 산책했어요.",
    "비가 와서 집에서 노즈워크 했어요.",
    "{breed} 키우시는 분들 사료 뭐 먹이세요?",
    "드디어 미용 끝! 너무 귀엽지 않나요?",
    "공원에서 새 친구를 만났어요. 서로 킁킁 인사하고 한참 뛰어놀았답니다.",
    "간식 앞에서는 세상 얌전해지는 {name}.",
    "동물병원 정기검진 다녀왔어요. 건강하대요!",
    "주말에 애견 카페 가실 분 계신가요?",
    "{name}가 소파를 차지해 버렸어요 ㅋㅋ",
    "새로 산 장난감을 하루 만에 다 뜯어놨어요.",
    "아침 산책은 역시 상쾌하네요.",
    "{breed} 털 빠짐 관리 팁 공유합니다. 빗질은 하루 두 번!",
]
HASHTAGS = [
    "산책", "강아지", "고양이", "반려견", "반려묘", "댕댕이", "냥스타그램", "한강", "미용", "간식",
    "말티즈", "푸들", "시바견", "진돗개", "집사", "노즈워크", "애견카페", "동물병원", "입양", "오늘의댕댕이",
]  # fmt: skip
COMMENTS = [
    "귀여워요!",
    "우와 너무 예뻐요",
    "저희 애도 그래요 ㅋㅋ",
    "좋은 정보 감사합니다",
    "산책 같이 가요!",
]
PHOTO_SIZES = {"full": (2048, 1536), "display": (1080, 810), "thumb": (400, 400)}


@dataclass
class Seeded:
    viewer_id: int
    followed_usernames: set[str]
    counts: dict[str, int]


def write_photo_files() -> dict[str, str]:
    """Three WebP files, made once and shared by every PostPhoto row."""
    from PIL import Image

    names = {}
    for variant, size in PHOTO_SIZES.items():
        name = f"posts/bench/{variant}.webp"
        path = VAR / "media" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", size, (200, 150, 90)).save(path, format="WEBP", quality=70)
        names[variant] = name
    return names


def post_text(rng: random.Random, usernames: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts.append(rng.choice(SENTENCES).format(name=rng.choice(NICKNAMES), breed=rng.choice(BREEDS)))
    text = " ".join(parts)
    if rng.random() < 0.10:
        text += f" @{rng.choice(usernames)} 님도 같이 가요!"
    if rng.random() < 0.03:
        text += " 자세한 내용은 https://petrasche.example/guide/walks 참고하세요."
    tags = rng.sample(HASHTAGS, rng.randint(1, 3))
    return text + "\n\n" + " ".join(f"#{tag}" for tag in tags)


def seed(args) -> Seeded:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from community.models import Comment, Follow, Hashtag, Like, Post, PostPhoto
    from community.text import extract_hashtags, extract_mentions
    from notifications.models import Notification

    User = get_user_model()
    rng = random.Random(args.seed)  # noqa: S311 - test data, not secrets
    now = timezone.now()
    password = make_password(PASSWORD)  # hashed once, shared by every member
    batch = 2000

    with transaction.atomic():
        members = [
            User(
                username=VIEWER,
                nickname="벤치뷰어",
                email=f"{VIEWER}@bench.petrasche.local",
                password=password,
                date_joined=now - timedelta(days=400),
            )
        ]
        for index in range(1, args.members):
            members.append(
                User(
                    username=f"member{index:05d}",
                    nickname=f"{rng.choice(NICKNAMES)}{rng.choice(ROLES)}{index}",
                    email=f"member{index:05d}@bench.petrasche.local",
                    password=password,
                    bio=f"{rng.choice(BREEDS)}와 함께 살아요.",
                    date_joined=now - timedelta(days=rng.uniform(1, 400)),
                )
            )
        members = User.objects.bulk_create(members, batch_size=batch)
        # Members who confirmed their address, so the login opens without the e-mailed code.
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=member, email=member.email, primary=True, verified=True)
                for member in members
            ],
            batch_size=batch,
        )
        viewer = members[0]
        others = members[1:]
        usernames = [member.username for member in others]
        by_username = {member.username: member for member in members}

        # Follows: the viewer follows --follows members; everyone else 5–40 members; some follow the viewer.
        followed = rng.sample(others, args.follows)
        follows = [Follow(follower=viewer, following=member) for member in followed]
        for member in others:
            candidates = rng.sample(members, min(len(members), rng.randint(5, 40)))
            follows.extend(Follow(follower=member, following=c) for c in candidates if c.pk != member.pk)
        Follow.objects.bulk_create(follows, batch_size=batch, ignore_conflicts=True)

        # Posts: authors skewed (a few prolific members), spread over the last 60 days.
        weights = [rng.paretovariate(1.2) for _ in members]
        authors = rng.choices(members, weights=weights, k=args.posts)
        posts = []
        for author in authors:
            created = now - timedelta(seconds=rng.uniform(0, 60 * 24 * 3600))
            roll = rng.random()
            posts.append(
                Post(
                    author=author,
                    text=post_text(rng, usernames),
                    created_at=created,
                    edited_at=created + timedelta(minutes=5) if roll < 0.05 else None,
                    is_hidden=0.05 <= roll < 0.06,
                    hidden_reason="운영 정책 위반" if 0.05 <= roll < 0.06 else "",
                    deleted_at=created + timedelta(hours=1) if 0.06 <= roll < 0.065 else None,
                )
            )
        posts = Post.objects.bulk_create(posts, batch_size=batch)

        # Hashtags and mentions, as the post service would have linked them.
        tag_names = sorted({name for post in posts for name in extract_hashtags(post.text)})
        Hashtag.objects.bulk_create([Hashtag(name=name) for name in tag_names], batch_size=batch)
        tags = dict(Hashtag.objects.values_list("name", "pk"))
        TagLink = Post.hashtags.through
        MentionLink = Post.mentions.through
        tag_links, mention_links = [], []
        for post in posts:
            tag_links.extend(
                TagLink(post_id=post.pk, hashtag_id=tags[name]) for name in extract_hashtags(post.text)
            )
            for handle in extract_mentions(post.text):
                if handle in by_username and by_username[handle].pk != post.author_id:
                    mention_links.append(MentionLink(post_id=post.pk, user_id=by_username[handle].pk))
        TagLink.objects.bulk_create(tag_links, batch_size=batch)
        MentionLink.objects.bulk_create(mention_links, batch_size=batch)

        # Photos on ~3 % of posts, 1–3 each, all pointing at the same three files.
        files = write_photo_files()
        photos = []
        for post in rng.sample(posts, max(1, args.posts * 3 // 100)):
            for position in range(rng.randint(1, 3)):
                photos.append(
                    PostPhoto(
                        post=post,
                        position=position,
                        alt_text=f"{rng.choice(BREEDS)} 사진 {position + 1}",
                        full=files["full"],
                        display=files["display"],
                        thumb=files["thumb"],
                        width=PHOTO_SIZES["full"][0],
                        height=PHOTO_SIZES["full"][1],
                    )
                )
        PostPhoto.objects.bulk_create(photos, batch_size=batch)

        # Likes and comments: counts match the rows; the viewer likes a quarter of what they follow.
        followed_ids = {member.pk for member in followed}
        likes, comments = [], []
        for post in posts:
            likers = rng.sample(others, min(len(others), int(rng.paretovariate(1.3)) - 1))
            if post.author_id in followed_ids and rng.random() < 0.25:
                likers.append(viewer)
            likers = [m for m in {m.pk: m for m in likers}.values() if m.pk != post.author_id]
            post.like_count = len(likers)
            likes.extend(
                Like(user=m, post=post, created_at=post.created_at + timedelta(minutes=1)) for m in likers
            )
            post.comment_count = min(30, int(rng.paretovariate(1.5)) - 1)
            comments.extend(
                Comment(
                    post=post,
                    author=rng.choice(others),
                    text=rng.choice(COMMENTS),
                    created_at=post.created_at + timedelta(minutes=rng.randint(1, 600)),
                )
                for _ in range(post.comment_count)
            )
        Like.objects.bulk_create(likes, batch_size=batch)
        Comment.objects.bulk_create(comments, batch_size=batch)
        Post.objects.bulk_update(posts, ["like_count", "comment_count"], batch_size=batch)

        # The viewer's notifications, a few unread, so the header badge is counted.
        notifications = []
        for index in range(60):
            when = now - timedelta(hours=index * 5)
            notifications.append(
                Notification(
                    recipient=viewer,
                    actor=rng.choice(others),
                    kind=rng.choice(
                        [Notification.Kind.LIKE, Notification.Kind.COMMENT, Notification.Kind.FOLLOW]
                    ),
                    actor_count=rng.randint(1, 5),
                    created_at=when,
                    updated_at=when,
                    read_at=None if index < 8 else when + timedelta(hours=1),
                )
            )
        Notification.objects.bulk_create(notifications, batch_size=batch)

    # Statistics as autovacuum would have them by now: right after a bulk load the planner guesses,
    # and the following feed's query then checks every post against the follow list.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    counts = {
        "members": len(members),
        "posts": len(posts),
        "follows": Follow.objects.count(),
        "likes": len(likes),
        "comments": len(comments),
        "photos": len(photos),
        "hashtag links": len(tag_links),
        "viewer's feed posts": Post.objects.filter(author_id__in=followed_ids | {viewer.pk}).count(),
    }
    return Seeded(viewer.pk, {member.username for member in followed} | {VIEWER}, counts)


def load_seeded() -> Seeded:
    from django.contrib.auth import get_user_model

    from community.models import Follow

    viewer = get_user_model().objects.get(username=VIEWER)
    followed = set(Follow.objects.filter(follower=viewer).values_list("following__username", flat=True))
    return Seeded(viewer.pk, followed | {VIEWER}, {})


# ----------------------------------------------------------------------------------------------
# The servers.


def start_server(args, env, port: int, log_path: Path, kind: str = PRODUCTION_SERVER) -> subprocess.Popen:
    """The site under ``kind`` as production runs it, ``args.workers`` processes (also used by load.py);
    granian's WSGI interface gets as many request threads per worker as the pool has connections."""
    threads = args.threads or int(env.get("DATABASE_POOL_MAX_SIZE") or pool_size())
    return start_http_server(
        kind, port=port, workers=args.workers, env=env, log_path=log_path, threads=threads
    )


@dataclass
class Server:
    label: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_all(args, env: dict[str, str]) -> list[Server]:
    """The reference, the bare hello world under --bare-servers, and the site under each variant."""
    plans = [(f"reference: {REFERENCE_SERVER} ×{REFERENCE_WORKERS} sync", REFERENCE_SERVER, None, env)]
    plans += [(f"bare: {kind}", kind, None, env) for kind in args.bare_servers]
    plans += [(variant.name, variant.server, variant, {**env, **variant.env}) for variant in args.variants]
    servers = []
    for label, kind, variant, server_env in plans:
        port = free_port()
        log_path = Path(tempfile.gettempdir()) / f"petrasche-bench-{kind}-{port}.log"
        if variant is None:
            process = start_http_server(
                kind,
                port=port,
                workers=REFERENCE_WORKERS if label.startswith("reference") else args.workers,
                env=server_env,
                log_path=log_path,
                asgi_app=BARE_ASGI_APP,
                wsgi_app="bench.bare:application",
            )
        else:
            process = start_server(args, server_env, port, log_path, kind=kind)
        servers.append(Server(label, process, port, log_path))
    for server in servers:
        wait_until_up(server.process, server.port, server.log_path)
        print(f"  up: {server.label:<40} {server.base} (log {server.log_path})", flush=True)
    return servers


BACKEND_TITLE = re.compile(r"postgres: \S+ \S+ (\S+\(\d+\)|\[local\])")  # "postgres: user db host(port) …"


def cpu_snapshot(groups: dict[int, str], db_name: str) -> Counter:
    """CPU seconds used so far (user + system, all threads) by each server ("server:<label>"),
    PostgreSQL, this process, the whole machine ("machine") and every other process ("other:<name>").

    A pool keeps PostgreSQL's backends alive; the CPU of those that exited shows in the postmaster's
    reaped-children time, which also holds exited backends of other databases.
    """
    seconds: Counter = Counter()
    me = os.getpid()
    for process in processes_cpu():
        comm, own = process.comm, process.own
        if process.pgrp in groups:
            seconds[f"server:{groups[process.pgrp]}"] += own
        elif process.pid == me:
            seconds["client"] += own
        elif comm.startswith("postgres"):
            try:
                cmdline = Path("/proc", str(process.pid), "cmdline").read_bytes()
                title = cmdline.replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                title = ""
            if not title.startswith("postgres: "):  # the postmaster
                seconds["postgres"] += own + process.reaped
            elif f" {db_name} " in title or not BACKEND_TITLE.match(title):  # ours, or checkpointer &c.
                seconds["postgres"] += own
            else:
                seconds["other:postgres (another database)"] += own
        else:
            seconds[f"other:{comm.split('-')[0] if comm.startswith('kworker') else comm}"] += own
    seconds["machine"] = machine_busy_seconds()
    return seconds


# ----------------------------------------------------------------------------------------------
# The load generator.

FORWARDED = {"X-Forwarded-Proto": "https"}


@dataclass
class Endpoint:
    name: str
    kind: str  # "reference", "bare", "page" or "api"
    server: Server
    path: str
    headers: dict[str, str]
    check: Callable[[bytes], str | None]  # a 200's body -> None, or what is wrong with it

    @property
    def url(self) -> str:
        return self.server.base + self.path


@dataclass
class Result:
    """One endpoint's measurements, summed over the rounds."""

    endpoint: Endpoint
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    elapsed: float = 0.0
    round_rps: list[float] = field(default_factory=list)
    cpu_seconds: Counter = field(default_factory=Counter)
    cpu_window: float = 0.0
    body_bytes: int = 0
    queries: int | None = None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def cpu(self) -> dict[str, float]:
        """Average cores used while measuring, by who used them ("server": this endpoint's server)."""
        if not self.cpu_window:
            return {}
        cores = {key: value / self.cpu_window for key, value in self.cpu_seconds.items()}
        cores["server"] = cores.get(f"server:{self.endpoint.server.label}", 0.0)
        return cores

    def ms_per_request(self, who: str) -> float:
        """CPU milliseconds per measured request spent by ``who`` ("server" or "postgres")."""
        requests = len(self.latencies)
        seconds = (
            self.cpu_seconds.get(f"server:{self.endpoint.server.label}", 0.0)
            if who == "server"
            else self.cpu_seconds.get(who, 0.0)
        )
        # CPU is metered over the whole window, requests counted until the last one done in it.
        return (
            seconds / requests * 1000 * (self.elapsed / self.cpu_window)
            if requests and self.cpu_window
            else 0.0
        )

    def percentile(self, q: float) -> float:
        return percentile_ms(self.latencies, q)


async def login_session(session, base: str) -> str:
    """Signs in through allauth's form, as a browser does; returns the Cookie header."""
    cookies: dict[str, str] = {}

    def keep(response):
        for morsel in response.cookies.values():
            cookies[morsel.key] = morsel.value

    origin = "https://" + urlsplit(base).netloc
    async with session.get(f"{base}/accounts/login/", headers=FORWARDED) as response:
        body = await response.text()
        keep(response)
        if response.status != 200:
            raise SystemExit(f"GET /accounts/login/ answered {response.status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not token or "csrftoken" not in cookies:
        raise SystemExit("the login page has no CSRF token")
    async with session.post(
        f"{base}/accounts/login/",
        data={"login": VIEWER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={
            **FORWARDED,
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
        allow_redirects=False,
    ) as response:
        await response.read()
        keep(response)
        if response.status != 302 or "sessionid" not in cookies:
            raise SystemExit(f"allauth login failed: {response.status}")
    return "; ".join(f"{key}={value}" for key, value in cookies.items())


async def login_jwt(session, base: str) -> str:
    async with session.post(
        f"{base}/api/auth/token/", json={"username": VIEWER, "password": PASSWORD}, headers=FORWARDED
    ) as response:
        data = await response.json(content_type=None)
        if response.status != 200 or "access" not in data:
            raise SystemExit(f"POST /api/auth/token/ answered {response.status}: {data}")
    return data["access"]


# The checks of a 200's body: None when it is as expected, else what is wrong (check_once wants the 200).


def check_text(expected: str, body: bytes) -> str | None:
    if body.decode() != expected:
        return f"body {body[:80]!r} is not {expected!r}"
    return None


def check_feed_page(allowed: set[str], body: bytes) -> str | None:
    html = body.decode()
    cards = html.count('<article class="post-card')
    if cards != 20:
        return f"{cards} post cards instead of 20"
    handles = re.findall(r'class="post-card__handle">@([^<]+)<', html)
    if not set(handles) <= allowed:
        return f"posts by members the viewer does not follow: {sorted(set(handles) - allowed)[:5]}"
    if 'href="?feed=following" aria-current="page"' not in html:
        return "the following tab is not the current one"
    if 'class="more"' not in html:
        return "no link to older posts"
    return None


def check_feed_api(allowed: set[str], body: bytes) -> str | None:
    data = json.loads(body)
    authors = {post["author"]["username"] for post in data.get("results", [])}
    if len(data.get("results", [])) != 20 or not data.get("next"):
        return f"{len(data.get('results', []))} posts and next={data.get('next')!r}"
    if not authors <= allowed:
        return f"posts by members the viewer does not follow: {sorted(authors - allowed)[:5]}"
    return None


async def check_once(session, endpoint: Endpoint) -> tuple[int, dict]:
    async with session.get(endpoint.url, headers=endpoint.headers, allow_redirects=False) as response:
        body = await response.read()
        problem = f"status {response.status}" if response.status != 200 else endpoint.check(body)
        if problem:
            raise SystemExit(f"{endpoint.server.label} {endpoint.name}: {problem}")
        return len(body), dict(response.headers)


async def load(session, result: Result, args, groups: dict[int, str], *, warmup: float, duration: float):
    """Keeps args.concurrency requests in flight for warmup + duration seconds; measures the latter."""
    endpoint = result.endpoint
    url = endpoint.url
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + warmup
    stop_at = measure_from + duration
    last_done = measure_from
    measured = 0

    async def worker():
        nonlocal last_done, measured
        while True:
            began = loop.time()
            if began >= stop_at or len(result.latencies) >= args.max_requests:
                return
            try:
                async with session.get(url, headers=endpoint.headers, allow_redirects=False) as response:
                    await response.read()
                    status = response.status
            except Exception as error:  # any failure counts as an error, with its type
                status = type(error).__name__
            done = loop.time()
            if status != 200:
                result.errors[status] += 1
            elif began >= measure_from:
                result.latencies.append(done - began)
                measured += 1
                last_done = max(last_done, done)

    db_name = database_name(args.db_url)

    async def meter():
        await asyncio.sleep(max(0.0, measure_from - loop.time()))
        before, t0 = cpu_snapshot(groups, db_name), loop.time()
        await asyncio.sleep(max(0.0, stop_at - loop.time()))
        after, t1 = cpu_snapshot(groups, db_name), loop.time()
        result.cpu_seconds.update({key: max(0.0, after[key] - before.get(key, 0.0)) for key in after})
        result.cpu_window += t1 - t0

    await asyncio.gather(meter(), *(worker() for _ in range(args.concurrency)))
    result.elapsed += last_done - measure_from
    result.round_rps.append(measured / (last_done - measure_from) if last_done > measure_from else 0.0)


async def measure(args, servers: list[Server], seeded: Seeded) -> list[Result]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=args.concurrency, limit_per_host=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    groups = {server.process.pid: server.label for server in servers}
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        site = [server for server in servers if not server.label.startswith(("reference", "bare"))]
        cookie = await login_session(session, site[0].base)
        access = await login_jwt(session, site[0].base)
        with_session = {**FORWARDED, "Cookie": cookie}
        with_jwt = {**FORWARDED, "Authorization": f"Bearer {access}"}
        hello = partial(check_text, BARE_BODY)
        endpoints = [Endpoint("hello world", "reference", servers[0], "/", {}, hello)]
        endpoints += [
            Endpoint("hello world", "bare", server, "/", {}, hello)
            for server in servers[1:]
            if server.label.startswith("bare")
        ]
        for server in site:
            if args.only in (None, "page"):
                check = partial(check_feed_page, seeded.followed_usernames)
                endpoints.append(
                    Endpoint("feed page", "page", server, "/?feed=following", with_session, check)
                )
            if args.only in (None, "api"):
                check = partial(check_feed_api, seeded.followed_usernames)
                endpoints.append(Endpoint("feed API", "api", server, "/api/feed/following/", with_jwt, check))
        results = []
        for endpoint in endpoints:
            size, headers = await check_once(session, endpoint)
            print(
                f"  {endpoint.server.label:<40} {endpoint.name:<12} {size:>7} bytes, "
                f"Cache-Control: {headers.get('Cache-Control', '-')}",
                flush=True,
            )
            results.append(Result(endpoint, body_bytes=size))
        # A/B alternation: the endpoints take turns, round after round, so that a change in the
        # machine's other load falls on all of them rather than on one. The reference opens every
        # round; the servers' turns rotate from one round to the next, so that none is always first.
        by_server: dict[str, list[Result]] = {}
        for result in results[1:]:
            by_server.setdefault(result.endpoint.server.label, []).append(result)
        groups_in_order = list(by_server.values())
        for round_number in range(args.rounds):
            if round_number:  # access tokens live 10 minutes
                with_jwt["Authorization"] = f"Bearer {await login_jwt(session, site[0].base)}"
            turn = round_number % len(groups_in_order) if groups_in_order else 0
            rotated = groups_in_order[turn:] + groups_in_order[:turn]
            for result in [results[0], *(result for group in rotated for result in group)]:
                await load(
                    session,
                    result,
                    args,
                    groups,
                    warmup=args.warmup if round_number == 0 else min(args.warmup, 1.0),
                    duration=args.duration / args.rounds,
                )
            reference = results[0].round_rps[-1]
            print(
                f"  round {round_number + 1}/{args.rounds}: reference {reference:.0f} req/s; "
                + ", ".join(
                    f"{r.endpoint.server.label} {r.endpoint.name} {r.round_rps[-1]:.1f} "
                    f"({r.round_rps[-1] / reference:.1%})"
                    for r in results[1:]
                ),
                flush=True,
            )
        return results


# ----------------------------------------------------------------------------------------------
# SQL queries per request, counted in this process against the same database and settings.


def count_queries(results: list[Result], viewer_id: int, show: bool) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework_simplejwt.tokens import AccessToken

    viewer = get_user_model().objects.get(pk=viewer_id)
    page_client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    page_client.force_login(viewer)
    api_client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(viewer)}",
    )
    counted: dict[str, int] = {}
    for result in results:
        kind = result.endpoint.kind
        if kind not in ("page", "api"):
            continue
        if kind not in counted:
            client = page_client if kind == "page" else api_client
            client.get(result.endpoint.path)  # the first request fills per-process caches
            captured: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context, captured=captured):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    captured.append((time.perf_counter() - started, sql))

            with connection.execute_wrapper(timed):
                response = client.get(result.endpoint.path)
            if response.status_code != 200:
                raise RuntimeError(f"{result.endpoint.path} answered {response.status_code} in-process")
            counted[kind] = len(captured)
            if show:
                print(f"\n  SQL of one {result.endpoint.name} request (round trip included):")
                for seconds, sql in captured:
                    print(f"    [{seconds * 1000:5.2f} ms] {sql[:300]}")
        result.queries = counted[kind]


# ----------------------------------------------------------------------------------------------
# Report.


def other_cpu(cpu: dict[str, float]) -> float:
    servers = sum(value for key, value in cpu.items() if key.startswith("server:"))
    return max(0.0, cpu.get("machine", 0) - servers - cpu.get("postgres", 0) - cpu.get("client", 0))


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):+.1%}, spread {min(values):+.1%} … {max(values):+.1%}"


def report(args, results: list[Result]) -> bool:
    reference = results[0]
    print(
        f"\nFollowing feed against the bare stack — {args.members} members, {args.posts} posts, "
        f"concurrency {args.concurrency}, {args.duration:g} s per endpoint in {args.rounds} alternating "
        f"rounds after {args.warmup:g} s warm-up; site servers: {args.workers} workers each"
        + (f", {args.threads} threads and pooled connections per worker" if args.threads else "")
    )
    print(machine())
    header = (
        f"{'server':<40} {'endpoint':<12} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'SQL':>4} {'CPU ms/req srv+pg':>18} {'of ref':>7}  rounds (of ref)   other CPU"
    )
    print(header)
    print("-" * len(header))
    ok = True
    worst_other = 0.0
    for result in results:
        errors = sum(result.errors.values())
        ok = ok and errors == 0
        cpu = result.cpu
        worst_other = max(worst_other, other_cpu(cpu))
        rounds = ", ".join(
            f"{r / ref:.1%}" for r, ref in zip(result.round_rps, reference.round_rps, strict=True) if ref
        )
        print(
            f"{result.endpoint.server.label:<40} {result.endpoint.name:<12} {result.rps:8.1f} "
            f"{result.percentile(0.5):7.1f} {result.percentile(0.95):7.1f} {result.percentile(0.99):7.1f} "
            f"{errors:6d} {result.queries if result.queries is not None else '-':>4} "
            f"{result.ms_per_request('server'):8.2f}+{result.ms_per_request('postgres'):<6.2f}    "
            f"{result.rps / reference.rps if reference.rps else 0:7.1%}  {rounds}   {other_cpu(cpu):.2f}"
        )
        if errors:
            print(f"    errors: {dict(result.errors)}")
    print(
        "CPU ms/req: the server's process group and PostgreSQL per measured request; 'other CPU': cores "
        "the rest of the machine used meanwhile (0.05 or less is a quiet machine)."
    )
    if worst_other > 0.05:
        others: Counter = Counter()
        for result in results:
            others.update({k[6:]: v for k, v in result.cpu_seconds.items() if k.startswith("other:")})
        window = sum(result.cpu_window for result in results)
        busiest = ", ".join(f"{name} {value / window:.2f}" for name, value in others.most_common(3))
        print(
            f"WARNING: the machine was not quiet (up to {worst_other:.2f} cores of other work; busiest: "
            f"{busiest}): the absolute figures are low; the round-by-round ratios show how much it moved them."
        )
    print("\nTargets (share of the reference's req/s; p95 at this concurrency):")
    for result in results:
        kind = result.endpoint.kind
        if kind not in TARGETS:
            continue
        share, p95 = TARGETS[kind]
        ratio = result.rps / reference.rps if reference.rps else 0.0
        verdict = "met" if ratio >= share and result.percentile(0.95) <= p95 else "NOT met"
        print(
            f"  {result.endpoint.server.label} {result.endpoint.name}: {ratio:.1%} of the reference "
            f"(≥ {share:.0%}), p95 {result.percentile(0.95):.0f} ms (≤ {p95:.0f}) — {verdict}"
        )
    by_key = {(r.endpoint.server.label, r.endpoint.kind): r for r in results}
    comparisons = []
    for variant in args.variants:
        if variant.env:
            base = next(
                (v for v in args.variants if v.server == variant.server and not v.env), args.variants[0]
            )
            comparisons.append((variant.name, base.name))
    if len(args.servers) > 1:
        comparisons += [(server, args.servers[0]) for server in args.servers[1:]]
    if comparisons:
        print("\nA/B, round by round (B's req/s over A's in the same round):")
        for b_label, a_label in comparisons:
            for kind in ("page", "api"):
                a, b = by_key.get((a_label, kind)), by_key.get((b_label, kind))
                if a and b:
                    gains = [rb / ra - 1 for ra, rb in zip(a.round_rps, b.round_rps, strict=True) if ra]
                    print(f"  {b_label} vs {a_label}, {a.endpoint.name}: {spread(gains)}")
    return ok


# ----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    env = bench_environment(args)
    os.environ.update(env)
    for key in ("REDIS_URL", "SEARCH_URL", "EMAIL_HOST"):
        os.environ.pop(key, None)
    VAR.mkdir(parents=True, exist_ok=True)

    interrupt_on_sigterm()
    servers: list[Server] = []
    ok = False
    try:
        reuse = args.reuse_db and database_exists(args.db_url)
        if not reuse:
            started = time.monotonic()
            recreate_database(args.db_url)
            print(f"Database {database_name(args.db_url)} recreated.", flush=True)

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        if not reuse:
            call_command("migrate", interactive=False, verbosity=0)
            print(f"Migrated in {time.monotonic() - started:.1f} s.", flush=True)
            started = time.monotonic()
            seeded = seed(args)
            print(
                f"Seeded in {time.monotonic() - started:.1f} s: "
                + ", ".join(f"{value} {key}" for key, value in seeded.counts.items()),
                flush=True,
            )
        else:
            seeded = load_seeded()
            print("Reusing the seeded database.", flush=True)
        started = time.monotonic()
        if not (reuse and (VAR / "static" / "staticfiles.json").exists()):
            call_command("collectstatic", interactive=False, verbosity=0)  # the manifest {% static %} needs
            print(f"collectstatic into {VAR / 'static'} in {time.monotonic() - started:.1f} s.", flush=True)
        connections.close_all()

        servers = start_all(args, env)
        results = asyncio.run(measure(args, servers, seeded))
        for server in servers:
            stop_server(server.process)
        servers = []
        try:
            count_queries(results, seeded.viewer_id, args.show_queries)
        except Exception as error:  # the load figures stand without the query counts
            print(f"Could not count the SQL queries: {type(error).__name__}: {error}", file=sys.stderr)
        connections.close_all()
        ok = report(args, results)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
    finally:
        for server in servers:
            stop_server(server.process)
        if not args.keep_db:
            close_django_connections()
            drop_database(args.db_url)
            print(f"Database {database_name(args.db_url)} dropped.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
