"""Liking, following, commenting and marking notifications read on a phone (390×844) happen in
place: the browser loads no new page, the member stays where they were on it, and the number
they look at changes."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from community import services
from community.models import Comment, Follow, Like
from community.tests.factories import CommentFactory, PostFactory
from community.tests.test_browser_community import log_in
from notifications.models import Notification
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class SameDocument:
    """Counts the page's loads: a marker set on the window survives only if no navigation
    happened, and Playwright reports every main-frame navigation."""

    def __init__(self, page):
        self.page = page
        self.navigations = []
        page.on(
            "framenavigated", lambda frame: frame == page.main_frame and self.navigations.append(frame.url)
        )

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.page.evaluate("() => { window.__samePage = true; }")
        self.navigations.clear()

    def assert_no_navigation(self) -> None:
        state = self.page.evaluate(
            "() => ({marker: window.__samePage === true,"
            " loads: performance.getEntriesByType('navigation').length})"
        )
        assert state == {"marker": True, "loads": 1}, "the page was loaded again"
        assert self.navigations == [], f"navigated to {self.navigations}"

    def scroll_to(self, y: int) -> None:
        self.page.evaluate("(y) => window.scrollTo(0, y)", y)
        self.page.wait_for_function("(y) => Math.round(window.scrollY) === y", arg=y)

    def scroll_y(self) -> int:
        return self.page.evaluate("() => Math.round(window.scrollY)")


def test_like_follow_comment_and_mark_read_stay_on_the_page(new_page, live_server_url):
    author = UserFactory(username="dubu", nickname="두부엄마")
    fan = UserFactory(username="kongi", nickname="콩이아빠")
    posts = [PostFactory(author=author, text=f"두부의 {n}번째 산책 #산책") for n in range(40)]
    talked_about = posts[-1]
    for n in range(30):
        CommentFactory(post=talked_about, author=author, text=f"{n}번째 이야기예요")
    followers = UserFactory.create_batch(34)
    for follower in followers:
        services.follow_add(follower=follower, following=author)

    page = log_in(lambda: new_page(**PHONE), live_server_url, fan)
    tab = SameDocument(page)

    # Like, 3000 px down the latest posts.
    tab.goto("/?feed=latest&page_size=40")
    assert_accessible(page)
    tab.scroll_to(3000)
    card_id = page.evaluate(
        """() => [...document.querySelectorAll('form[data-enhance=like]')]
            .find((form) => { const box = form.getBoundingClientRect(); return box.top > 120 && box.bottom < 760; })
            .closest('article').id"""
    )
    like = page.locator(f"#{card_id} form[data-enhance=like] button")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-role=like-count]")).to_have_text("1")
    tab.assert_no_navigation()
    assert tab.scroll_y() == 3000
    assert like.evaluate("(button) => document.activeElement === button"), "the pressed button keeps focus"
    assert Like.objects.filter(user=fan, post_id=int(card_id.removeprefix("post-"))).exists()

    # Follow, on the profile: the follower count goes from 34 to 35.
    tab.goto("/members/dubu/")
    count = page.locator("[data-role=follower-count]")
    expect(count).to_have_text("34")
    page.locator("form[data-enhance=follow] button").click()
    expect(page.locator("form[data-enhance=follow] button")).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("35")
    tab.assert_no_navigation()
    assert Follow.objects.filter(follower=fan, following=author).exists()

    # Comment, under 30 others: the heading counts it and the page does not move.
    tab.goto(f"/posts/{talked_about.pk}/")
    heading = page.locator("[data-role=comment-heading]")
    expect(heading).to_have_text("댓글 30개")
    submit = page.locator("#comments > form[data-enhance=comment] button[type=submit]")
    tab.scroll_to(
        page.evaluate(
            "(button) => Math.min("
            " Math.round(button.getBoundingClientRect().top + window.scrollY - 500),"
            " document.documentElement.scrollHeight - window.innerHeight)",
            submit.element_handle(),
        )
    )
    before = tab.scroll_y()
    assert before > 2000, f"a long thread: the form is {before} px down"
    page.locator("#id_text").fill("두부 오늘도 귀여워요!")
    submit.click()
    expect(page.locator("[data-role=comment-list] > li").last.locator(".comment__text")).to_have_text(
        "두부 오늘도 귀여워요!"
    )
    expect(heading).to_have_text("댓글 31개")
    tab.assert_no_navigation()
    assert tab.scroll_y() == before, "not sent back up the page"
    assert submit.evaluate("(button) => button.getBoundingClientRect().bottom <= window.innerHeight"), (
        "the form is still on screen, below the new comment"
    )
    assert Comment.objects.filter(author=fan, post=talked_about).exists()

    # A plain form (a new post) says it is on its way, and a second tap sends nothing.
    page.goto("/posts/new/")
    held = []
    page.route("**/posts/new/", lambda route: held.append(route))
    page.locator("#id_text").fill("오늘은 비가 와서 집에 있어요")
    # The answer goes to a frame of its own, so that this page stays to be looked at while it waits.
    page.evaluate(
        """() => { const sink = document.createElement('iframe'); sink.name = 'sink';
            document.body.append(sink); document.querySelector('form.form').target = 'sink'; }"""
    )
    publish = page.locator("form.form button[type=submit]")
    publish.click()
    expect(publish).to_be_disabled()
    expect(publish).to_have_text("보내는 중…")
    expect(publish).to_have_attribute("aria-busy", "true")
    publish.evaluate("(button) => button.click()")
    page.wait_for_timeout(300)
    assert len(held) == 1, "sent once"
    held[0].abort()

    # Mark read: opening the list reads the 30 it shows; "모두 읽음으로 표시" reads the rest in place.
    author_page = log_in(lambda: new_page(**PHONE), live_server_url, author)
    inbox = SameDocument(author_page)
    inbox.goto("/notifications/")
    badge = author_page.locator("[data-role=unread-badge]")
    expect(badge).to_contain_text("7")  # 35 follows, a like and a comment; 30 shown and read
    expect(author_page.locator(".notification--unread")).to_have_count(30)
    author_page.locator("form[data-enhance=read] button").click()
    expect(badge).to_have_count(0)
    expect(author_page.locator(".notification--unread")).to_have_count(0)
    inbox.assert_no_navigation()
    assert not Notification.objects.filter(recipient=author, read_at__isnull=True).exists()
