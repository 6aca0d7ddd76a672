from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services as account_services
from accounts.tests.factories import UserFactory
from community import selectors as community_selectors
from community import services as community_services
from community.models import Comment, Follow, Post
from community.tests.factories import CommentFactory, PostFactory
from moderation import services
from moderation.guards import MemberBlocked, MemberSuspended
from moderation.models import Action, ActionKind, Appeal, Block, Case, CaseStatus, Mute, Report, ReportReason
from moderation.tests.factories import act, report
from notifications.models import Notification
from pets import models as pet_models
from pets import services as pet_services
from pets.tests.factories import PetFactory
from walks import services as walk_services
from walks.tests.factories import WalkFactory, walk_input

pytestmark = pytest.mark.django_db


class TestReports:
    def test_reports_on_one_post_merge_into_one_case_with_a_count(self, member, third_member, post):
        first = report(member, post)
        second = report(third_member, post, reason=ReportReason.ABUSE)
        assert first.pk == second.pk
        assert Case.objects.count() == 1
        assert second.report_count == 2
        assert second.member == post.author

    def test_reporting_again_updates_the_report_without_counting_twice(self, member, post):
        report(member, post)
        case = report(member, post, reason=ReportReason.OTHER, text="다시 보니 욕설이에요")
        assert case.report_count == 1
        assert Report.objects.get().text == "다시 보니 욕설이에요"

    def test_other_needs_details(self, member, post):
        with pytest.raises(ValidationError) as error:
            report(member, post, reason=ReportReason.OTHER)
        assert "text" in error.value.message_dict
        assert not Case.objects.exists()

    def test_unknown_reason_is_refused(self, member, post):
        with pytest.raises(ValidationError):
            report(member, post, reason="boring")
        assert not Case.objects.exists()

    def test_members_cannot_report_themselves(self, other_member, post):
        with pytest.raises(ValidationError):
            report(other_member, post)
        with pytest.raises(ValidationError):
            report(other_member, other_member, target_type="member")
        assert not Case.objects.exists()

    def test_content_the_reporter_cannot_see_cannot_be_reported(self, member, post):
        Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
        with pytest.raises(Post.DoesNotExist):
            report(member, post)

    @pytest.mark.parametrize("target_type", ["comment", "member", "walk", "chat_message"])
    def test_every_kind_of_target_can_be_reported(self, member, other_member, target_type):
        from chat.models import Message
        from chat.services import direct_room_get_or_create, message_send

        if target_type == "comment":
            target = CommentFactory(author=other_member, text="나쁜 말")
        elif target_type == "member":
            target = other_member
        elif target_type == "walk":
            target = WalkFactory(host=other_member)
        else:
            room = direct_room_get_or_create(member=other_member, other=member)
            message_send(room_id=room.pk, sender=other_member, client_id="c-1", text="스팸 링크")
            target = Message.objects.get()
        case = report(member, target, target_type=target_type)
        assert case.member == other_member
        assert case.target == target

    def test_a_new_report_reopens_a_closed_case(self, member, third_member, moderator, post):
        case = report(member, post)
        act(case, moderator, ActionKind.DISMISS, reason="")
        assert Case.objects.get().status == CaseStatus.CLOSED
        case = report(third_member, post)
        assert case.status == CaseStatus.OPEN
        assert case.report_count == 2


