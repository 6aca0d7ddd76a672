"""Chat in a real browser: two members talking live, and a Redis restart in the middle of a
conversation (a private redis-server, never the shared one) with nothing lost or doubled."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from chat import services
from chat.models import Message, Room
from site_core.tests.browser import assert_accessible, ensure_home_page
from walks.demo import ensure_walk_pages
from walks.tests.factories import WalkFactory

from .conftest import redis_layer

pytestmark = pytest.mark.browser

RECONNECT_TIMEOUT_MS = 30_000
MESSAGES = "[data-role=messages] li[data-message-id]"


def log_in(new_page, base_url: str, member):
    """A browser context with the member's session, as if they had logged in."""
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def open_room(page, room):
    page.goto(f"/chat/{room.pk}/")
    expect(page.locator("[data-role=chat-status]")).to_have_attribute("data-state", "connected")


def say(page, text):
    page.locator("[data-role=composer] textarea").fill(text)
    page.locator("[data-role=composer] button[type=submit]").click()


def texts(page) -> list[str]:
    return page.locator(f"{MESSAGES} .chat-message__text").all_text_contents()


@pytest.fixture
def walkers(db):
    host = UserFactory(username="dubu", nickname="두부엄마")
    guest = UserFactory(username="kongi", nickname="콩이아빠")
    ensure_home_page()
    walk = WalkFactory(host=host, board=ensure_walk_pages()["seoul-gangnam"])
    services.walk_room_sync(walk_id=walk.pk, member_ids=[host.pk, guest.pk])
    return host, guest, Room.objects.get(walk=walk)


def test_two_members_chat_live(new_page, live_server_url, walkers):
    host, guest, room = walkers
    page_a = log_in(new_page, live_server_url, host)
    page_b = log_in(new_page, live_server_url, guest)
    page_a.goto(f"/chat/walks/{room.walk_id}/")
    expect(page_a.locator("[data-role=chat-status]")).to_have_attribute("data-state", "connected")
    assert page_a.url.endswith(f"/chat/{room.pk}/")
    open_room(page_b, room)
    assert_accessible(page_a)

    say(page_a, "내일 7시에 한강 어때요? <b>굵게</b> <img src=x onerror=alert(1)>")
    expect(page_b.locator(MESSAGES)).to_have_count(1)
    expect(page_b.locator(f"{MESSAGES} .chat-message__text")).to_have_text(
        "내일 7시에 한강 어때요? <b>굵게</b> <img src=x onerror=alert(1)>"
    )
    assert page_b.locator("[data-role=messages] b, [data-role=messages] img").count() == 0
    expect(page_b.locator(f"{MESSAGES} .chat-message__sender")).to_have_text("두부엄마")

    say(page_b, "좋아요!\n콩이도 데려갈게요")
    expect(page_a.locator(MESSAGES)).to_have_count(2)
    expect(page_a.locator(MESSAGES).nth(1).locator(".chat-message__text")).to_have_text(
        "좋아요!\n콩이도 데려갈게요"
    )
    expect(page_b.locator(MESSAGES)).to_have_count(2)
    expect(page_a.locator("li.chat-message--pending")).to_have_count(0)
    assert_accessible(page_b)

    page_a.locator(f"{MESSAGES} [data-role=delete] button").first.click()
    page_a.locator("[data-role=confirm-dialog] [data-role=confirm-yes]").click()
    expect(page_b.locator(MESSAGES).first).to_have_class("chat-message chat-message--deleted")
    with translation.override("ko"):
        deleted = translation.gettext("This message was deleted.")
    expect(page_a.locator(MESSAGES).first.locator(".chat-message__text")).to_have_text(deleted)

    assert Message.objects.count() == 2
    assert Message.objects.filter(deleted_at__isnull=False).count() == 1
    assert texts(page_a) == texts(page_b)

    # The other room list shows the room; the nav badge counts what the host has not read.
    page_a.goto("/chat/")
    expect(page_a.locator(".room-list__item")).to_have_count(1)
    assert_accessible(page_a)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on a free port (no persistence), stopped and started by the test."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    def start(self):
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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(settings):
    """A private Redis, and the live server's channel layer pointed at it for this test."""
    redis = PrivateRedis()
    if redis.binary is None:
        pytest.skip("redis-server is not installed")
    redis.start()
    # The live server runs in this process: the setting change resets channels' layer cache, so
    # the sockets opened from here on use the Redis layer (and the in-memory one again after).
    settings.CHANNEL_LAYERS = redis_layer(
        f"redis://127.0.0.1:{redis.port}/0", f"petrasche-browser-{uuid.uuid4().hex[:8]}"
    )
    yield redis
    redis.stop()


