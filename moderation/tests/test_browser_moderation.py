"""A member reports a post and a moderator (not a superuser) hides it from the review queue."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from community.models import Post
from community.tests.factories import PostFactory
from moderation.models import Action, Case, CaseStatus
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(new_page, base_url: str, member):
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def test_a_member_reports_a_post_and_a_moderator_hides_it(
    new_page, admin_page, live_server_url, member, other_member, moderator
):
    post = PostFactory(author=other_member, text="싸게 팝니다 #광고")

    reporter = log_in(new_page, live_server_url, member)
    reporter.goto(f"/posts/{post.pk}/")
    reporter.locator("a.report-link").click()
    expect(reporter.locator("h1")).to_be_visible()
    assert_accessible(reporter)
    reporter.locator("input[name=reason][value=spam]").check()
    reporter.locator("form.form button[type=submit]").click()
    expect(reporter.locator(".post-detail")).to_be_visible()
    assert Case.objects.get().report_count == 1

    queue = admin_page(moderator)
    queue.goto("/admin/moderation/cases/")
    queue.get_by_role("link", name="싸게 팝니다 #광고").click()
    expect(queue.locator("[data-role=case-preview]")).to_contain_text("싸게 팝니다")
    queue.locator("input[name=kind][value=hide]").check()
    queue.locator("textarea[name=reason]").fill("광고 글은 올릴 수 없어요")
    queue.locator("form button[type=submit].button").last.click()
    expect(queue).to_have_url(f"{live_server_url}/admin/moderation/cases/")

    post.refresh_from_db()
    assert post.is_hidden
    assert Case.objects.get().status == CaseStatus.CLOSED
    assert Action.objects.get().moderator == moderator
    response = reporter.goto(f"/posts/{post.pk}/")
    assert response.status == 404
    assert Post.objects.visible_to(other_member).filter(pk=post.pk).exists()
