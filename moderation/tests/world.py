"""A small site full of real things, for trying every door (moderation/tests/doors.py).

``me`` is the member who acts: they own a post, comments, pets, walks (with members), walks they
joined, a direct conversation with ``them``, moderators' notices and a World Cup game in play.
``them`` and ``newcomer`` are the other side of a block: ``them`` owns what ``me`` may act on
(a post, a comment, a pet, an open walk) and ``newcomer`` is someone ``me`` has never written to.
Whatever a door removes exists once per door (``api`` and ``page``), so every door can succeed
in the same run.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from chat import services as chat_services
from community import services as community_services
from community.tests.factories import CommentFactory, PostFactory, image_upload
from core import services as core_services
from moderation import services as moderation_services
from moderation.models import Action, ActionKind
from pets.tests.factories import PetFactory
from walks.tests.factories import WalkFactory
from worldcup import services as worldcup_services
from worldcup.models import month_start
from worldcup.services import previous_month
from worldcup.tests.factories import make_event, small_photo

SUSPENSION_REASON = "도배 금지 기간"


@dataclass
class PerDoor:
    """One thing for the API's door and one for the page's."""

    api: object
    page: object


class Sides:
    """``me`` and the other side of a block (``them``, ``newcomer``), in the worlds below."""

    def suspend(self) -> Action:
        """Suspends ``me`` for three days, as a moderator's decision would."""
        self.suspension = Action.objects.create(
            kind=ActionKind.SUSPEND,
            member=self.me,
            reason=SUSPENSION_REASON,
            until=timezone.now() + timedelta(days=3),
        )
        return self.suspension

    def block(self, *, by_me: bool) -> None:
        """A block between ``me`` and the other side (``them`` and ``newcomer``), made by either."""
        for other in (self.them, self.newcomer):
            blocker, blocked = (self.me, other) if by_me else (other, self.me)
            moderation_services.block_add(member=blocker, other=blocked)

    def unblock(self, *, by_me: bool) -> None:
        """Lifts what ``block`` made."""
        for other in (self.them, self.newcomer):
            blocker, blocked = (self.me, other) if by_me else (other, self.me)
            moderation_services.block_remove(member=blocker, other=blocked)


@dataclass
class World(Sides):
    me: object
    them: object
    newcomer: object
    third: object
    fourth: object
    password: str
    post: object
    posts_to_delete: PerDoor
    comment: object
    comments_to_delete: PerDoor
    pet: object
    pets_to_delete: PerDoor
    uploads_to_delete: PerDoor  # photos chosen in a form, to take out before sending it
    walk: object  # hosted by me; third and fourth joined
    walks_to_cancel: PerDoor
    walks_to_delete: PerDoor
    joined_walks: PerDoor  # hosted by third; me joined
    room: object  # me and them
    messages_to_delete: PerDoor
    notices: PerDoor  # warnings to appeal
    event: object  # me's game is in play here; me has not entered
    other_event: object  # nobody plays yet; me has not entered
    game: object
    their_post: object
    their_comment: object  # on third_post
    their_pet: object
    their_walk: object
    third_post: object
    suspension: Action | None = None


@dataclass
class ChatWorld(Sides):
    """Enough for the chat socket: ``me`` and ``them`` talk; ``me`` sent a message to delete."""

    me: object
    them: object
    newcomer: object
    room: object
    message_to_delete: object
    suspension: Action | None = None


def _pair(make):
    return PerDoor(api=make("api"), page=make("page"))


def build_world() -> World:
    me = UserFactory(username="dubu", nickname="두부엄마")
    them = UserFactory(username="kongi", nickname="콩이아빠")
    newcomer = UserFactory(username="nabi", nickname="나비집사")
    third = UserFactory(username="bori", nickname="보리아빠")
    fourth = UserFactory(username="haru", nickname="하루언니")

    third_post = PostFactory(author=third, text="한강 산책 다녀왔어요 #산책")
    their_post = PostFactory(author=them, text="콩이 생일이에요 #생일")
    their_comment = CommentFactory(post=third_post, author=them, text="보리 귀여워요")
    pets = {
        member: PetFactory(owner=member, name=f"{member.nickname}네 강아지", photo=small_photo())
        for member in (me, them, newcomer, third, fourth)
    }

    event = make_event(title="이달의 강아지 월드컵", slug="event-doors")
    other_event = make_event(
        title="지난 강아지 월드컵", slug="event-doors-last", month=previous_month(month_start())
    )
    for member in (them, newcomer, third, fourth):
        worldcup_services.entry_create(event_id=event.pk, member=member, pet_id=pets[member].pk)
    for member in (them, third):
        worldcup_services.entry_create(event_id=other_event.pk, member=member, pet_id=pets[member].pk)

    room = chat_services.direct_room_get_or_create(member=me, other=them)
    chat_services.message_send(room_id=room.pk, sender=them, client_id="them-1", text="안녕하세요")

    def message(label):
        return chat_services.message_send(
            room_id=room.pk, sender=me, client_id=f"me-{label}", text="지울 말"
        ).message

    def warning(label):
        return Action.objects.create(kind=ActionKind.WARN, member=me, reason=f"경고 ({label})")

    community_services.follow_add(follower=third, following=me)  # a notification to mark read
    return World(
        me=me,
        them=them,
        newcomer=newcomer,
        third=third,
        fourth=fourth,
        password=DEFAULT_PASSWORD,
        post=PostFactory(author=me, text="두부랑 산책 #산책"),
        posts_to_delete=_pair(lambda label: PostFactory(author=me, text=f"지울 글 ({label})")),
        comment=CommentFactory(post=third_post, author=me, text="좋아요!"),
        comments_to_delete=_pair(
            lambda label: CommentFactory(post=third_post, author=me, text=f"지울 댓글 ({label})")
        ),
        pet=pets[me],
        pets_to_delete=_pair(lambda label: PetFactory(owner=me, name=f"지울 반려동물 {label}")),
        uploads_to_delete=_pair(
            lambda label: core_services.temporary_upload_create(owner=me, file=image_upload())
        ),
        walk=WalkFactory(host=me, joiners=[third, fourth]),
        walks_to_cancel=_pair(lambda label: WalkFactory(host=me, title=f"취소할 산책 ({label})")),
        walks_to_delete=_pair(lambda label: WalkFactory(host=me, title=f"지울 산책 ({label})")),
        joined_walks=_pair(
            lambda label: WalkFactory(host=third, title=f"같이 가는 산책 ({label})", joiners=[me])
        ),
        room=room,
        messages_to_delete=_pair(message),
        notices=_pair(warning),
        event=event,
        other_event=other_event,
        game=worldcup_services.game_start(event_id=event.pk, player=me),
        their_post=their_post,
        their_comment=their_comment,
        their_pet=pets[them],
        their_walk=WalkFactory(host=them, title="콩이랑 양재천"),
        third_post=third_post,
    )


def build_chat_world() -> ChatWorld:
    me = UserFactory(username="dubu", nickname="두부엄마")
    them = UserFactory(username="kongi", nickname="콩이아빠")
    room = chat_services.direct_room_get_or_create(member=me, other=them)
    chat_services.message_send(room_id=room.pk, sender=them, client_id="them-1", text="안녕하세요")
    mine = chat_services.message_send(room_id=room.pk, sender=me, client_id="me-1", text="지울 말").message
    return ChatWorld(
        me=me,
        them=them,
        newcomer=UserFactory(username="nabi", nickname="나비집사"),
        room=room,
        message_to_delete=mine,
    )
