"""A post's photos open in a lightbox: by touch on a phone, by keyboard on a desktop, with the
photo's description as its caption; the back button closes it without leaving the post."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from community.tests.factories import PostFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CSP_WATCH = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture
def post(db):
    return PostFactory(author=UserFactory(username="dubu"), text="산책 사진", photos=2)


def test_on_a_phone_a_photo_opens_with_its_caption_and_back_closes_it(new_page, post):
    # The site's own policy enforced: the lightbox needs no inline script or style.
    page = new_page(**PHONE, bypass_csp=False)
    page.add_init_script(CSP_WATCH)
    page.goto(post.get_absolute_url())
    lightbox = page.locator(".pswp")

    page.locator("[data-lightbox] img").first.tap()

    expect(lightbox).to_be_visible()
    expect(lightbox.locator(".pswp__caption")).to_have_text("사진 0")
    expect(lightbox.locator(".pswp__counter")).to_have_text("1 / 2")
    expect(lightbox.get_by_role("button", name="닫기")).to_be_visible()
    for label in ("이전", "다음", "확대"):  # shown only with a mouse, or when the photo is large enough
        expect(lightbox.locator(f"button[aria-label={label}]")).to_be_attached()

    page.go_back()

    expect(lightbox).to_have_count(0)
    assert page.url.endswith(post.get_absolute_url())
    assert page.evaluate("window.__violations") == []


def swipe_left(page, y: float) -> None:
    """A finger moving right to left across the screen (Chromium's own touch events)."""
    session = page.context.new_cdp_session(page)
    for kind, x in [
        ("touchStart", 330),
        ("touchMove", 260),
        ("touchMove", 160),
        ("touchMove", 60),
        ("touchEnd", 60),
    ]:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_on_a_phone_a_swipe_shows_the_next_photo(new_page, post):
    # Less motion asked for: the lightbox is open at once, so the swipe is not lost in its opening.
    page = new_page(**PHONE, reduced_motion="reduce")
    page.goto(post.get_absolute_url())
    caption = page.locator(".pswp .pswp__caption")

    page.locator("[data-lightbox] img").first.tap()
    expect(caption).to_have_text("사진 0")
    swipe_left(page, y=422)

    expect(caption).to_have_text("사진 1")
    expect(page.locator(".pswp__counter")).to_have_text("2 / 2")


def test_by_keyboard_enter_opens_arrows_move_and_escape_or_back_close(new_page, post):
    # Less motion asked for: the lightbox opens at once, so keys pressed right away count.
    page = new_page(reduced_motion="reduce")
    page.goto(post.get_absolute_url())
    first = page.locator("[data-lightbox] a").first
    lightbox = page.locator(".pswp")

    first.focus()
    page.keyboard.press("Enter")
    expect(lightbox.locator(".pswp__caption")).to_have_text("사진 0")
    page.keyboard.press("ArrowRight")
    expect(lightbox.locator(".pswp__caption")).to_have_text("사진 1")
    page.keyboard.press("Escape")

    expect(lightbox).to_have_count(0)
    expect(first).to_be_focused()
    # Closing took its history entry back out: going back now would leave the page, so the lightbox
    # opened again is closed by one step back, and the post stays.
    page.keyboard.press("Enter")
    expect(lightbox).to_be_visible()
    page.go_back()
    expect(lightbox).to_have_count(0)
    expect(first).to_be_focused()
    assert page.url.endswith(post.get_absolute_url())


def test_without_javascript_a_photo_link_opens_the_full_photo(new_page, post):
    page = new_page(java_script_enabled=False)
    page.goto(post.get_absolute_url())

    page.locator("[data-lightbox] a").first.click()

    assert page.url.endswith(post.photo_list[0].full.url)
