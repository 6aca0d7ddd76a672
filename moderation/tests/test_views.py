from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Post
from community.tests.factories import CommentFactory, PostFactory
from moderation.models import ActionKind, Appeal, Block, Case, Mute
from moderation.tests.factories import act, report

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_a_member_reports_a_post_from_its_page(client, member, post):
    client.force_login(member)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    report_url = f"/report/post/{post.pk}/"
    assert report_url in page
    form = client.get(report_url)
    assert form.status_code == 200
    assert "싸게 팝니다" in form.content.decode()
    response = client.post(report_url, {"reason": "spam", "next": f"/posts/{post.pk}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{post.pk}/"
    assert Case.objects.get().report_count == 1


def test_the_report_link_is_not_offered_on_your_own_post(client, other_member, post):
    client.force_login(other_member)
    assert f"/report/post/{post.pk}/" not in client.get(f"/posts/{post.pk}/").content.decode()


def test_a_report_without_a_reason_is_refused_with_a_message(client, member, post):
    client.force_login(member)
    response = client.post(f"/report/post/{post.pk}/", {"reason": "other", "text": ""})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_reporting_needs_a_login(client, post):
    response = client.post(f"/report/post/{post.pk}/", {"reason": "spam"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Case.objects.exists()


def test_report_text_is_shown_escaped_to_moderators(client, admin_login, member, moderator, post):
    case = report(member, post, reason="other", text="<script>alert(1)</script>")
    admin_login(client, moderator)
    page = client.get(f"/admin/moderation/cases/edit/{case.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_block_and_mute_from_the_profile_page(client, member, other_member):
    client.force_login(member)
    page = client.get("/members/kongi/").content.decode()
    assert "/members/kongi/block/" in page
    assert "/members/kongi/mute/" in page
    client.post("/members/kongi/block/", {"action": "block"})
    assert Block.objects.filter(blocker=member, blocked=other_member).exists()
    client.post("/members/kongi/mute/", {"action": "mute"})
    assert Mute.objects.filter(muter=member, muted=other_member).exists()
    client.post("/members/kongi/block/", {"action": "unblock"})
    assert not Block.objects.exists()


def test_a_blocked_member_gets_a_clear_refusal_when_following(client, member, other_member):
    Block.objects.create(blocker=other_member, blocked=member)
    client.force_login(member)
    response = client.post("/members/kongi/follow/", {"action": "follow"})
    assert response.status_code == 403
    assert "moderation/blocked.html" in [template.name for template in response.templates]


def test_hidden_content_shows_its_reason_to_the_author(client, member, other_member, moderator, post):
    act(report(member, post), moderator, ActionKind.HIDE, reason="광고 금지")
    comment = CommentFactory(post=PostFactory(author=member), author=other_member, text="광고 댓글")
    act(report(member, comment, target_type="comment"), moderator, ActionKind.HIDE, reason="댓글 광고")
    client.force_login(other_member)
    assert "광고 금지" in client.get(f"/posts/{post.pk}/").content.decode()
    assert "댓글 광고" in client.get(f"/posts/{comment.post_id}/").content.decode()
    client.force_login(member)
    assert client.get(f"/posts/{post.pk}/").status_code == 404


def test_a_suspended_member_is_told_why_and_until_when(client, member, other_member, moderator, post):
    act(
        report(member, post),
        moderator,
        ActionKind.SUSPEND,
        reason="도배 금지",
        until=timezone.now() + timedelta(days=2),
    )
    client.force_login(other_member)
    response = client.post("/posts/new/", {"text": "또 광고"})
    assert response.status_code == 403
    assert "도배 금지" in response.content.decode()
    assert "moderation/suspended.html" in [template.name for template in response.templates]
    assert Post.objects.filter(author=other_member).count() == 1


def test_a_member_reads_decisions_and_appeals_once(client, member, other_member, moderator, post):
    action = act(report(member, post), moderator, ActionKind.WARN, reason="첫 경고")
    client.force_login(other_member)
    page = client.get("/moderation/notices/").content.decode()
    assert "첫 경고" in page
    assert f"/moderation/notices/{action.pk}/appeal/" in page
    client.post(f"/moderation/notices/{action.pk}/appeal/", {"text": "오해예요"})
    client.post(f"/moderation/notices/{action.pk}/appeal/", {"text": "또 오해예요"})
    assert Appeal.objects.count() == 1
    assert (
        f"/moderation/notices/{action.pk}/appeal/" not in client.get("/moderation/notices/").content.decode()
    )


def test_another_member_cannot_appeal_an_action(client, member, moderator, post):
    action = act(report(member, post), moderator, ActionKind.WARN, reason="경고")
    client.force_login(member)
    assert client.post(f"/moderation/notices/{action.pk}/appeal/", {"text": "대신"}).status_code == 404
    assert not Appeal.objects.exists()


def test_a_member_reports_a_walk_from_its_page(client, member, other_member):
    from walks.tests.factories import WalkFactory

    walk = WalkFactory(host=other_member)
    client.force_login(member)
    assert f"/report/walk/{walk.pk}/" in client.get(walk.get_absolute_url()).content.decode()
    client.post(f"/report/walk/{walk.pk}/", {"reason": "abuse"})
    assert Case.objects.get().member == other_member


def test_finding_8_the_member_and_the_reporter_read_the_outcome_in_their_notifications(
    client, member, other_member, moderator, post
):
    action = act(report(member, post), moderator, ActionKind.HIDE, reason="광고 글이에요")
    client.force_login(other_member)
    page = client.get("/notifications/").content.decode()
    assert "운영자가 회원님의 게시글 하나를 숨겼어요." in page
    assert "사유: 광고 글이에요" in page
    assert f'href="/moderation/notices/#notice-{action.pk}"' in page
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert "신고하신 내용(게시글)을 검토하고 조치했어요." in page
    assert "광고 글이에요" not in page


def test_finding_8_decisions_and_report_outcomes_come_by_e_mail_with_the_appeal_link(
    member, other_member, moderator, post, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications.tasks import send_digests

    action = act(
        report(member, post),
        moderator,
        ActionKind.SUSPEND,
        reason="도배 금지",
        until=timezone.now() + timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 2
    emails = {email.to[0]: email.body for email in mail.outbox}
    suspended = emails[other_member.email]
    assert "이용 정지했어요" in suspended
    assert "사유: 도배 금지" in suspended
    assert f"/moderation/notices/#notice-{action.pk}" in suspended
    assert "도배 금지" not in emails[member.email]
    assert "신고하신 내용(게시글)을 검토하고 조치했어요." in emails[member.email]


def test_finding_8_case_statuses_have_their_own_words_in_the_queue(
    client, admin_login, member, moderator, post
):
    report(member, post)
    admin_login(client, moderator)
    page = client.get("/admin/moderation/cases/").content.decode()
    assert "처리 대기" in page
    assert "모집 중" not in page


def test_finding_8_the_queue_and_the_review_page_show_the_posts_photos(
    client, admin_login, member, other_member, moderator
):
    photo_post = PostFactory(author=other_member, text="사진 광고", photos=2)
    case = report(member, photo_post)
    admin_login(client, moderator)
    for url in ("/admin/moderation/cases/", f"/admin/moderation/cases/edit/{case.pk}/"):
        page = client.get(url).content.decode()
        assert 'data-role="case-photos"' in page
        assert page.count('alt="사진 ') == 2


@pytest.fixture
def suspended_client(client, member, other_member, moderator, post):
    """kongi (other_member), suspended for two days for "도배 금지", signed in."""
    act(
        report(member, post),
        moderator,
        ActionKind.SUSPEND,
        reason="도배 금지",
        until=timezone.now() + timedelta(days=2),
    )
    client.force_login(other_member)
    return client


def test_finding_8_a_suspended_member_sees_why_and_until_when_instead_of_the_compose_forms(
    suspended_client, member, other_member
):
    from chat.services import direct_room_get_or_create
    from walks.tests.factories import board

    room = direct_room_get_or_create(member=member, other=other_member)
    own_post = PostFactory(author=member, text="산책 다녀왔어요")
    pages = {
        "/posts/new/": "<textarea",
        f"/posts/{own_post.pk}/": f'action="/posts/{own_post.pk}/comments/"',
        board("seoul-gangnam").url + "new/": 'data-role="walk-form"',
        f"/chat/{room.pk}/": 'data-role="composer"',
    }
    for url, form in pages.items():
        page = suspended_client.get(url).content.decode()
        assert 'data-role="suspended-banner"' in page, url
        assert "사유: 도배 금지" in page, url
        assert "계정 이용이 정지되어" in page, url
        assert form not in page, url


def test_finding_8_a_refused_submit_gives_back_what_was_typed(suspended_client, member, other_member):
    from chat.services import direct_room_get_or_create

    response = suspended_client.post("/posts/new/", {"text": "오늘 한강 산책 후기예요"})
    assert response.status_code == 403
    assert "오늘 한강 산책 후기예요</textarea>" in response.content.decode()

    room = direct_room_get_or_create(member=member, other=other_member)
    response = suspended_client.post(
        f"/chat/{room.pk}/send/", {"client_id": "a" * 32, "text": "내일 같이 걸어요"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-role="suspended-banner"' in page
    assert "내일 같이 걸어요</textarea>" in page