def test_no_message_is_lost_or_doubled_across_a_redis_restart(
    new_page, live_server_url, walkers, private_redis
):
    host, guest, room = walkers
    page_a = log_in(new_page, live_server_url, host)
    page_b = log_in(new_page, live_server_url, guest)
    open_room(page_a, room)
    open_room(page_b, room)
    say(page_a, "레디스가 멈추기 전")
    expect(page_b.locator(MESSAGES)).to_have_count(1)

    private_redis.stop()
    for page in (page_a, page_b):
        expect(page.locator("[data-role=chat-status]")).to_have_attribute(
            "data-state", "reconnecting", timeout=RECONNECT_TIMEOUT_MS
        )
        assert_accessible(page)

    # Pages stay up without Redis, and what members send goes over HTTP.
    page_b.reload()
    expect(page_b.locator(MESSAGES)).to_have_count(1)
    expect(page_b.locator("[data-role=chat-status]")).to_have_attribute("data-state", "reconnecting")
    for number in range(3):
        say(page_a, f"멈춘 동안 두부 {number}")
    for number in range(2):
        say(page_b, f"멈춘 동안 콩이 {number}")
    expect(page_a.locator(MESSAGES)).to_have_count(4)  # its own three, confirmed by the server
    expect(page_b.locator(MESSAGES)).to_have_count(3)
    expect(page_a.locator("li.chat-message--pending")).to_have_count(0)
    expect(page_b.locator("li.chat-message--pending")).to_have_count(0)
    assert Message.objects.count() == 6

    private_redis.start()
    for page in (page_a, page_b):
        expect(page.locator("[data-role=chat-status]")).to_have_attribute(
            "data-state", "connected", timeout=RECONNECT_TIMEOUT_MS
        )
        expect(page.locator(MESSAGES)).to_have_count(6)

    say(page_b, "다시 연결됐어요")
    expect(page_a.locator(MESSAGES)).to_have_count(7)
    expect(page_b.locator(MESSAGES)).to_have_count(7)

    stored = list(Message.objects.order_by("id").values_list("text", flat=True))
    assert len(stored) == 7
    assert len(set(Message.objects.values_list("sender_id", "client_id"))) == 7
    assert texts(page_a) == texts(page_b) == stored
    ids = page_a.locator(MESSAGES).evaluate_all("items => items.map(li => Number(li.dataset.messageId))")
    assert ids == sorted(ids)
    assert len(set(ids)) == 7


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_finding_9_and_10_on_a_phone_deleting_asks_first_and_long_text_is_refused_before_sending(
    new_page, live_server_url, walkers
):
    host, _guest, room = walkers
    page = log_in(lambda: new_page(**PHONE), live_server_url, host)
    open_room(page, room)
    say(page, "지울까 말까 https://example.com/walk?day=1")
    expect(page.locator(MESSAGES)).to_have_count(1)
    link = page.locator(f"{MESSAGES} .chat-message__text a")
    expect(link).to_have_attribute("href", "https://example.com/walk?day=1")
    expect(link).to_have_attribute("rel", "noopener nofollow ugc")

    # Deleting asks in a dialog; Esc keeps the message and gives focus back to the button.
    delete = page.locator(f"{MESSAGES} [data-role=delete] button")
    delete.click()
    dialog = page.locator("[data-role=confirm-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("이 메시지를 삭제할까요?")
    expect(dialog.locator("[data-role=confirm-no]")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(delete).to_be_focused()
    assert Message.objects.get().deleted_at is None
    delete.click()
    dialog.locator("[data-role=confirm-yes]").click()
    expect(page.locator(f"{MESSAGES}.chat-message--deleted")).to_have_count(1)

    # Over 2,000 characters: the counter turns red and nothing is sent; the text stays whole.
    box = page.locator("[data-role=composer] textarea")
    box.fill("가" * 2001)
    counter = page.locator("[data-role=chat-counter]")
    expect(counter).to_contain_text("2001")
    expect(counter).to_have_attribute("data-over", "true")
    page.locator("[data-role=composer] button[type=submit]").click()
    expect(page.locator("[data-role=chat-error]")).to_contain_text("2,000자까지")
    expect(page.locator("li.chat-message--pending")).to_have_count(0)
    assert len(box.input_value()) == 2001
    box.fill("가" * 2000)
    expect(counter).to_have_attribute("data-over", "false")
    page.locator("[data-role=composer] button[type=submit]").click()
    expect(page.locator(MESSAGES)).to_have_count(2)
    assert Message.objects.filter(deleted_at__isnull=True).get().text == "가" * 2000
