"""Benchmark of live chat over real WebSockets: the chat consumer against a bare broadcaster.

    .venv/bin/python bench/chat.py [--rooms 50] [--members 4] [--duration 15] [--warmup 3] [--window 1]

What it does, in one run:

1. drops and recreates a throwaway PostgreSQL database (default ``petrasche_bench_chat``), migrates it
   and seeds ``--rooms`` walk rooms of ``--members`` members each (``chat.services.walk_room_sync``)
   with some history;
2. starts ``uvicorn bench.chat_asgi:application --workers 2`` (``--server``) with production settings
   and the connection pool
   (``bench.chat_settings`` = bench/settings.py + the production Redis channel layer and cache options
   on the shared Redis, ``--redis-url`` (database 14) with a key prefix of this run, and the chat rate
   limit raised);
3. for each target in ``--targets`` (default ``bare,chat,bare,chat``: alternating rounds, so that
   whatever else the machine does falls on both), connects one WebSocket per member (JWT in ``Sec-WebSocket-Protocol``, as an app
   does) and has every member send messages in a closed loop for ``--warmup`` + ``--duration``
   seconds: a member sends, waits until its own message comes back from the room (``--window``
   messages in flight per member), and sends the next. Targets:

   - ``bare``: ``/ws/bench/bare/<room>/``, a consumer that only broadcasts each frame to the same
     channel-layer groups (no authentication, no database, no rate limit);
   - ``chat``: ``/ws/chat/<room>/``, the real consumer: authenticated member, membership check,
     rate limit, stored once per client id, broadcast after commit;
4. after sending stops, waits for every delivery still under way, then counts per target: messages
   sent, deliveries (each message reaches every member of its room, the sender included), lost and
   doubled deliveries, error frames, latency from send to delivery (p50/p99), CPU per process group
   and per message, and for ``chat`` that the database holds each message exactly once;
5. prints the chat/bare ratio of delivered messages per second (the median over the rounds; target
   ≥ 50 %, with none lost), stops
   the server, drops the database and deletes this run's Redis keys (``--keep-db`` keeps the database).

Exit status: 0 when the target is met and nothing was lost, doubled or refused; 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == REPO / "bench":
    sys.path[0] = str(REPO)
elif str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# The database, server and CPU helpers: bench/common.py.
from bench import common  # noqa: E402 - importable once the project root is on sys.path

TARGET_RATIO = 0.50
PASSWORD = "bench-Petrasche-chat-2024!"  # noqa: S105 - throwaway members in a throwaway database
TEXTS = [
    "내일 아침 7시에 한강공원 입구에서 만나요!",
    "콩이가 벌써 신났어요 ㅋㅋ 간식 챙겨갈게요",
    "비 오면 실내 애견카페로 바꿀까요?",
    "물이랑 배변봉투 잊지 마세요 🐾",
    "저 5분 정도 늦을 것 같아요. 먼저 출발하세요!",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--members", type=int, default=4, help="members per room")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds per target")
    parser.add_argument("--window", type=int, default=1, help="messages in flight per member")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument(
        "--server",
        choices=["uvicorn", "granian-asgi"],
        default="uvicorn",
        help="the ASGI server for the sockets (production serves /ws/ with uvicorn)",
    )
    parser.add_argument("--history", type=int, default=100, help="messages already in each room")
    common.add_db_url_option(
        parser,
        env_var="BENCH_CHAT_DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/petrasche_bench_chat",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_CHAT_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="Redis for the channel layer and cache (this run's keys have their own prefix)",
    )
    parser.add_argument(
        "--targets",
        default="bare,chat,bare,chat",
        help="comma-separated runs, in order (bare and chat alternate by default: the ratio is the median "
        "of each chat run over the bare run before it)",
    )
    parser.add_argument(
        "--reads",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="chat members send read receipts as the room page does (at most every 0.3 s, the newest "
        "message of another member), and their read frames go to the room",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    common.require_bench_database(parser, args.db_url)
    args.targets = [target.strip() for target in args.targets.split(",") if target.strip()]
    if not set(args.targets) <= {"bare", "chat"}:
        parser.error("--targets takes bare and/or chat")
    if args.rooms < 1 or args.members < 2 or args.window < 1 or args.duration <= 0:
        parser.error("need rooms ≥ 1, members ≥ 2, window ≥ 1 and duration > 0")
    return args


def bench_environment(args, prefix: str) -> dict[str, str]:
    """common.server_environment with bench.chat_settings and the shared Redis under this run's key
    prefix."""
    return common.server_environment(
        settings="bench.chat_settings",
        db_url=args.db_url,
        BENCH_CHAT_REDIS_URL=args.redis_url,
        BENCH_CHAT_PREFIX=prefix,
    )


def cpu_snapshot(server_pgid: int) -> dict[str, float]:
    """CPU seconds used so far by the server's process group, PostgreSQL (with its reaped backends),
    Redis, this process and the whole machine ("machine")."""
    me = os.getpid()
    seconds = dict.fromkeys(("server", "postgres", "redis", "client"), 0.0)
    for process in common.processes_cpu():
        if process.pgrp == server_pgid:
            seconds["server"] += process.own
        if process.comm.startswith("postgres"):
            seconds["postgres"] += process.own + process.reaped
        if process.comm.startswith("redis-server"):
            seconds["redis"] += process.own
        if process.pid == me:
            seconds["client"] += process.own
    seconds["machine"] = common.machine_busy_seconds()
    return seconds


# ----------------------------------------------------------------------------------------------
# Seeding


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    display_name: str
    room_id: int
    token: str


def seed(args) -> list[Member]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from rest_framework_simplejwt.tokens import AccessToken

    from chat import services
    from chat.models import Message, Room

    User = get_user_model()
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=f"walker{index:04d}",
            nickname=f"산책러{index}",
            email=f"walker{index:04d}@bench.petrasche.local",
            password=password,
        )
        for index in range(args.rooms * args.members)
    )
    members = []
    history = []
    for number in range(args.rooms):
        seats = users[number * args.members : (number + 1) * args.members]
        services.walk_room_sync(walk_id=number + 1, member_ids=[user.pk for user in seats])
        room = Room.objects.get(walk_id=number + 1)
        members += [
            Member(user.pk, user.username, user.display_name, room.pk, str(AccessToken.for_user(user)))
            for user in seats
        ]
        history += [
            Message(
                room=room, sender=seats[n % len(seats)], client_id=f"seed-{number}-{n}", text=TEXTS[n % 5]
            )
            for n in range(args.history)
        ]
    Message.objects.bulk_create(history, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return members


# ----------------------------------------------------------------------------------------------
# The load


@dataclass
class Result:
    target: str
    room_size: int
    sent: dict[str, tuple[float, int]] = field(default_factory=dict)  # client id → (sent at, room)
    deliveries: Counter = field(default_factory=Counter)  # (receiver, client id) → times
    latencies: list[float] = field(default_factory=list)
    delivered_in_window: int = 0
    sent_in_window: int = 0
    acks: int = 0
    errors: Counter = field(default_factory=Counter)
    stalls: int = 0
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    stored: int | None = None
    stored_unique: int | None = None
    reads_sent: int = 0
    reads_received: int = 0

    @property
    def rate(self) -> float:
        return self.delivered_in_window / self.elapsed if self.elapsed else 0.0

    @property
    def send_rate(self) -> float:
        return self.sent_in_window / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_per_message(self) -> float:
        """CPU milliseconds of server, PostgreSQL, Redis and client together per message sent: less
        sensitive than throughput to whatever else the machine is doing."""
        used = sum(self.cpu.get(key, 0) for key in ("server", "postgres", "redis", "client"))
        return used / self.send_rate * 1000 if self.send_rate else float("nan")

    @property
    def expected(self) -> int:
        return len(self.sent) * self.room_size

    @property
    def lost(self) -> int:
        return self.expected - len(self.deliveries)

    @property
    def doubled(self) -> int:
        return sum(count - 1 for count in self.deliveries.values() if count > 1)

    def percentile(self, q: float) -> float:
        return common.percentile_ms(self.latencies, q)


def socket_path(target: str, member: Member) -> str:
    return f"/ws/bench/bare/{member.room_id}/" if target == "bare" else f"/ws/chat/{member.room_id}/"


async def run_target(target: str, args, base: str, members: list[Member], server_pgid: int) -> Result:
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    loop = asyncio.get_running_loop()
    result = Result(target, args.members)
    tag = f"{target}-{secrets.token_hex(3)}"
    connecting = asyncio.Semaphore(20)

    async def open_socket(member: Member):
        async with connecting:
            ws = await connect(
                base.replace("http://", "ws://") + socket_path(target, member),
                origin=base,
                subprotocols=[Subprotocol("jwt"), Subprotocol(member.token)],
                compression=None,
                max_queue=None,
                open_timeout=30,
            )
            first = json.loads(await ws.recv())
            if first.get("type") != "history":
                raise SystemExit(f"{target}: {member.username} got {first!r} instead of the history")
            return ws

    sockets = await asyncio.gather(*(open_socket(member) for member in members))
    print(f"  {target}: {len(sockets)} sockets open", flush=True)

    start = loop.time() + 0.5
    measure_from = start + args.warmup
    stop_at = measure_from + args.duration
    windows = {member.user_id: asyncio.Semaphore(args.window) for member in members}
    read_receipts = args.reads and target == "chat"
    READ_EVERY = 0.3  # as chat.js: one read frame per 0.3 s at most, for the newest message seen
    last_read = {member.user_id: (0.0, 0) for member in members}  # member → (sent at, message id)

    async def read(ws, member: Member):
        window = windows[member.user_id]
        async for raw in ws:
            now = loop.time()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message":
                message = frame["message"]
                client_id = message.get("client_id")
                if client_id not in result.sent:
                    continue
                result.deliveries[(member.user_id, client_id)] += 1
                sent_at, _room = result.sent[client_id]
                if measure_from <= now <= stop_at:
                    result.delivered_in_window += 1
                    if sent_at >= measure_from:
                        result.latencies.append(now - sent_at)
                if (message.get("sender") or {}).get("id") == member.user_id:
                    window.release()
                elif (
                    read_receipts
                    and now - last_read[member.user_id][0] >= READ_EVERY
                    and message["id"] > last_read[member.user_id][1]
                ):
                    last_read[member.user_id] = (now, message["id"])
                    result.reads_sent += 1
                    await ws.send(json.dumps({"type": "read", "message_id": message["id"]}))
            elif kind == "read":
                result.reads_received += 1
            elif kind == "ack":
                result.acks += 1
            elif kind == "error":
                result.errors[frame.get("code")] += 1
                if frame.get("client_id") in result.sent:
                    window.release()

    async def send(ws, member: Member):
        window = windows[member.user_id]
        sender = {"id": member.user_id, "username": member.username, "display_name": member.display_name}
        await asyncio.sleep(max(0.0, start - loop.time()))
        sequence = 0
        while loop.time() < stop_at:
            try:
                await asyncio.wait_for(window.acquire(), timeout=5)
            except TimeoutError:
                result.stalls += 1
            if loop.time() >= stop_at:
                break
            sequence += 1
            client_id = f"{tag}-{member.user_id}-{sequence}"
            now = loop.time()
            result.sent[client_id] = (now, member.room_id)
            if now >= measure_from:
                result.sent_in_window += 1
            frame = {"type": "message", "client_id": client_id, "text": TEXTS[sequence % len(TEXTS)]}
            if target == "bare":
                frame["sender"] = sender
            await ws.send(json.dumps(frame, ensure_ascii=False))

    async def meter():
        await asyncio.sleep(max(0.0, measure_from - loop.time()))
        before, t0 = cpu_snapshot(server_pgid), loop.time()
        await asyncio.sleep(max(0.0, stop_at - loop.time()))
        after, t1 = cpu_snapshot(server_pgid), loop.time()
        result.cpu = {key: (after[key] - before[key]) / (t1 - t0) for key in after}

    readers = [asyncio.create_task(read(ws, member)) for ws, member in zip(sockets, members, strict=True)]
    await asyncio.gather(meter(), *(send(ws, member) for ws, member in zip(sockets, members, strict=True)))
    result.elapsed = stop_at - measure_from

    # Everything sent must still arrive: wait for the stragglers (or give up after 15 s).
    deadline = loop.time() + 15
    while len(result.deliveries) < result.expected and loop.time() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # and anything doubled behind them
    for ws in sockets:
        await ws.close()
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return result


def count_stored(result: Result) -> None:
    from django.db import connections

    from chat.models import Message

    tag_prefix = next(iter(result.sent), "").rsplit("-", 2)[0]
    rows = Message.objects.filter(client_id__startswith=tag_prefix + "-")
    result.stored = rows.count()
    result.stored_unique = rows.values("sender_id", "client_id").distinct().count()
    connections.close_all()


# ----------------------------------------------------------------------------------------------
# Report


def report(args, results: list[Result]) -> bool:
    rooms, size = args.rooms, args.members
    print(
        f"\nLive chat vs bare broadcast — {rooms} rooms × {size} members = {rooms * size} WebSockets, "
        f"{args.window} message(s) in flight per member, {args.duration:g} s measured after {args.warmup:g} s "
        f"warm-up, {args.server} --workers {args.workers}, Redis channel layer ({args.redis_url}), "
        "pooled database connections"
    )
    print(common.machine(memory=False))
    header = (
        f"{'target':<6} {'sent/s':>8} {'delivered/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'sent':>7} "
        f"{'lost':>5} {'doubled':>7} {'errors':>6} {'stalls':>6} {'CPU ms/msg':>10}  "
        "CPU cores: server+postgres+redis+client / other"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for result in results:
        cpu = result.cpu
        other = max(
            0.0, cpu.get("machine", 0) - sum(cpu.get(k, 0) for k in ("server", "postgres", "redis", "client"))
        )
        errors = sum(result.errors.values())
        print(
            f"{result.target:<6} {result.send_rate:8.0f} {result.rate:12.0f} {result.percentile(0.5):8.1f} "
            f"{result.percentile(0.99):8.1f} {len(result.sent):7d} {result.lost:5d} {result.doubled:7d} "
            f"{errors:6d} {result.stalls:6d} {result.cpu_per_message:10.2f}  "
            f"{cpu.get('server', 0):.2f}+{cpu.get('postgres', 0):.2f}+{cpu.get('redis', 0):.2f}+"
            f"{cpu.get('client', 0):.2f} / {other:.2f}"
        )
        if result.errors:
            print(f"    error frames: {dict(result.errors)}")
        if result.reads_sent:
            print(
                f"    read receipts: {result.reads_sent} read frames sent, {result.reads_received} read events received"
            )
        if result.stored is not None:
            stored_ok = result.stored == result.stored_unique == len(result.sent) - errors
            print(
                f"    database: {result.stored} rows for {len(result.sent)} messages sent "
                f"({result.stored_unique} distinct client ids) — {'each stored once' if stored_ok else 'MISMATCH'}"
            )
            ok = ok and stored_ok
        ok = ok and result.lost == 0 and result.doubled == 0 and errors == 0
    print(
        "delivered/s counts every copy that reached a member during the measured seconds (a message goes to "
        f"all {size} members of its room, the sender included); latency is from sending to each delivery; "
        "CPU ms/msg is the CPU of server, PostgreSQL (all of it), Redis and client per message sent."
    )
    bares = [result for result in results if result.target == "bare"]
    chats = [result for result in results if result.target == "chat"]
    pairs = [(chat, bare) for chat, bare in zip(chats, bares, strict=False) if bare.rate]
    if pairs:
        ratios = sorted(chat.rate / bare.rate for chat, bare in pairs)
        ratio = statistics.median(ratios)
        lost = sum(chat.lost for chat in chats)
        met = ratio >= TARGET_RATIO and lost == 0
        rounds = (
            f" (median of {len(ratios)} rounds: {', '.join(f'{r:.1%}' for r in ratios)})"
            if len(ratios) > 1
            else ""
        )
        print(
            f"\nRatio (chat / bare delivered per second, same server, same run): {ratio:6.1%}{rounds} — "
            f"target ≥ {TARGET_RATIO:.0%} with none lost: {'met' if met else 'NOT met'}; "
            f"lost messages: chat {lost}, bare {sum(bare.lost for bare in bares)}"
        )
        ok = ok and met
    return ok


def delete_redis_keys(url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


# ----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    prefix = f"petrasche-bench-chat-{secrets.token_hex(4)}"
    env = bench_environment(args, prefix)
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)

    common.interrupt_on_sigterm()
    server = None
    ok = False
    try:
        started = time.monotonic()
        common.recreate_database(args.db_url)
        import django
        import uvloop

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", interactive=False, verbosity=0)
        members = seed(args)
        connections.close_all()
        print(
            f"Database {common.database_name(args.db_url)} recreated, migrated and seeded in "
            f"{time.monotonic() - started:.1f} s: {len(members)} members in {args.rooms} rooms.",
            flush=True,
        )

        port = args.port or common.free_port()
        log_path = Path(tempfile.gettempdir()) / f"petrasche-bench-chat-{args.server}-{port}.log"
        server = common.start_server(
            args.server,
            port=port,
            workers=args.workers,
            env=env,
            log_path=log_path,
            asgi_app="bench.chat_asgi:application",
        )
        common.wait_until_up(server, port, log_path, timeout=240)  # the Korean analyzer loads first
        print(f"Server up: http://127.0.0.1:{port} ({args.workers} workers, log {log_path})", flush=True)

        base = f"http://127.0.0.1:{port}"
        results = []
        for target in args.targets:
            result = uvloop.run(run_target(target, args, base, members, server.pid))
            if target == "chat":
                count_stored(result)
            results.append(result)
            print(
                f"  {target}: {result.rate:.0f} delivered/s, p50 {result.percentile(0.5):.1f} ms, "
                f"p99 {result.percentile(0.99):.1f} ms, lost {result.lost}",
                flush=True,
            )
            time.sleep(1)
        common.stop_server(server)
        server = None
        ok = report(args, results)
        log = log_path.read_text(errors="replace").strip()
        if log:
            print(f"\nServer log ({log_path}), last lines:\n" + "\n".join(log.splitlines()[-15:]))
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
    finally:
        common.stop_server(server)
        common.close_django_connections()
        if not args.keep_db:
            common.drop_database(args.db_url)
            print(f"Database {common.database_name(args.db_url)} dropped.")
        print(f"Redis: {delete_redis_keys(args.redis_url, prefix)} keys of this run deleted.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