class TestModeratorActions:
    def test_members_who_are_not_moderators_cannot_act_and_nothing_changes(self, member, third_member, post):
        case = report(member, post)
        with pytest.raises(PermissionDenied):
            act(case, third_member, ActionKind.HIDE)
        post.refresh_from_db()
        assert not post.is_hidden
        assert Case.objects.get().status == CaseStatus.OPEN
        assert not Action.objects.exists()

    def test_hiding_a_post_hides_it_from_everyone_but_its_author_and_moderators(
        self, member, other_member, third_member, moderator, post
    ):
        case = report(member, post)
        action = act(case, moderator, ActionKind.HIDE, reason="광고 금지")
        assert action.moderator == moderator
        assert action.member == other_member
        assert Case.objects.get().status == CaseStatus.CLOSED
        visible = {
            viewer.username: community_selectors.feed_posts(viewer=viewer, feed="latest")
            .filter(pk=post.pk)
            .exists()
            for viewer in (member, third_member, other_member, moderator)
        }
        assert visible == {"dubu": False, "bori": False, "kongi": True, "modu": True}
        post.refresh_from_db()
        assert post.hidden_reason == "광고 금지"

    def test_hiding_a_comment_keeps_it_for_its_author_only(self, member, other_member, moderator):
        comment = CommentFactory(author=other_member, text="나쁜 말")
        act(report(member, comment, target_type="comment"), moderator, ActionKind.HIDE)
        assert not Comment.objects.visible_to(member).filter(pk=comment.pk).exists()
        assert Comment.objects.visible_to(other_member).filter(pk=comment.pk).exists()

    def test_hiding_a_walk_takes_it_off_lists_search_and_joining_but_not_from_its_host(
        self, member, other_member, moderator
    ):
        from search.selectors import site_search
        from walks import selectors as walk_selectors
        from walks.models import Walk

        walk = WalkFactory(host=other_member, title="수상한 산책 모임")
        act(report(member, walk, target_type="walk"), moderator, ActionKind.HIDE, reason="광고 모임")

        walk.refresh_from_db()
        assert walk.hidden_reason == "광고 모임"
        assert not walk_selectors.walk_list(viewer=member).filter(pk=walk.pk).exists()
        assert site_search(viewer=member, raw_query="수상한", types=["walks"]).pages[0].results == []
        with pytest.raises(Walk.DoesNotExist):
            walk_selectors.walk_detail(viewer=member, walk_id=walk.pk)
        with pytest.raises(Walk.DoesNotExist):
            walk_services.walk_join(walk_id=walk.pk, member=member)
        assert walk_selectors.walk_detail(viewer=other_member, walk_id=walk.pk).is_hidden
        assert walk_selectors.walk_detail(viewer=moderator, walk_id=walk.pk).is_hidden

    def test_deleting_is_soft_so_moderators_keep_the_evidence(self, member, moderator, post):
        act(report(member, post), moderator, ActionKind.DELETE)
        kept = Post.objects.get(pk=post.pk)
        assert kept.deleted_at is not None
        assert kept.text == "싸게 팝니다 #광고"
        assert not Post.objects.visible_to(member).filter(pk=post.pk).exists()

    def test_member_facing_actions_need_a_reason(self, member, moderator, post):
        with pytest.raises(ValidationError):
            act(report(member, post), moderator, ActionKind.WARN, reason="  ")
        assert not Action.objects.exists()

    def test_a_suspension_needs_an_end_in_the_future(self, member, moderator, post):
        case = report(member, post)
        with pytest.raises(ValidationError):
            act(case, moderator, ActionKind.SUSPEND, until=timezone.now() - timedelta(hours=1))
        assert not Action.objects.exists()

    def test_members_cannot_be_reported_content_hidden(self, member, other_member, moderator):
        case = report(member, other_member, target_type="member")
        with pytest.raises(ValidationError):
            act(case, moderator, ActionKind.HIDE)


