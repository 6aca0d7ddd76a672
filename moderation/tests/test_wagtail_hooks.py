"""The review queue, the audit log and the dashboard panel in the Wagtail admin."""

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from community.models import Post
from community.tests.factories import PostFactory
from moderation.models import Action, ActionKind, Case, CaseStatus
from moderation.tests.factories import act, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, admin_login, moderator):
    assert not moderator.is_superuser
    assert not moderator.is_staff
    return admin_login(client, moderator)


def test_a_moderator_sees_open_cases_with_a_preview_and_the_count(
    moderator_client, member, third_member, post
):
    report(member, post)
    report(third_member, post)
    response = moderator_client.get("/admin/moderation/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "싸게 팝니다 #광고" in page
    assert ">2<" in page.replace(" ", "").replace("\n", "")


def test_closed_cases_leave_the_queue_but_can_be_filtered(moderator_client, member, moderator, post):
    act(report(member, post), moderator, ActionKind.DISMISS, reason="")
    assert "싸게 팝니다" not in moderator_client.get("/admin/moderation/cases/").content.decode()
    assert "싸게 팝니다" in moderator_client.get("/admin/moderation/cases/?status=closed").content.decode()


def test_the_review_page_shows_the_reporters_and_reasons(moderator_client, member, post):
    case = report(member, post, reason="other", text="가짜 분양 글")
    page = moderator_client.get(f"/admin/moderation/cases/edit/{case.pk}/").content.decode()
    assert "@dubu" in page
    assert "가짜 분양 글" in page
    assert "싸게 팝니다 #광고" in page


def test_a_moderator_hides_a_post_from_the_queue_and_the_audit_log_says_who(
    moderator_client, moderator, member, post
):
    case = report(member, post)
    response = moderator_client.post(
        f"/admin/moderation/cases/edit/{case.pk}/", {"kind": "hide", "reason": "광고 금지"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden
    assert post.hidden_reason == "광고 금지"
    assert Case.objects.get().status == CaseStatus.CLOSED
    log = moderator_client.get("/admin/moderation/audit-log/").content.decode()
    assert "운영자" in log
    assert "광고 금지" in log


def test_a_moderator_suspends_until_a_date(moderator_client, member, other_member, post):
    case = report(member, post)
    until = (timezone.localtime() + timezone.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = moderator_client.post(
        f"/admin/moderation/cases/edit/{case.pk}/", {"kind": "suspend", "reason": "도배", "until": until}
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.member == other_member
    assert action.until > timezone.now()


def test_an_action_without_a_reason_is_refused_and_changes_nothing(moderator_client, member, post):
    case = report(member, post)
    response = moderator_client.post(
        f"/admin/moderation/cases/edit/{case.pk}/", {"kind": "warn", "reason": ""}
    )
    assert response.status_code == 400
    assert not Action.objects.exists()
    assert Case.objects.get().status == CaseStatus.OPEN


def test_a_superuser_opens_the_queue_and_the_audit_log_which_offer_no_add_button(
    client, admin_login, member, moderator, post
):
    act(report(member, post), moderator)
    admin_login(client, UserFactory(is_staff=True, is_superuser=True))

    for listing in ["/admin/moderation/cases/?status=closed", "/admin/moderation/audit-log/"]:
        response = client.get(listing)
        assert response.status_code == 200
        assert "/add/" not in response.content.decode()


def test_members_cannot_open_the_queue_or_act(client, admin_login, member, third_member, post):
    case = report(member, post)
    client.force_login(third_member)
    assert client.get("/admin/moderation/cases/").status_code in (302, 403)
    response = client.post(f"/admin/moderation/cases/edit/{case.pk}/", {"kind": "hide", "reason": "x"})
    assert response.status_code in (302, 403)
    post.refresh_from_db()
    assert not post.is_hidden
    assert not Action.objects.exists()


def test_the_queue_takes_the_same_queries_for_1_and_10_cases(moderator_client, django_assert_num_queries):
    def seed(count):
        for _ in range(count):
            author = UserFactory()
            target = PostFactory(author=author)
            report(UserFactory(), target)

    seed(1)
    moderator_client.get("/admin/moderation/cases/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        moderator_client.get("/admin/moderation/cases/")
    seed(9)
    with django_assert_num_queries(len(one.captured_queries)):
        response = moderator_client.get("/admin/moderation/cases/")
    assert response.content.decode().count("/admin/moderation/cases/edit/") >= 10


def test_the_dashboard_shows_open_cases_new_members_and_posts_today(moderator_client, member, post):
    report(member, post)
    Post.objects.create(author=member, text="어제 글", created_at=timezone.now() - timezone.timedelta(days=2))
    page = moderator_client.get("/admin/").content.decode()
    assert 'data-role="open-cases">1<' in page
    assert 'data-role="posts-today">1<' in page
    assert 'data-role="new-members">' in page


def test_the_queue_filters_by_reason(moderator_client, member, other_member, post):
    report(member, post, reason="animal_cruelty")
    report(member, PostFactory(author=other_member, text="그냥 스팸"), reason="spam")
    page = moderator_client.get("/admin/moderation/cases/?reason=animal_cruelty").content.decode()
    assert "싸게 팝니다" in page
    assert "그냥 스팸" not in page


def test_the_queue_filters_by_what_was_reported_among_the_reportable_kinds_only(
    moderator_client, member, other_member, post
):
    from community.tests.factories import CommentFactory

    report(member, post)
    report(member, CommentFactory(post=post, author=other_member, text="댓글로 도배"), target_type="comment")

    page = moderator_client.get("/admin/moderation/cases/?kind=comment").content.decode()

    assert "댓글로 도배" in page
    assert "싸게 팝니다" not in page
    assert "웨그테일" not in page, "the kind filter lists posts, comments, walks…, not every content type"
    assert "taggit" not in page.lower()
    assert "처리 대기" in page, "a case's status is its own word, not the walk's 모집 중"
