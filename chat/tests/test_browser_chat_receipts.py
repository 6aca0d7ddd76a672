"""Chat like KakaoTalk in a real browser, on a phone (390×844) and a desktop: the "1" next to a
message goes when the other member reads it, "… is typing" comes and goes, and older messages load
when scrolling up without the view jumping."""

import pytest
from playwright.sync_api import expect

from chat.models import Message
from site_core.tests.browser import assert_accessible

from .test_browser_chat import MESSAGES, log_in, open_room
from .test_browser_chat import walkers as walkers  # a fixture

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize(
    "screen",
    [
        pytest.param(
            {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}, id="phone"
        ),
        pytest.param({"viewport": {"width": 1280, "height": 800}}, id="desktop"),
    ],
)


def member_page(new_page, base_url, member, screen):
    page = log_in(lambda: new_page(**screen), base_url, member)
    # As after a first visit: this browser marks messages read as they come into view.
    page.context.add_cookies([{"name": "chat_live", "value": "1", "url": base_url}])
    return page


@VIEWPORTS
def test_the_unread_count_goes_when_the_other_reads_and_typing_comes_and_goes(
    new_page, live_server_url, walkers, screen
):
    host, guest, room = walkers
    writer = member_page(new_page, live_server_url, host, screen)
    reader = member_page(new_page, live_server_url, guest, screen)
    open_room(writer, room)
    reader.goto("/chat/")

    writer.locator("[data-role=composer] textarea").fill("내일 산책 가요?")
    writer.locator("[data-role=composer] button[type=submit]").click()
    mine = writer.locator(MESSAGES).first
    expect(mine.locator("[data-role=unread]")).to_have_text("1")
    assert_accessible(writer)

    open_room(reader, room)
    expect(mine.locator("[data-role=unread]")).to_have_count(0)
    expect(reader.locator("[data-role=unread-divider]")).to_have_text("여기까지 읽었어요")
    assert_accessible(reader)

    reader.locator("[data-role=composer] textarea").press_sequentially("좋아요")
    typing = writer.locator("[data-role=typing]")
    expect(typing).to_have_text("콩이아빠 님이 입력 중…")
    expect(typing).to_have_text("", timeout=8_000)  # no new frame: it goes on its own
    reader.locator("[data-role=composer] textarea").press("Enter")
    expect(writer.locator(MESSAGES)).to_have_count(2)
    expect(writer.locator(MESSAGES).nth(1).locator("[data-role=unread]")).to_have_count(0)
    assert writer.url.endswith(f"/chat/{room.pk}/"), "no navigation"


@VIEWPORTS
def test_older_messages_load_on_scrolling_up_and_the_view_stays(new_page, live_server_url, walkers, screen):
    host, guest, room = walkers
    Message.objects.bulk_create(
        Message(room=room, sender=guest if n % 2 else host, client_id=f"seed-{n}", text=f"메시지 {n}")
        for n in range(120)
    )
    page = member_page(new_page, live_server_url, host, screen)
    open_room(page, room)
    expect(page.locator(MESSAGES)).to_have_count(50)
    oldest = page.locator(MESSAGES).first
    oldest_id = oldest.get_attribute("data-message-id")

    def offset() -> float:
        return page.evaluate(
            """id => {
                const log = document.querySelector("[data-role=log]");
                const item = document.getElementById("message-" + id);
                return item.getBoundingClientRect().top - log.getBoundingClientRect().top;
            }""",
            oldest_id,
        )

    page.locator("[data-role=log]").evaluate("log => { log.scrollTop = 0; }")
    before = offset()
    expect(page.locator(MESSAGES)).to_have_count(100)

    assert abs(offset() - before) <= 2, "the message that was on screen stays where it was"
    assert page.locator(MESSAGES).first.locator(".chat-message__text").text_content() == "메시지 20"
    assert page.locator("[data-role=day]").count() == 1
    assert page.url.endswith(f"/chat/{room.pk}/"), "no navigation"