class TestSuspension:
    @pytest.fixture
    def suspended(self, member, other_member, moderator, post):
        act(report(member, post), moderator, ActionKind.SUSPEND, reason="도배")
        return other_member

    def test_a_suspended_member_cannot_post_comment_or_join_walks_and_is_told_why(
        self, suspended, member, post
    ):
        with pytest.raises(MemberSuspended) as error:
            community_services.post_create(author=suspended, text="또 광고")
        assert "도배" in str(error.value)
        with pytest.raises(MemberSuspended):
            community_services.comment_create(post_id=post.pk, author=suspended, text="댓글")
        walk = WalkFactory(host=member)
        with pytest.raises(MemberSuspended):
            walk_services.walk_join(walk_id=walk.pk, member=suspended)
        assert Post.objects.filter(author=suspended).count() == 1

    def test_finding_5_editing_comments_walks_pets_or_the_profile_is_refused_while_suspended(
        self, member, other_member, moderator, post
    ):
        comment = CommentFactory(post=post, author=other_member, text="원래 댓글")
        walk = WalkFactory(host=other_member, title="원래 산책")
        pet = PetFactory(owner=other_member, name="콩이", intro="원래 소개")
        act(report(member, post), moderator, ActionKind.SUSPEND, reason="도배")
        attempts = {
            "comment_update": lambda: community_services.comment_update(
                comment_id=comment.pk, member=other_member, text="광고 댓글"
            ),
            "walk_update": lambda: walk_services.walk_update(
                walk_id=walk.pk, member=other_member, data=walk_input(title="광고 산책")
            ),
            "pet_create": lambda: pet_services.pet_create(owner=other_member, name="광고", species="dog"),
            "pet_update": lambda: pet_services.pet_update(pet_id=pet.pk, member=other_member, intro="광고"),
            "member_update_profile": lambda: account_services.member_update_profile(
                member=other_member, nickname="광고왕", bio="광고"
            ),
        }

        refused = []
        for name, attempt in attempts.items():
            try:
                attempt()
            except MemberSuspended:
                refused.append(name)

        assert refused == list(attempts)
        comment.refresh_from_db()
        walk.refresh_from_db()
        pet.refresh_from_db()
        other_member.refresh_from_db()
        assert (comment.text, walk.title, pet.intro) == ("원래 댓글", "원래 산책", "원래 소개")
        assert other_member.nickname != "광고왕"
        assert pet_models.Pet.objects.filter(owner=other_member).count() == 1

    def test_a_suspension_ends_by_itself(self, suspended):
        Action.objects.filter(kind=ActionKind.SUSPEND).update(until=timezone.now() - timedelta(seconds=1))
        assert community_services.post_create(author=suspended, text="돌아왔어요")


class TestWhoMaySanctionWhom:
    """Staff and moderators never sanction each other; only superusers sanction staff."""

    @pytest.fixture
    def second_moderator(self, moderator):
        colleague = UserFactory(username="modu2")
        colleague.groups.set(moderator.groups.all())
        return colleague

    @pytest.mark.parametrize("kind", [ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN])
    def test_finding_16_a_moderator_cannot_sanction_another_moderator_or_staff(
        self, member, moderator, second_moderator, kind
    ):
        staff = UserFactory(username="staffer", is_staff=True)
        for target in (second_moderator, staff):
            case = report(member, target, target_type="member")

            with pytest.raises(ValidationError) as error:
                act(case, moderator, kind, reason="동료 제재")

            assert "kind" in error.value.message_dict
            target.refresh_from_db()
            assert target.is_active
            assert not Action.objects.filter(member=target).exists()
            assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN

    def test_staff_cannot_sanction_moderators_either(self, member, moderator):
        staff = UserFactory(username="staffer", is_staff=True)
        staff.groups.set(moderator.groups.all())

        with pytest.raises(ValidationError):
            act(
                report(member, moderator, target_type="member"), staff, ActionKind.SUSPEND, reason="동료 제재"
            )

        assert not Action.objects.exists()

    def test_only_a_superuser_sanctions_staff_and_moderators(self, member, moderator):
        superuser = UserFactory(username="boss", is_superuser=True)

        act(report(member, moderator, target_type="member"), superuser, ActionKind.BAN, reason="권한 남용")

        moderator.refresh_from_db()
        assert not moderator.is_active
        assert Action.objects.get().moderator == superuser

    def test_nobody_sanctions_a_superuser_or_themselves(self, member, moderator):
        superuser = UserFactory(username="boss", is_superuser=True)
        other_superuser = UserFactory(username="boss2", is_superuser=True)

        with pytest.raises(ValidationError):
            act(report(member, superuser, target_type="member"), other_superuser, ActionKind.WARN)
        with pytest.raises(ValidationError):
            act(report(member, superuser, target_type="member"), superuser, ActionKind.WARN)
        assert not Action.objects.exists()

    def test_moderators_still_sanction_members(self, member, other_member, moderator):
        act(report(member, other_member, target_type="member"), moderator, ActionKind.WARN, reason="욕설")

        assert Action.objects.get().member == other_member


