"""The layout on a phone, measured in Chromium at 390×844 and 320×568: a compact sticky header, the
bottom tab bar with its unread badges, the first walk on the first screen with the filters closed,
tap targets of at least 44×44 px, and nothing that scrolls sideways. Screenshots are kept under
var/screenshots/ for people to look at; the checks are the measurements."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from chat import services as chat_services
from community.tests.factories import CommentFactory, PostFactory
from privacy.models import LegalDocument
from privacy.tests.factories import legal_page
from site_core.tests.browser import PROJECT_DIR, assert_accessible
from walks.demo import ensure_walk_pages
from walks.tests.factories import WalkFactory

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT_DIR / "var" / "screenshots"
PHONES = [
    pytest.param({"width": 390, "height": 844}, id="390x844"),
    pytest.param({"width": 320, "height": 568}, id="320x568"),
]
HEADER_MAX_HEIGHT = 64
TAP_MIN = 44

# Every visible control smaller than 44×44 px. Links inside running text (display: inline) are the
# exception WCAG 2.5.8 makes; checkboxes and radios count with their label.
UNDERSIZED_CONTROLS = """(min) => [...document.querySelectorAll(
        'a[href], button, summary, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
    .filter((element) => element.checkVisibility() && !element.matches('.skip-link'))
    .filter((element) => !(element.tagName === 'A' && getComputedStyle(element).display === 'inline'))
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([, box]) => box.width < min - 0.5 || box.height < min - 0.5)
    .map(([element, box]) => `${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`)
"""


def phone(new_page, live_server_url, member, viewport):
    client = Client()
    client.force_login(member)
    page = new_page(viewport=viewport, is_mobile=True, has_touch=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server_url}]
    )
    return page


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px content in {widths[1]} px"


def undersized(page) -> list[str]:
    return page.evaluate(UNDERSIZED_CONTROLS, TAP_MIN)


def screenshot(page, name: str, viewport) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{viewport['width']}-{name}.png"))


@pytest.mark.parametrize("viewport", PHONES)
def test_finding_11_a_member_on_a_phone_sees_a_compact_layout(
    new_page, live_server_url, member, other_member, viewport
):
    board = ensure_walk_pages()["seoul-gangnam"]
    walk = WalkFactory(host=other_member, board=board, title="양재천 아침 산책 같이 해요")
    post = PostFactory(author=member, text="두부랑 산책했어요 #산책")
    CommentFactory(post=post, author=other_member, text="귀여워요!")
    room = chat_services.direct_room_get_or_create(member=other_member, other=member)
    chat_services.message_send(
        room_id=room.pk, sender=other_member, client_id="layout-1", text="내일 산책 가요?"
    )
    page = phone(new_page, live_server_url, member, viewport)

    page.goto(board.url)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= HEADER_MAX_HEIGHT
    tab_bar = page.locator("[data-role=tab-bar]")
    tabs = tab_bar.get_by_role("link")
    expect(tabs).to_have_count(5)
    expect(tabs).to_have_text(
        ["홈", "검색", "산책", re.compile(r"^채팅\s*1\s*읽지 않음$"), "내 정보"], use_inner_text=True
    )
    expect(tab_bar.locator("[data-role=chat-unread-badge]")).to_have_text("1 읽지 않음")
    expect(header.locator("[data-role=unread-badge]")).to_be_visible()
    tab_bar_top = tab_bar.bounding_box()["y"]
    assert tab_bar_top + tab_bar.bounding_box()["height"] == pytest.approx(viewport["height"], abs=1)

    # The first walk is on the first screen, above the tab bar, with the filters closed.
    expect(page.locator("[data-role=walk-filters]")).not_to_be_visible()
    first_title = page.locator("[data-role=walk-list] .walk-card").first.get_by_role("link", name=walk.title)
    title_box = first_title.bounding_box()
    assert title_box["y"] + title_box["height"] <= tab_bar_top, (
        f"the first walk ends at {title_box['y'] + title_box['height']:.0f} px"
    )
    screenshot(page, "walk-board", viewport)
    assert undersized(page) == []
    no_sideways_scroll(page)
    assert_accessible(page)

    # The filters open as a sheet over the page and close again.
    page.locator("[data-role=filter-toggle]").click()
    sheet = page.locator("[data-role=walk-filters]")
    expect(sheet).to_be_visible()
    assert sheet.bounding_box()["y"] + sheet.bounding_box()["height"] <= viewport["height"] + 1
    screenshot(page, "walk-filters", viewport)
    page.locator("[data-role=filter-close]").click()
    expect(sheet).not_to_be_visible()

    # The header stays at the top while the page scrolls.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 0")
    assert header.bounding_box()["y"] == pytest.approx(0, abs=1)
    expect(header).to_be_in_viewport()

    # The account menu leads to the settings; every page below fits the screen.
    page.goto("/")
    screenshot(page, "home", viewport)
    assert undersized(page) == []
    no_sideways_scroll(page)
    page.locator("[data-role=account-menu] summary").click()
    page.get_by_role("link", name="알림 설정").click()
    expect(page).to_have_url(f"{live_server_url}/settings/notifications/")
    screenshot(page, "notification-settings", viewport)
    assert undersized(page) == []
    no_sideways_scroll(page)
    for path in (
        "/walks/",
        "/chat/",
        f"/members/{member.username}/",
        f"/posts/{post.pk}/",
        "/search/?q=산책",
    ):
        page.goto(path)
        no_sideways_scroll(page)
        assert page.locator(".site-header").bounding_box()["height"] <= HEADER_MAX_HEIGHT, path

    # The footer names the terms and the privacy notice.
    footer = page.locator(".site-footer")
    expect(footer.get_by_role("link", name="이용약관")).to_be_visible()
    expect(footer.get_by_role("link", name="개인정보 처리방침")).to_be_visible()


CONSENT_BOXES = """() => [...document.querySelectorAll('[data-role=consents] input[type=checkbox]')].map((box) => {
    const label = document.querySelector(`label[for="${box.id}"]`);
    const boxRect = box.getBoundingClientRect();
    const labelRect = label.getBoundingClientRect();
    const firstLine = parseFloat(getComputedStyle(label).lineHeight);
    return {
        width: boxRect.width,
        height: boxRect.height,
        offset: Math.abs((boxRect.top + boxRect.height / 2) - (labelRect.top + firstLine / 2)),
        beside: boxRect.right <= labelRect.left,
    };
})"""


@pytest.mark.parametrize("viewport", PHONES)
def test_finding_11_consent_boxes_are_24_px_beside_their_labels_with_agree_to_all(
    new_page, live_server_url, viewport
):
    for document in (LegalDocument.TERMS, LegalDocument.PRIVACY):
        legal_page(document)
    legal_page(LegalDocument.MARKETING, required=False)
    page = new_page(viewport=viewport, is_mobile=True, has_touch=True)

    page.goto("/accounts/signup/")

    boxes = page.evaluate(CONSENT_BOXES)
    assert len(boxes) == 4, "전체 동의 and three documents"
    for box in boxes:
        assert box["width"] >= 24
        assert box["height"] >= 24
        assert box["beside"], "the box sits beside its label, not above it"
        assert box["offset"] <= 3, (
            f"the box is level with the label's first line ({box['offset']:.1f} px off)"
        )
    page.get_by_label("전체 동의 (선택 항목 포함)").check()
    for box in page.locator("[data-consent]").all():
        expect(box).to_be_checked()
    page.locator("#id_consent_marketing").uncheck()
    expect(page.locator("[data-role=consent-all]")).not_to_be_checked()
    screenshot(page, "signup-consents", viewport)
    assert undersized(page) == []
    no_sideways_scroll(page)
    footer = page.locator(".site-footer")
    footer.get_by_role("link", name="개인정보 처리방침").click()
    expect(page.locator("h1")).to_have_text("개인정보 처리방침")
