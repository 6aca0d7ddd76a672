from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from moderation.models import ActionKind, Appeal, Block, Case, Mute
from moderation.tests.factories import act, report

pytestmark = pytest.mark.django_db


def test_a_member_reports_a_post_through_the_api(member_api_client, post):
    response = member_api_client.post(
        "/api/reports/", {"target_type": "post", "object_id": post.pk, "reason": "spam"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["received"] is True
    assert Case.objects.get().report_count == 1


def test_the_reporter_comes_from_the_token_not_the_body(member_api_client, member, post):
    member_api_client.post(
        "/api/reports/",
        {"target_type": "post", "object_id": post.pk, "reason": "spam", "reporter": post.author_id},
        format="json",
    )
    assert Case.objects.get().reports.get().reporter == member


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"target_type": "planet", "object_id": 1, "reason": "spam"}, "target_type"),
        ({"target_type": "post", "object_id": 1, "reason": "boring"}, "reason"),
        ({"target_type": "post", "reason": "spam"}, "object_id"),
    ],
)
def test_bad_reports_get_a_clear_400_and_change_nothing(member_api_client, post, payload, field):
    response = member_api_client.post("/api/reports/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_reporting_what_you_cannot_see_is_404(member_api_client):
    response = member_api_client.post(
        "/api/reports/", {"target_type": "post", "object_id": 999, "reason": "spam"}, format="json"
    )
    assert response.status_code == 404


def test_reports_need_a_signed_in_member(api_client, post):
    response = api_client.post(
        "/api/reports/", {"target_type": "post", "object_id": post.pk, "reason": "spam"}
    )
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_block_and_mute_through_the_api(member_api_client, member, other_member):
    assert member_api_client.post("/api/members/kongi/block/").json() == {"active": True}
    assert Block.objects.filter(blocker=member, blocked=other_member).exists()
    assert member_api_client.delete("/api/members/kongi/block/").json() == {"active": False}
    assert not Block.objects.exists()
    assert member_api_client.post("/api/members/kongi/mute/").status_code == 200
    assert Mute.objects.filter(muter=member, muted=other_member).exists()
    assert member_api_client.post("/api/members/dubu/mute/").status_code == 400


def test_a_member_sees_decisions_about_them_with_reasons_and_appeals_once(
    member, other_member, moderator, post
):
    action = act(report(member, post), moderator, ActionKind.HIDE, reason="광고 금지")
    client = APIClient()
    client.force_authenticate(other_member)
    notices = client.get("/api/moderation/notices/").json()
    assert [(n["kind"], n["reason"], n["appealed"]) for n in notices] == [("hide", "광고 금지", False)]
    assert (
        client.post(f"/api/moderation/notices/{action.pk}/appeal/", {"text": "나눔 글이에요"}).status_code
        == 201
    )
    again = client.post(f"/api/moderation/notices/{action.pk}/appeal/", {"text": "다시"})
    assert again.status_code == 400
    assert Appeal.objects.count() == 1


def test_another_member_cannot_appeal_someone_elses_action(member_api_client, member, moderator, post):
    action = act(report(member, post), moderator, ActionKind.HIDE)
    response = member_api_client.post(f"/api/moderation/notices/{action.pk}/appeal/", {"text": "대신 항의"})
    assert response.status_code == 404
    assert not Appeal.objects.exists()


def test_a_suspended_member_is_refused_with_the_reason_and_end(member, other_member, moderator, post):
    until = timezone.now() + timedelta(days=2)
    act(report(member, post), moderator, ActionKind.SUSPEND, reason="도배", until=until)
    client = APIClient()
    client.force_authenticate(other_member)
    response = client.post("/api/posts/", {"text": "또 광고"}, format="json")
    assert response.status_code == 403
    assert "도배" in response.json()["detail"]
    comment = client.post(f"/api/posts/{post.pk}/comments/", {"text": "댓글"}, format="json")
    assert comment.status_code == 403


def test_a_banned_members_access_and_refresh_tokens_are_refused(member, other_member, moderator, post):
    refresh = RefreshToken.for_user(other_member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh.access_token}")
    assert client.get("/api/accounts/me/").status_code == 200
    act(report(member, post), moderator, ActionKind.BAN, reason="사기")
    assert client.get("/api/accounts/me/").status_code == 401
    refreshed = APIClient().post("/api/auth/token/refresh/", {"refresh": str(refresh)}, format="json")
    assert refreshed.status_code == 401
