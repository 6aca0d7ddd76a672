"""The community in a real browser: posting, following, liking, commenting, notifications,
and the OWASP attack strings in every member text field."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from community import services
from community.models import Comment, Follow, Like, Post
from community.tests.factories import image_upload
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

DOG_PHOTO = Path(__file__).resolve().parents[2] / "site_core" / "demo_photos" / "gcompris_farm_dog.webp"
PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]


def log_in(new_page, base_url: str, member):
    """A browser context with the member's session, as if they had logged in."""
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def test_post_follow_like_comment_and_the_notification_badge(new_page, live_server_url):
    author = UserFactory(username="dubu", nickname="두부엄마")
    fan = UserFactory(username="kongi", nickname="콩이아빠")

    page_a = log_in(new_page, live_server_url, author)
    page_a.goto("/posts/new/")
    assert_accessible(page_a)
    page_a.locator("#id_text").fill("오늘 #산책 다녀왔어요")
    page_a.locator("#id_photo_1").set_input_files(str(DOG_PHOTO))
    page_a.locator("#id_alt_1").fill("풀밭의 강아지")
    page_a.locator("form.form button[type=submit]").click()
    expect(page_a.locator(".post-detail img[alt='풀밭의 강아지']")).to_be_visible()
    expect(page_a.locator(".post-detail a.hashtag")).to_have_text("#산책")
    post = Post.objects.get(author=author)
    assert_accessible(page_a)

    page_b = log_in(new_page, live_server_url, fan)
    page_b.goto("/members/dubu/")
    follow = page_b.locator("form[data-enhance=follow] button")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(page_b.locator("[data-role=follower-count]")).to_have_text("1")
    assert page_b.url.endswith("/members/dubu/"), "followed without leaving the page"
    assert_accessible(page_b)

    page_b.goto(f"/posts/{post.pk}/")
    like = page_b.locator(".post-detail form[data-enhance=like] button")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-role=like-count]")).to_have_text("1")
    page_b.locator("#id_text").fill("두부 너무 귀여워요!")
    page_b.locator("form.form[data-enhance=comment] button[type=submit]").click()
    expect(page_b.locator("[data-role=comment-list] .comment__text")).to_have_text("두부 너무 귀여워요!")
    assert_accessible(page_b)
    assert Follow.objects.filter(follower=fan, following=author).exists()
    assert Like.objects.filter(user=fan, post=post).exists()
    assert Comment.objects.filter(author=fan, post=post).exists()

    page_a.goto("/")
    expect(page_a.locator("[data-role=unread-badge]")).to_contain_text("3")
    page_a.locator("a.notification-link").click()
    expect(page_a.locator(".notification--unread")).to_have_count(3)
    expect(page_a.locator(".notification-list")).to_contain_text("콩이아빠")
    assert_accessible(page_a)
    page_a.locator("form[action$='/notifications/read/'] button").click()
    expect(page_a.locator("[data-role=unread-badge]")).to_have_count(0)


def test_no_attack_string_runs_in_any_member_text_field(new_page, live_server_url):
    victim = UserFactory(username="victim", nickname="피해자")
    target = services.post_create(author=victim, text="댓글을 남겨 주세요")
    attackers = []
    for number, payload in enumerate(PAYLOADS):
        attacker = UserFactory(username=f"attacker{number}")
        client = Client()
        client.force_login(attacker)
        edited = client.post("/settings/profile/", {"nickname": payload[:30], "bio": payload[:300]})
        posted = client.post(
            "/posts/new/",
            {"text": payload, "photo_1": image_upload(f"x{number}.png"), "alt_1": payload[:200]},
        )
        commented = client.post(f"/posts/{target.pk}/comments/", {"text": payload[:1000]})
        assert (edited.status_code, posted.status_code, commented.status_code) == (302, 302, 302), payload
        attackers.append(attacker)

    page = log_in(new_page, live_server_url, victim)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = [
        "/?feed=latest&page_size=50",
        f"/posts/{target.pk}/",
        "/notifications/?page_size=100",
        "/search/?q=alert&type=posts",
        *[f"/members/{attacker.username}/" for attacker in attackers],
        *[f"/posts/{post.pk}/" for post in Post.objects.exclude(pk=target.pk)],
    ]
    for url in urls:
        page.goto(url)
        page.mouse.move(200, 300)
        page.mouse.move(400, 500)
        injected = page.evaluate(
            """() => document.querySelectorAll(
                'main script, main iframe, main object, main embed, main svg, main math, main style, main base, main meta,'
                + ' main [onerror], main [onload], main [onmouseover], main [onfocus], main [ontoggle],'
                + ' main a[href^="javascript:" i], main img[src^="javascript:" i]'
            ).length"""
        )
        assert injected == 0, f"markup from member text became elements on {url}"
    page.wait_for_timeout(300)
    assert dialogs == [], f"attack strings ran: {dialogs}"


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_finding_9_deleting_asks_in_a_dialog_and_without_javascript_on_a_page(new_page, live_server_url):
    author = UserFactory(username="dubu", nickname="두부엄마")
    post = services.post_create(author=author, text="지울 글이에요")
    comment = services.comment_create(post_id=post.pk, author=author, text="지울 댓글이에요")

    page = log_in(lambda: new_page(**PHONE), live_server_url, author)
    page.goto(f"/posts/{post.pk}/")
    delete_comment = page.locator(f"#comment-{comment.pk} form[data-confirm] button")
    delete_comment.click()
    dialog = page.locator("[data-role=confirm-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text("이 댓글을 삭제할까요?")
    expect(dialog.locator("[data-role=confirm-no]")).to_be_focused()
    assert_accessible(page)
    dialog.locator("[data-role=confirm-no]").click()
    expect(dialog).to_be_hidden()
    expect(delete_comment).to_be_focused()
    assert Comment.objects.get().deleted_at is None
    delete_comment.click()
    dialog.locator("[data-role=confirm-yes]").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    assert Comment.objects.get().deleted_at is not None

    # Without JavaScript the same button opens the server's confirmation page.
    plain = log_in(lambda: new_page(java_script_enabled=False, **PHONE), live_server_url, author)
    plain.goto(f"/posts/{post.pk}/")
    plain.locator("form.post-card__delete button").click()
    expect(plain.locator("h1")).to_have_text("이 글을 삭제할까요?")
    assert Post.objects.get().deleted_at is None
    plain.locator("form button[type=submit].button--danger").click()
    plain.wait_for_url(f"**/members/{author.username}/")
    assert Post.objects.get().deleted_at is not None
