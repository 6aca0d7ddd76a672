"""Sharing and writing in a real browser, on a phone (390×844) and a desktop: the share button
falls back to copying the link and says so, ``@`` autocomplete works from the keyboard with
Korean input, and an unfinished post survives leaving the form."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from community import services
from community.tests.factories import PostFactory
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP: dict = {}
VIEWPORTS = pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
# Headless Chromium on Linux has no share sheet; taking it away keeps the fallback tested
# wherever the tests run.
NO_SHARE_SHEET = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"


def korean(message: str) -> str:
    with override("ko"):
        return gettext(message)


def open_as(new_page, base_url: str, member, **options):
    page = new_page(**options)
    if member is not None:
        client = Client()
        client.force_login(member)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return page


@VIEWPORTS
def test_without_a_share_sheet_the_link_is_copied_and_the_page_says_so(new_page, live_server_url, device):
    post = PostFactory(text="한강 산책 다녀왔어요")
    page = open_as(
        new_page, live_server_url, None, permissions=["clipboard-read", "clipboard-write"], **device
    )
    page.add_init_script(NO_SHARE_SHEET)
    page.goto(f"/posts/{post.pk}/")

    button = page.get_by_role("button", name=korean("Copy link"))
    button.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text=korean("Link copied."))).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{live_server_url}/posts/{post.pk}/"
    assert_accessible(page)


@VIEWPORTS
def test_an_unfinished_post_survives_leaving_the_form_and_coming_back(new_page, live_server_url, device):
    member = UserFactory(username="dubu", nickname="두부엄마")
    page = open_as(new_page, live_server_url, member, **device)
    page.goto("/posts/new/")
    box = page.locator("textarea[name=text]")
    box.focus()
    page.keyboard.insert_text("두부랑 한강 산책 다녀왔어요")
    expect(page.get_by_role("status").filter(has_text=korean("Draft saved."))).to_be_visible()

    page.goto("/")
    page.goto("/posts/new/")
    expect(page.get_by_text(korean("You have a post you were writing. Continue it?"))).to_be_visible()
    page.get_by_role("link", name=korean("Continue writing")).focus()
    page.keyboard.press("Enter")

    expect(box).to_have_value("두부랑 한강 산책 다녀왔어요")
    expect(box).to_be_focused()
    assert page.url == f"{live_server_url}/posts/new/", "resumed in place, without a reload"
    assert_accessible(page)


COMPOSE_DELAY_MS = 200  # static/js/compose-suggest.js waits this long after the last keystroke

COMPOSE = """([box, text, event]) => {
  const el = document.querySelector(box);
  if (event === "compositionstart" || event === "compositionend") {
    el.dispatchEvent(new CompositionEvent(event, { data: text, bubbles: true }));
    return;
  }
  el.value = el.value.slice(0, el.selectionStart - (event === "replace" ? 1 : 0)) + text;
  el.dispatchEvent(new InputEvent("input", { data: text, inputType: "insertCompositionText", isComposing: true, bubbles: true }));
}"""


def compose(page, box: str, steps: list[str]) -> None:
    """Types a Korean syllable as an IME does: ㅋ → 코 → 콩 inside one composition, each step
    replacing the last, with time for the script's pause to pass between the steps."""
    page.evaluate(COMPOSE, [box, steps[0], "compositionstart"])
    for number, step in enumerate(steps):
        page.evaluate(COMPOSE, [box, step, "replace" if number else "insert"])
        start = page.evaluate("() => performance.now()")
        page.wait_for_function("(until) => performance.now() > until", arg=start + COMPOSE_DELAY_MS * 2)
    page.evaluate(COMPOSE, [box, steps[-1], "compositionend"])


def dubu_who_follows_kongi_writes(new_page, live_server_url, device):
    """두부엄마, who follows 콩이아빠 (and not 콩순이), on the post form."""
    writer = UserFactory(username="dubu", nickname="두부엄마")
    UserFactory(username="aaa_kong", nickname="콩순이")
    services.follow_add(follower=writer, following=UserFactory(username="kongi", nickname="콩이아빠"))
    return open_as(new_page, live_server_url, writer, **device)


def suggestions_open_under_the_line(page, box, *, line: int) -> bool:
    """The list's top edge lies under the box's ``line``-th line of text and above the next one's
    end: what is being written stays in sight, the suggestions right under it."""
    line_height, padding_top, border_top = page.evaluate(
        "(el) => { const s = getComputedStyle(el); return [s.lineHeight, s.paddingTop, s.borderTopWidth].map(parseFloat); }",
        box.element_handle(),
    )
    line_bottom = box.bounding_box()["y"] + border_top + padding_top + line * line_height
    list_top = page.get_by_role("listbox").bounding_box()["y"]
    return line_bottom - 1 <= list_top <= line_bottom + line_height


@VIEWPORTS
def test_a_member_is_found_by_the_initial_consonants_of_their_nickname(new_page, live_server_url, device):
    """@ㅋㅇ, typed one consonant at a time as Korean members shorten names, offers 콩이아빠."""
    page = dubu_who_follows_kongi_writes(new_page, live_server_url, device)
    page.goto("/posts/new/")
    box = page.locator("textarea[name=text]")
    box.focus()
    page.keyboard.insert_text("오늘은 양재천\n산책 같이 가요 @")

    compose(page, "textarea[name=text]", ["ㅋ"])
    compose(page, "textarea[name=text]", ["ㅇ"])

    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("콩이아빠")
    assert suggestions_open_under_the_line(page, box, line=2), "the list covers what is being written"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("오늘은 양재천\n산책 같이 가요 @kongi ")


@VIEWPORTS
def test_keyboard_only_mention_of_a_followed_member_typed_in_korean(new_page, live_server_url, device):
    page = dubu_who_follows_kongi_writes(new_page, live_server_url, device)
    asked = []
    page.on(
        "request", lambda request: "/api/compose/suggestions/" in request.url and asked.append(request.url)
    )
    page.goto("/posts/new/")
    box = page.locator("textarea[name=text]")
    box.focus()
    page.keyboard.insert_text("같이 산책해요 @")

    compose(page, "textarea[name=text]", ["ㅋ", "코", "콩"])

    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    assert asked == [f"{live_server_url}/api/compose/suggestions/?q=%40%EC%BD%A9"], "asked mid-composition"
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("콩이아빠")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").first.get_attribute("id")
    )
    page.keyboard.press("Enter")

    expect(box).to_have_value("같이 산책해요 @kongi ")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.insert_text("@콩")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(2)
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_value("같이 산책해요 @kongi @콩")
