from pathlib import Path, PurePosixPath

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from accounts.tests.factories import UserFactory
from chat import services as chat_services
from community import services as community_services
from community.models import Comment, Post
from community.tests.factories import CommentFactory, PostFactory, image_upload
from moderation import services as moderation_services
from moderation.tests.factories import report
from notifications.models import Notification
from pets.models import Pet
from pets.tests.factories import PetFactory
from privacy import services
from privacy.models import Consent, LegalDocument, RetiredUsername
from privacy.tests.factories import legal_page
from walks.models import Walk
from walks.tests.factories import WalkFactory
from worldcup import services as worldcup_services
from worldcup.models import Entry, Game
from worldcup.tests.factories import enter, enter_many, make_event, play

NOT_TEXT = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
    models.BooleanField,
    models.DateField,
    models.TimeField,
    models.DurationField,
    models.UUIDField,
    models.ForeignKey,
    models.BinaryField,
)


def identifying_rows(needles: list[str]) -> list[str]:
    """Every row of every installed model whose text (any column read as text, JSON and
    PostgreSQL search vectors included) holds one of the needles."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        columns = {
            f"as_text_{field.attname}": Cast(field.attname, output_field=models.TextField())
            for field in model._meta.concrete_fields
            if not isinstance(field, NOT_TEXT)
        }
        if not columns:
            continue
        for row in model._base_manager.annotate(**columns).values_list("pk", *columns):
            text = " ".join(str(value) for value in row[1:] if value is not None)
            found.extend(f"{model._meta.label} #{row[0]}: {needle}" for needle in needles if needle in text)
    return found


@pytest.fixture
def busy_member(member, other_member, django_capture_on_commit_callbacks):
    """A member who has done a bit of everything."""
    with django_capture_on_commit_callbacks(execute=True):
        community_services_profile(member)
        assert EmailAddress.objects.filter(user=member, email=member.email, verified=True).exists()
        post = PostFactory(author=member, text="우리 두부 산책 #산책", photos=1)
        PostFactory(author=member, text="숨겨진 글", is_hidden=True)
        their_post = PostFactory(author=other_member, text="콩이 사진")
        CommentFactory(post=their_post, author=member, text="예뻐요")
        CommentFactory(post=post, author=other_member, text="고마워요")
        community_services.like_add(post_id=their_post.pk, member=member)
        community_services.like_add(post_id=post.pk, member=other_member)
        community_services.follow_add(follower=member, following=other_member)
        community_services.follow_add(follower=other_member, following=member)
        PetFactory(owner=member, name="두부")
        WalkFactory(host=member, title="두부랑 산책", meeting_place="우리집 앞 놀이터")
        WalkFactory(host=other_member, joiners=[member])
        room = chat_services.direct_room_get_or_create(member=member, other=other_member)
        chat_services.message_send(
            room_id=room.pk, sender=member, client_id="c-1", text="안녕하세요, 산책 같이 가요"
        )
        Consent.objects.create(member=member, document=LegalDocument.TERMS, version=1, required=True)
        stranger = UserFactory()
        moderation_services.block_add(member=member, other=stranger)
        moderation_services.mute_add(member=UserFactory(), other=member)
        report(member, their_post, text="광고 같아요")
        event = make_event()
        enter(event, name="두부", member=member)
        enter_many(event, 2)
        play(event, member)
        community_services.draft_save(member=member, text=f"{member.nickname}의 쓰다 만 글")
    return member


def community_services_profile(member) -> None:
    from accounts.services import member_update_profile

    member_update_profile(
        member=member, nickname=member.nickname, bio="두부와 사는 사람", avatar=image_upload()
    )
    member.refresh_from_db()


def needles_of(member) -> list[str]:
    return [member.username, member.email, member.nickname, PurePosixPath(member.avatar.name).stem]


@pytest.mark.django_db
class TestMemberDelete:
    @pytest.mark.parametrize("delete_content", [True, False], ids=["delete-content", "keep-content"])
    def test_nothing_identifying_remains_in_any_table(
        self, busy_member, delete_content, django_capture_on_commit_callbacks
    ):
        needles = needles_of(busy_member)
        assert identifying_rows(needles), "the scan finds the member before deletion"

        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=busy_member, delete_content=delete_content)

        assert identifying_rows(needles) == []

    def test_world_cup_entries_keep_their_results_without_the_member(
        self, busy_member, django_capture_on_commit_callbacks
    ):
        entry = Entry.objects.get(member=busy_member)
        game = Game.objects.get(player=busy_member)

        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=busy_member, delete_content=True)

        entry.refresh_from_db()
        game.refresh_from_db()
        assert entry.member is None
        assert entry.pet_name == "두부"
        assert entry.is_withdrawn, "an entry of an open event leaves new games"
        assert game.player is None
        assert game.counted, "other entries' results stay as they were"

    def test_world_cup_notifications_are_erased_with_the_member(
        self, member, django_capture_on_commit_callbacks
    ):
        event = make_event()
        enter(event, name="두부", member=member)
        enter_many(event, 2)
        play(event, UserFactory())
        worldcup_services.event_close(event_id=event.pk)
        assert Notification.objects.filter(recipient=member, kind="worldcup_result").exists()

        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=member, delete_content=False)

        assert not Notification.objects.filter(recipient=member).exists()

    def test_deleting_content_removes_posts_comments_and_photo_files_but_keeps_hidden_evidence(
        self, busy_member, other_member, django_capture_on_commit_callbacks
    ):
        photo = Post.objects.filter(author=busy_member).exclude(photos=None).get().photos.get()
        avatar_path = busy_member.avatar.path

        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=busy_member, delete_content=True)

        assert list(Post.objects.filter(author=busy_member).values_list("text", "is_hidden")) == [
            ("숨겨진 글", True)
        ]
        assert not Comment.objects.filter(author=busy_member).exclude(text="").exists()
        assert not photo.full.storage.exists(photo.full.name)
        assert not Path(avatar_path).exists()
        their_post = Post.objects.get(author=other_member)
        assert (their_post.like_count, their_post.comment_count) == (0, 0)
        assert not Pet.objects.filter(owner=busy_member).exists()
        assert not Walk.objects.filter(host=busy_member).exists()

    def test_keeping_content_leaves_posts_under_an_anonymous_account_that_cannot_sign_in(
        self, busy_member, client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=busy_member, delete_content=False)

        account = User.objects.get(pk=busy_member.pk)
        assert Post.objects.filter(author=account).count() == 2
        assert not account.is_active
        assert not account.has_usable_password()
        assert account.username.startswith("deleted_")
        with translation.override("en"):
            assert account.display_name == "Former member"
        assert not client.login(username="dubu", password="산책가자-walk-2026")
        assert not Notification.objects.filter(recipient=account).exists()

    def test_the_username_is_retired_for_30_days(self, busy_member, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.member_delete(member=busy_member, delete_content=True)

        assert services.username_is_retired("dubu")
        assert services.username_is_retired("DUBU")
        assert not services.username_is_retired("kongi")
        retired = RetiredUsername.objects.get()
        assert "dubu" not in retired.digest


@pytest.mark.django_db
class TestConsentRecord:
    def test_records_the_current_version_of_each_agreed_document(self, member):
        legal_page(LegalDocument.TERMS, version=3)
        legal_page(LegalDocument.MARKETING, required=False)

        services.consent_record(member=member, agreed=["terms", "marketing"])

        assert set(Consent.objects.filter(member=member).values_list("document", "version", "required")) == {
            ("terms", 3, True),
            ("marketing", 1, False),
        }

    def test_refuses_without_every_required_document_and_records_nothing(self, member):
        legal_page(LegalDocument.TERMS)
        legal_page(LegalDocument.PRIVACY)

        with pytest.raises(ValidationError, match="개인정보 처리방침"):
            services.consent_record(member=member, agreed=["terms"])

        assert not Consent.objects.exists()

    def test_a_new_version_needs_a_new_agreement(self, member):
        from privacy.selectors import missing_documents

        legal_page(LegalDocument.TERMS, version=1)
        services.consent_record(member=member, agreed=["terms"])
        assert missing_documents(member=member) == []

        legal_page(LegalDocument.TERMS, version=2)

        assert [page.version for page in missing_documents(member=member)] == [2]


@pytest.mark.django_db
@pytest.mark.parametrize("delete_content", [False, True], ids=["keep-content", "delete-content"])
def test_erasing_likes_and_comments_takes_the_same_queries_for_one_post_or_many(
    delete_content, django_capture_on_commit_callbacks
):
    """Likes and comments on other members' posts are taken off their counts in one statement each,
    however many there are."""

    def active_member(posts: int):
        member = UserFactory()
        for post in PostFactory.create_batch(posts):
            community_services.like_add(post_id=post.pk, member=member)
            CommentFactory(post=post, author=member)
            CommentFactory(post=post, author=member)
            Post.objects.filter(pk=post.pk).update(comment_count=2)
        return member

    def queries(member) -> int:
        with (
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as captured,
        ):
            services.member_delete(member=member, delete_content=delete_content)
        return len(captured.captured_queries)

    one = queries(active_member(1))
    many = active_member(8)
    liked = list(Post.objects.filter(likes__user=many).values_list("pk", flat=True))

    assert queries(many) == one

    counts = set(Post.objects.filter(pk__in=liked).values_list("like_count", "comment_count"))
    assert counts == {(0, 0 if delete_content else 2)}
