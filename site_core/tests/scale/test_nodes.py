"""Two nodes behind nginx, as a member meets them: whichever node answers, they are signed in,
see what they posted (photos included), chat with someone on the other node, get one data
export, and read their own writes; read-only pages come from the replica, and from the primary
when the replica stops."""

from __future__ import annotations

import json
import re
import ssl
import subprocess
import sys
import time
import uuid
from io import BytesIO

import pytest
from PIL import Image
from websockets.sync.client import connect

from .conftest import MEMBERS, PASSWORD, PROJECT_DIR, eventually

pytestmark = pytest.mark.scale

DUBU, KONGI = MEMBERS
POST_LOOKUPS = (
    "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables"
    " WHERE relname = 'community_post'"
)


@pytest.fixture(scope="module")
def tokens(scale):
    tokens = {}
    for username in MEMBERS:
        response = scale.session().post(
            f"{scale.proxy.url}/api/auth/token/",
            json={"username": username, "password": PASSWORD},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access"]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def on_each_node(scale, request, count: int = 8) -> dict[str, object]:
    """Sends ``request()`` until both nodes have answered it; the last response of each node."""
    answers = {}
    for _ in range(count):
        response = request()
        answers[scale.node_of(response)] = response
        if len(answers) == len(scale.nodes):
            break
    assert set(answers) == {node.name for node in scale.nodes}, "nginx sent every request to one node"
    return answers


def photo(number: int) -> bytes:
    image = Image.new("RGB", (320, 240), ((number * 70) % 256, 120, 200))
    buffer = BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def create_post(scale, token: str, text: str, photos: int = 0):
    return scale.session().post(
        f"{scale.proxy.url}/api/posts/",
        headers=bearer(token),
        data={"text": text, "alt_texts": [f"사진 {n}" for n in range(photos)]},
        files=[("photos", (f"photo{n}.jpg", photo(n), "image/jpeg")) for n in range(photos)],
        timeout=30,
    )


def sign_in(scale, username: str):
    session = scale.session()
    page = session.get(f"{scale.proxy.url}/accounts/login/", timeout=10)
    assert page.status_code == 200, page.text[:500]
    response = session.post(
        f"{scale.proxy.url}/accounts/login/",
        data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{scale.proxy.url}/accounts/login/", "Origin": scale.proxy.url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:2000]
    return session, scale.node_of(response)


def test_nginx_terminates_tls_and_serves_static_files_itself_with_a_long_cache(scale):
    session = scale.session()
    assert session.get(f"{scale.proxy.url}/healthz", timeout=10).status_code == 200
    ready = session.get(f"{scale.proxy.url}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    static = session.get(f"{scale.proxy.url}/static/css/site.css", timeout=10)
    assert static.status_code == 200
    assert static.headers["Cache-Control"] == "public, max-age=3600"
    assert "X-Upstream" not in static.headers, "nginx read the file from its own disk"


def test_a_member_signed_in_on_one_node_is_signed_in_on_the_other(scale):
    session, signed_in_on = sign_in(scale, DUBU)
    assert session.cookies.get("sessionid"), "the session cookie is set over HTTPS (secure)"
    answers = on_each_node(
        scale, lambda: session.get(f"{scale.proxy.url}/settings/profile/", allow_redirects=False, timeout=10)
    )
    other = next(name for name in answers if name != signed_in_on)
    assert answers[other].status_code == 200, "the other node does not know the session"
    assert answers[signed_in_on].status_code == 200


def test_a_post_with_photos_made_through_one_node_is_seen_with_its_photos_through_the_other(scale, tokens):
    created = create_post(scale, tokens[DUBU], "두 노드 산책 사진", photos=2)
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    made_on = scale.node_of(created)

    answers = on_each_node(
        scale,
        lambda: scale.session().get(
            f"{scale.proxy.url}/api/posts/{post_id}/", headers=bearer(tokens[KONGI]), timeout=10
        ),
    )
    other = next(name for name in answers if name != made_on)
    post = answers[other].json()
    assert answers[other].status_code == 200, post
    assert len(post["photos"]) == 2
    for shown in post["photos"]:
        urls = [value for value in shown.values() if isinstance(value, str) and value.startswith("http")]
        assert urls, shown
        assert all(url.startswith(scale.s3.url) for url in urls), shown
        image = scale.session().get(urls[0], timeout=10)
        assert image.status_code == 200
        assert Image.open(BytesIO(image.content)).size[0] > 0

    page = on_each_node(scale, lambda: scale.session().get(f"{scale.proxy.url}/posts/{post_id}/", timeout=10))
    assert page[other].status_code == 200
    assert f'src="{scale.s3.url}/' in page[other].text


def open_socket(scale, token: str, room_id: int, avoid: str | None = None):
    """A chat socket through nginx (TLS), opened again until it lands on another node than ``avoid``."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    for _ in range(6):
        socket = connect(
            f"wss://127.0.0.1:{scale.proxy.port}/ws/chat/{room_id}/",
            subprotocols=["jwt", token],
            ssl=context,
            open_timeout=10,
        )
        upstream = socket.response.headers.get("X-Upstream", "")
        node = next(node.name for node in scale.nodes if upstream in node.upstreams)
        receive(socket, "history")
        if node != avoid:
            return socket, node
        socket.close()
    raise AssertionError("nginx sent every socket to one node")


# Frames a socket got while the test waited for another type, kept for ``messages``.
_passed_over: dict[int, list[dict]] = {}


def receive(socket, frame_type: str, timeout: float = 10.0) -> dict:
    """The socket's next frame of ``frame_type``."""
    while True:
        frame = json.loads(socket.recv(timeout=timeout))
        if frame["type"] == frame_type:
            return frame
        _passed_over.setdefault(id(socket), []).append(frame)


def messages(socket, expected: int, timeout: float = 20.0, quiet: float = 1.5) -> list[dict]:
    """The message frames the socket got: at least ``expected`` of them (or all that came before
    ``timeout``), then whatever else arrives until it is quiet for ``quiet`` seconds (a double)."""
    received = [frame for frame in _passed_over.pop(id(socket), []) if frame["type"] == "message"]
    deadline = time.monotonic() + timeout
    while True:
        wait = deadline - time.monotonic() if len(received) < expected else quiet
        if wait <= 0:
            return [frame["message"] for frame in received]
        try:
            frame = json.loads(socket.recv(timeout=wait))
        except TimeoutError:
            return [frame["message"] for frame in received]
        if frame["type"] == "message":
            received.append(frame)


def test_members_on_different_nodes_chat_in_order_once_each_and_see_typing_and_reads(scale, tokens):
    room = scale.session().post(
        f"{scale.proxy.url}/api/chat/direct/",
        headers=bearer(tokens[DUBU]),
        json={"username": KONGI},
        timeout=10,
    )
    assert room.status_code in (200, 201), room.text
    room_id = room.json()["id"]
    socket_a, node_a = open_socket(scale, tokens[DUBU], room_id)
    socket_b, node_b = open_socket(scale, tokens[KONGI], room_id, avoid=node_a)
    try:
        assert node_a != node_b
        texts = ["안녕하세요 두부예요", "콩이도 산책 가요?", "네 지금 나가요"]
        senders = [socket_a, socket_b, socket_a]
        for socket, text in zip(senders, texts, strict=True):
            socket.send(json.dumps({"type": "message", "client_id": str(uuid.uuid4()), "text": text}))
            receive(socket, "ack")
        # The same message sent again by a client that reconnected to the other node: one message.
        repeated = str(uuid.uuid4())
        socket_a.send(json.dumps({"type": "message", "client_id": repeated, "text": "한 번만"}))
        first = receive(socket_a, "ack")
        socket_b_dubu, _ = open_socket(scale, tokens[DUBU], room_id, avoid=node_a)
        socket_b_dubu.send(json.dumps({"type": "message", "client_id": repeated, "text": "한 번만"}))
        again = receive(socket_b_dubu, "ack")
        socket_b_dubu.close()
        assert again["message"]["id"] == first["message"]["id"]
        assert (first["created"], again["created"]) == (True, False)

        seen = messages(socket_b, expected=len(texts) + 1)
        assert [message["text"] for message in seen] == [*texts, "한 번만"]
        assert [message["id"] for message in seen] == sorted(message["id"] for message in seen)

        # Typing and read receipts cross nodes too: B types and reads up to the last message.
        socket_b.send(json.dumps({"type": "typing"}))
        typing = receive(socket_a, "typing")
        socket_b.send(json.dumps({"type": "read", "message_id": seen[-1]["id"]}))
        read = receive(socket_a, "read")
        assert typing["display_name"]
        assert typing["member_id"] == read["member_id"]
        assert read["last_read_id"] == seen[-1]["id"]
    finally:
        socket_a.close()
        socket_b.close()


def test_a_task_enqueued_on_one_node_runs_once_across_both_clusters(scale):
    session, _ = sign_in(scale, KONGI)
    data_page = f"{scale.proxy.url}/privacy/data/"
    session.get(data_page, timeout=10)
    requested = session.post(
        f"{scale.proxy.url}/privacy/data/export/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": data_page, "Origin": scale.proxy.url},
        allow_redirects=False,
        timeout=10,
    )
    assert requested.status_code == 302, requested.text[:2000]

    def download_link():
        found = re.search(r'href="(/privacy/data/\d+/download/)"', session.get(data_page, timeout=10).text)
        return found.group(1) if found else None

    link = eventually(download_link, timeout=60, interval=1)
    assert link, scale.logs()
    runs = scale.manage(
        "shell",
        "-c",
        "from django_q.models import Task; "
        "print(sum(t.attempt_count for t in Task.objects.filter(name__startswith='data export')))",
    )
    assert runs.strip().splitlines()[-1] == "1", "the export was built more than once"

    download = session.get(f"{scale.proxy.url}{link}", allow_redirects=False, timeout=10)
    assert download.status_code == 302
    signed = download.headers["Location"]
    assert signed.startswith(f"{scale.s3.url}/petrasche-private/")
    assert "X-Amz-Expires=300" in signed
    archive = scale.session().get(signed, timeout=10)
    assert archive.status_code == 200
    assert archive.content[:2] == b"PK"


def test_pages_read_the_replica_and_members_read_their_own_writes_at_once(scale, tokens):
    before = scale.replica.query(POST_LOOKUPS)[0]
    for path in ("/", f"/members/{DUBU}/", "/search/?q=산책"):
        answers = on_each_node(
            scale, lambda path=path: scale.session().get(f"{scale.proxy.url}{path}", timeout=10)
        )
        assert {response.status_code for response in answers.values()} == {200}
    assert eventually(lambda: scale.replica.query(POST_LOOKUPS)[0] > before, timeout=10), (
        "no page read posts from the replica"
    )

    # The replica stops applying the primary's changes: a new post reaches the primary only.
    scale.replica.query("SELECT pg_wal_replay_pause()")
    try:
        created = create_post(scale, tokens[KONGI], "방금 쓴 글")
        assert created.status_code == 201, created.text
        post_id = created.json()["id"]
        own = on_each_node(
            scale,
            lambda: scale.session().get(
                f"{scale.proxy.url}/api/posts/{post_id}/", headers=bearer(tokens[KONGI]), timeout=10
            ),
        )
        assert {response.status_code for response in own.values()} == {200}, (
            "the author does not see their post"
        )
        stranger = scale.session().get(f"{scale.proxy.url}/posts/{post_id}/", timeout=10)
        assert stranger.status_code == 404, "a visitor's page came from the primary, not the paused replica"
    finally:
        scale.replica.query("SELECT pg_wal_replay_resume()")
    assert eventually(
        lambda: scale.session().get(f"{scale.proxy.url}/posts/{post_id}/", timeout=10).status_code == 200,
        timeout=15,
    )


def test_with_the_replica_stopped_pages_come_from_the_primary(scale, tokens):
    scale.replica.stop()
    for path in ("/", f"/members/{DUBU}/", "/search/?q=산책"):
        answers = on_each_node(
            scale, lambda path=path: scale.session().get(f"{scale.proxy.url}{path}", timeout=10)
        )
        assert {response.status_code for response in answers.values()} == {200}, scale.logs()
    feed = on_each_node(
        scale,
        lambda: scale.session().get(
            f"{scale.proxy.url}/api/feed/latest/", headers=bearer(tokens[DUBU]), timeout=10
        ),
    )
    assert {response.status_code for response in feed.values()} == {200}


WORLDCUP_DUE_NOW = """
from datetime import timedelta
from django.utils import timezone
from django_q.models import Schedule
from home.models import HomePage
from worldcup.models import WorldCupIndexPage
from worldcup.schedule import MONTHLY_RESET_NAME
if not WorldCupIndexPage.objects.exists():
    HomePage.objects.first().add_child(instance=WorldCupIndexPage(title="강아지 월드컵", slug="worldcup"))
Schedule.objects.filter(name=MONTHLY_RESET_NAME).update(next_run=timezone.now() - timedelta(seconds=1))
"""
WORLDCUP_RESET_STATE = """
from django.utils import timezone
from django_q.models import Task
from worldcup.models import WorldCupEventPage
from worldcup.schedule import MONTHLY_RESET_FUNC
from worldcup.services import month_start
print(Task.objects.filter(func=MONTHLY_RESET_FUNC).count(), Task.objects.filter(func=MONTHLY_RESET_FUNC, success=True).count(),
      WorldCupEventPage.objects.filter(month=month_start(timezone.now())).count())
"""


def test_the_monthly_world_cup_reset_runs_once_when_both_nodes_are_due_at_midnight(scale):
    scale.manage("shell", "-c", WORLDCUP_DUE_NOW)
    # Each node's scheduler at the same moment, as at midnight in Seoul (each cluster also runs
    # its own every 30 s; which of them takes the schedule does not matter).
    schedulers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django_q.scheduler import scheduler; scheduler()",
            ],
            cwd=PROJECT_DIR,
            env=scale.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in scale.nodes
    ]
    for process in schedulers:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors[-4000:]

    def reset_done() -> list[str] | None:
        state = scale.manage("shell", "-c", WORLDCUP_RESET_STATE).split()[-3:]
        return state if state[1] != "0" else None

    state = eventually(reset_done, timeout=60, interval=1)
    assert state == ["1", "1", "1"], f"tasks, successful tasks, this month's events: {state}\n{scale.logs()}"
