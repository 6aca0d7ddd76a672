"""Walk matching in a real browser: staff open a board in the Wagtail admin, a member posts a
walk on it with the prose editor, another member filters, finds and joins it."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from site_core.tests.browser import assert_accessible
from walks import services
from walks.demo import ensure_walk_pages
from walks.models import Walk, WalkBoardPage, WalkIndexPage, WalkParticipant
from walks.tests.factories import seoul, walk_input

pytestmark = pytest.mark.browser

TITLE = "송파 호수 아침 산책"
PLACE = "석촌호수 동호 산책로 입구 벤치"
# Wagtail's own admin widgets (the Draftail rich-text field, not our markup) give their
# editable area no accessible name; our pages are checked without exceptions.
WAGTAIL_ADMIN_EXCEPTIONS = ("aria-input-field-name",)


@pytest.fixture
def walk_pages(live_server_url):
    """The walk index and its boards. The migration made them, but a browser test's database
    may have been flushed by the test before it (live_server_url restores only the home page)."""
    return ensure_walk_pages()


def log_in(new_page, base_url: str, member):
    """A browser context with the member's session, as if they had logged in."""
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def settle(page) -> None:
    """Finish the admin's entrance animations (its message banner fades in), so that axe
    measures colour contrast on the final colours."""
    page.evaluate("() => document.getAnimations().forEach((animation) => animation.finish())")


def staff_publishes_a_board(admin_page) -> WalkBoardPage:
    staff = UserFactory(username="staff", nickname="운영진", is_staff=True, is_superuser=True)
    index = WalkIndexPage.objects.get()

    page = admin_page(staff)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/pages/{index.pk}/add_subpage/")  # boards are the index's only child type
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/walks/walkboardpage/{index.pk}/$"))
    page.locator("#id_title").fill("서울 송파구 산책")
    page.locator("#id_region").fill("서울 송파구")
    settle(page)
    assert_accessible(page, disable_rules=WAGTAIL_ADMIN_EXCEPTIONS)
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{index.pk}/$"))
    expect(page.get_by_role("link", name="서울 송파구 산책")).to_be_visible()
    settle(page)
    assert_accessible(page, disable_rules=WAGTAIL_ADMIN_EXCEPTIONS)

    # Wagtail's admin keeps talking to the server from an open page (editing sessions); close
    # it so that nothing reaches the database after this test has flushed it.
    page.context.close()

    board = WalkBoardPage.objects.get(region="서울 송파구")
    assert board.live
    assert board.get_parent().pk == index.pk
    return board


def test_staff_board_member_walk_and_join(new_page, admin_page, live_server_url, walk_pages):
    board = staff_publishes_a_board(admin_page)
    host = UserFactory(username="dubu", nickname="두부엄마")
    walker = UserFactory(username="kongi", nickname="콩이아빠")
    day = seoul(3).date()

    # A member posts a walk on the new board, writing the description in the prose editor.
    page_a = log_in(new_page, live_server_url, host)
    page_a.goto(board.url)
    expect(page_a.locator("h1")).to_have_text("서울 송파구 산책")
    assert_accessible(page_a)
    page_a.locator("[data-role=new-walk]").click()
    page_a.locator("#id_title").fill(TITLE)
    editor = page_a.locator(".prose-editor [contenteditable=true]")
    expect(editor).to_have_attribute("aria-labelledby", "id_description_label")
    editor.click()
    page_a.keyboard.type("호수 한 바퀴 ")
    page_a.keyboard.press("Control+b")
    page_a.keyboard.type("천천히")
    page_a.keyboard.press("Control+b")
    page_a.keyboard.type(" 걸어요")
    page_a.locator("#id_date").fill(day.isoformat())
    page_a.locator("#id_start_time").fill("07:30")
    page_a.locator("#id_end_time").fill("08:30")
    page_a.locator("#id_area").fill("잠실동")
    page_a.locator("#id_meeting_place").fill(PLACE)
    page_a.locator("#id_dog_sizes_0").check()
    page_a.locator("#id_dog_sizes_1").check()
    page_a.locator("#id_capacity").fill("3")
    assert_accessible(page_a)
    page_a.locator("[data-role=walk-form] button[type=submit]").click()

    expect(page_a.locator("#walk-title")).to_have_text(TITLE)
    expect(page_a.locator(".walk-detail__description strong")).to_have_text("천천히")
    expect(page_a.locator("[data-role=meeting-place]")).to_have_text(PLACE)
    assert_accessible(page_a)
    walk = Walk.objects.get()
    assert walk.board_id == board.pk
    assert walk.host == host
    assert walk.start_at == seoul(3, 7, 30)
    assert "<strong>천천히</strong>" in walk.description_html

    # Another member filters the walks of every region, finds it and joins.
    page_b = log_in(new_page, live_server_url, walker)
    page_b.goto("/walks/")
    assert_accessible(page_b)
    filters = page_b.locator("[data-role=walk-filters]")
    filters.locator("#id_board").select_option(label="서울 송파구")
    filters.locator("#id_time_slot").select_option("morning")
    filters.locator("#id_size_0").check()
    filters.locator("#id_open").check()
    filters.locator("button[type=submit]").click()
    expect(page_b).to_have_url(
        re.compile(rf"/walks/\?board={board.pk}&.*time_slot=morning&.*size=small&open=true")
    )
    results = page_b.locator("[data-role=walk-list] .walk-card")
    expect(results).to_have_count(1)
    expect(results.first).not_to_contain_text(PLACE)
    assert_accessible(page_b)

    results.first.get_by_role("link", name=TITLE).click()
    expect(page_b.locator("[data-role=meeting-place]")).not_to_contain_text(PLACE)
    assert_accessible(page_b)
    page_b.locator("[data-role=join]").click()
    expect(page_b.locator(".message--success")).to_be_visible()
    expect(page_b.locator("[data-role=meeting-place]")).to_have_text(PLACE)
    expect(page_b.locator("[data-role=members]")).to_contain_text("콩이아빠")
    expect(page_b.locator("[data-role=headcount]")).to_contain_text("2")
    assert_accessible(page_b)
    assert WalkParticipant.objects.filter(walk=walk, member=walker).exists()

    # The host hears about it.
    page_a.goto("/notifications/")
    expect(page_a.locator(".notification-list")).to_contain_text(TITLE)
    assert_accessible(page_a)
    assert Notification.objects.for_target(walk).filter(recipient=host, kind="walk_join").exists()


def test_walk_pages_read_on_a_phone(new_page, live_server_url, walk_pages):
    host = UserFactory(username="dubu")
    board = walk_pages["seoul-gangnam"]
    walk = services.walk_create(host=host, board_id=board.pk, data=walk_input())
    phone = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

    page = new_page(**phone)
    for url in ("/walks/", board.url, walk.get_absolute_url()):
        page.goto(url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{url} scrolls sideways ({width}px)"
        assert_accessible(page)