class TestBan:
    def test_a_ban_ends_sessions_refresh_tokens_and_access(self, member, other_member, moderator, post):
        banned_client = Client()
        banned_client.force_login(other_member)
        bystander_client = Client()
        bystander_client.force_login(member)
        refresh = RefreshToken.for_user(other_member)
        act(report(member, post), moderator, ActionKind.BAN, reason="반복된 사기")

        other_member.refresh_from_db()
        assert not other_member.is_active
        assert banned_client.get("/notifications/").status_code == 302  # logged out
        assert bystander_client.get("/notifications/").status_code == 200, (
            "only the banned member's session ends"
        )
        refreshed = APIClient().post("/api/auth/token/refresh/", {"refresh": str(refresh)}, format="json")
        assert refreshed.status_code == 401

    def test_a_banned_members_open_sockets_are_told_to_close(
        self, member, other_member, moderator, post, django_capture_on_commit_callbacks
    ):
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        from accounts.realtime import member_group

        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(member_group(other_member.pk), channel)
        with django_capture_on_commit_callbacks(execute=True):
            act(report(member, post), moderator, ActionKind.BAN, reason="반복된 사기")
        assert async_to_sync(layer.receive)(channel) == {"type": "member.credentials_changed", "version": 1}


class TestAppeals:
    def test_an_appeal_reopens_the_case_once(self, member, other_member, moderator, post):
        action = act(report(member, post), moderator, ActionKind.HIDE)
        services.appeal_create(member=other_member, action_id=action.pk, text="광고가 아니라 나눔이에요")
        case = Case.objects.get()
        assert case.status == CaseStatus.OPEN
        assert case.actions.filter(kind=ActionKind.REOPEN).exists()
        with pytest.raises(ValidationError):
            services.appeal_create(member=other_member, action_id=action.pk, text="다시 한 번")
        assert Appeal.objects.count() == 1

    def test_nobody_else_can_appeal_a_members_action(self, member, other_member, moderator, post):
        action = act(report(member, post), moderator, ActionKind.HIDE)
        with pytest.raises(Action.DoesNotExist):
            services.appeal_create(member=member, action_id=action.pk, text="제가 대신")
        assert not Appeal.objects.exists()
        assert Case.objects.get().status == CaseStatus.CLOSED


class TestDecisionsAreTold:
    """Finding 8: the member concerned and the reporters hear what moderators decided."""

    def test_the_author_of_hidden_content_is_told_why_with_the_action_to_appeal(
        self, member, other_member, moderator, post
    ):
        action = act(report(member, post), moderator, ActionKind.HIDE, reason="광고 글이에요")
        note = Notification.objects.get(recipient=other_member)
        assert note.kind == Notification.Kind.MODERATION_DECISION
        assert note.actor is None  # no moderator is named
        assert note.details == {
            "case": action.case_id,
            "action": action.pk,
            "action_kind": "hide",
            "target": "post",
            "reason": "광고 글이에요",
            "until": None,
        }

    def test_a_suspended_member_is_told_until_when(self, member, other_member, moderator, post):
        action = act(report(member, post), moderator, ActionKind.SUSPEND, reason="도배")
        note = Notification.objects.get(recipient=other_member)
        assert note.details["action_kind"] == "suspend"
        assert note.details["until"] == action.until.isoformat()

    def test_every_reporter_hears_the_outcome_without_the_reason(
        self, member, third_member, other_member, moderator, post
    ):
        report(member, post)
        case = report(third_member, post)
        act(case, moderator, ActionKind.WARN, reason="욕설 경고")
        outcomes = Notification.objects.filter(kind=Notification.Kind.REPORT_OUTCOME)
        assert {note.recipient_id for note in outcomes} == {member.pk, third_member.pk}
        assert all(
            note.details == {"case": case.pk, "target": "post", "outcome": "actioned"} for note in outcomes
        )

    def test_a_dismissed_report_tells_the_reporter_and_nobody_else(
        self, member, other_member, moderator, post
    ):
        act(report(member, post), moderator, ActionKind.DISMISS, reason="")
        assert list(Notification.objects.values_list("recipient_id", "kind", "details__outcome")) == [
            (member.pk, Notification.Kind.REPORT_OUTCOME, "dismissed")
        ]

    def test_a_decision_after_a_reopening_tells_only_the_new_reporters(
        self, member, third_member, moderator, post
    ):
        act(report(member, post), moderator, ActionKind.DISMISS, reason="")
        case = report(third_member, post)
        act(case, moderator, ActionKind.HIDE, reason="다시 보니 광고예요")
        outcomes = Notification.objects.filter(kind=Notification.Kind.REPORT_OUTCOME).order_by("id")
        assert [(note.recipient_id, note.details["outcome"]) for note in outcomes] == [
            (member.pk, "dismissed"),
            (third_member.pk, "actioned"),
        ]

    def test_members_who_turned_moderation_notices_off_everywhere_get_none(
        self, member, other_member, moderator, post
    ):
        from notifications import services as notification_services

        for someone in (member, other_member):
            notification_services.settings_update(
                member=someone, choices={"moderation": {"on_site": False, "by_email": False}}
            )
        act(report(member, post), moderator, ActionKind.HIDE)
        assert not Notification.objects.exists()


class TestBlocksAndMutes:
    def test_blocking_ends_follows_both_ways_and_they_cannot_be_made_again(self, member, other_member):
        community_services.follow_add(follower=member, following=other_member)
        community_services.follow_add(follower=other_member, following=member)
        services.block_add(member=member, other=other_member)
        assert not Follow.objects.exists()
        for follower, following in ((member, other_member), (other_member, member)):
            with pytest.raises(MemberBlocked):
                community_services.follow_add(follower=follower, following=following)
        assert not Follow.objects.exists()

    def test_blocked_members_do_not_see_each_others_posts_and_comments(
        self, member, other_member, third_member
    ):
        mine = PostFactory(author=member, text="내 글")
        theirs = PostFactory(author=other_member, text="콩이 글")
        CommentFactory(post=mine, author=other_member, text="콩이 댓글")
        services.block_add(member=member, other=other_member)

        def feed(viewer):
            return set(
                community_selectors.feed_posts(viewer=viewer, feed="latest").values_list("pk", flat=True)
            )

        assert feed(member) == {mine.pk}
        assert feed(other_member) == {theirs.pk}
        assert feed(third_member) == {mine.pk, theirs.pk}
        assert not community_selectors.post_comments(viewer=member, post=mine).exists()
        assert community_selectors.post_comments(viewer=third_member, post=mine).count() == 1

    def test_blocked_members_cannot_comment_on_each_others_posts_or_join_walks(self, member, other_member):
        post = PostFactory(author=member)
        walk = WalkFactory(host=member)
        services.block_add(member=other_member, other=member)
        with pytest.raises(MemberBlocked):
            community_services.comment_create(post_id=post.pk, author=other_member, text="안녕")
        with pytest.raises(MemberBlocked):
            walk_services.walk_join(walk_id=walk.pk, member=other_member)
        assert not Comment.objects.exists()

    def test_muting_hides_posts_from_the_muter_only(self, member, other_member):
        post = PostFactory(author=other_member)
        services.mute_add(member=member, other=other_member)
        assert not community_selectors.feed_posts(viewer=member, feed="latest").filter(pk=post.pk).exists()
        assert community_selectors.feed_posts(viewer=other_member, feed="latest").filter(pk=post.pk).exists()
        assert community_services.follow_add(follower=member, following=other_member)
        services.mute_remove(member=member, other=other_member)
        assert not Mute.objects.exists()

    def test_unblocking_and_unmuting_show_the_member_again_in_as_many_queries(self, member, other_member):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        post = PostFactory(author=other_member)
        queries = {True: set(), False: set()}  # by whether the post is listed (its photos are fetched)

        def shown():
            with CaptureQueriesContext(connection) as captured:
                posts = list(community_selectors.feed_posts(viewer=member, feed="latest"))
            listed = post.pk in [seen.pk for seen in posts]
            queries[listed].add(len(captured))  # the blocks and mutes are read in the list's own query
            return listed

        assert shown()  # (the first list fills the caches)
        queries[True].clear()
        assert shown()
        services.block_add(member=other_member, other=member)
        assert not shown()
        services.block_remove(member=other_member, other=member)
        assert shown()
        services.mute_add(member=member, other=other_member)
        assert not shown()
        services.mute_remove(member=member, other=other_member)
        assert shown()
        assert [len(counts) for counts in queries.values()] == [1, 1]

    def test_nobody_can_block_or_mute_themselves(self, member):
        with pytest.raises(ValidationError):
            services.block_add(member=member, other=member)
        with pytest.raises(ValidationError):
            services.mute_add(member=member, other=member)
        assert not Block.objects.exists()
        assert not Mute.objects.exists()
