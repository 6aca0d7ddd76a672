"""Every door into the site, and what each must do under a sanction (moderation/guards.py).

The doors are found, never listed by hand: every mutating operation of the OpenAPI schema
(``api_doors``), every URL pattern of the URL resolver outside the admins and the API, with the
routes of Wagtail's routable pages (``page_doors``), and every client frame type of the chat
socket (``frame_doors``).

``API_CASES``, ``PAGE_CASES`` and ``FRAME_CASES`` say how to open each door with the real things of
a ``World`` (world.py), whether a suspended member may (``allowed``: the allow-list) and what it
does to another member (``interaction``: refused across a block). A door with no case is still
tried, filled as well as can be guessed (a ``username`` is the other member): a suspended member
must get the suspension's refusal there, a page that only shows something answers POST with 405
(``require_safe``), and nothing may act on a member across a block. The checks return the doors
that break a rule, in words (``gaps``), so one run names every one of them.
"""

import contextlib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from uuid import uuid4

from channels.testing import WebsocketCommunicator
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from chat.tests.sockets import ORIGIN, Socket, session_cookie
from community.models import Post
from community.tests.factories import image_upload
from core.actions import AllowedWhileSuspended
from notifications.models import Notification, PushSubscription
from notifications.unsubscribe import unsubscribe_token
from notifications.vapid import b64url
from walks.models import SEOUL
from worldcup import selectors as worldcup_selectors

from .world import SUSPENSION_REASON, World

MUTATING = ("post", "put", "patch", "delete")
LOG_IN_OR_OUT = "log in or out"
ONLY_SHOWS = "only shows what the member may see"
SKIPPED_PREFIXES = ("admin/", "django-admin/", "api/")  # staff tools; the API has its own doors

# Doors of other projects' apps that never reach our services, open to everyone: logging in and
# out, passwords, e-mail addresses, two-factor authentication, connected accounts, the language,
# Wagtail's documents and the passwords of restricted pages and documents.
NOT_OURS = {
    "account_login",
    "account_logout",
    "account_signup",
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_reset_password_from_key",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "socialaccount_signup",
    "socialaccount_connections",
    "kakao_login",
    "kakao_callback",
    "accounts/social/login/cancelled/",
    "accounts/social/login/error/",
    "accounts/social/signup/",
    "accounts/social/connections/",
    "set_language",
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_login",
    "wagtailcore_authenticate_with_password",
}


# ------------------------------------------------------------------------------------------ doors


@dataclass(frozen=True)
class Door:
    """One way in. ``key``: "POST /api/posts/{id}/like/", "community:like",
    "walks.walkboardpage:walk_action" or "frame delete"."""

    kind: str  # "api", "page" or "frame"
    key: str
    method: str = "POST"
    guess: Callable[[World], str] | None = None  # the URL, filled by guessing (None: cannot)


def schema_document(urlconf: str | None = None) -> dict:
    """The OpenAPI document /api/schema/ serves (for another URLconf when given)."""
    with contextlib.redirect_stderr(io.StringIO()):
        schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def api_doors(document: dict) -> list[Door]:
    return [
        Door("api", f"{method.upper()} {path}", method.upper(), partial(_guess_api_path, path))
        for path, operations in document["paths"].items()
        for method in operations
        if method in MUTATING
    ]


def _guess_api_path(path: str, world: World) -> str:
    return re.sub(r"{(\w+)}", lambda match: _guess_value(match.group(1), world), path)


def _guess_value(name: str, world: World) -> str:
    """A member's handle is the other member's; any other parameter gets 1 (an id, a slug, a path)."""
    return world.them.username if name == "username" else "1"


def url_patterns(urlconf: str | None = None) -> list[tuple[str, str, URLPattern]]:
    """(route, key, pattern) of every URL pattern, includes expanded; key is the namespaced name."""

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                yield route, key, pattern

    return list(walk(get_resolver(urlconf).url_patterns, "", ()))


def page_doors(urlconf: str | None = None) -> tuple[list[Door], list[str]]:
    """The site's doors outside the admins and the API, and the gaps found without a request
    (page types that take POST without routes: they must not)."""
    doors, gaps = [], []
    for route, key, pattern in url_patterns(urlconf):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if key == "wagtail_serve":  # Wagtail's pages: their types' routes, below
            continue
        doors.append(Door("page", key, guess=partial(_guess_url, key, pattern)))
    for model in get_page_models():
        if model is Page:
            continue
        if issubclass(model, RoutablePageMixin):
            for subpage in model.get_subpage_urls():
                key = f"{model._meta.label_lower}:{subpage.name}"
                doors.append(Door("page", key, guess=partial(_guess_subpage_url, model, subpage)))
        elif "POST" in model.allowed_http_method_names():
            gaps.append(f"{model._meta.label_lower} pages take POST: give the type allowed_http_methods")
    return doors, gaps


def _guess_kwargs(pattern: URLPattern, world: World) -> dict[str, str]:
    names = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
    return {name: _guess_value(name, world) for name in names}


def _guess_url(key: str, pattern: URLPattern, world: World) -> str:
    if ":" not in key and "/" in key:  # an unnamed pattern: its route is its URL
        return "/" + key
    return reverse(key, kwargs=_guess_kwargs(pattern, world))


def _guess_subpage_url(model, subpage: URLPattern, world: World) -> str:
    page = model.objects.live().first()
    return page.url + page.reverse_subpage(subpage.name, kwargs=_guess_kwargs(subpage, world))


def frame_doors(consumer_class) -> list[Door]:
    return [Door("frame", f"frame {frame_type}") for frame_type in consumer_class.client_frames]


# ------------------------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class Call:
    url: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One way to use a door: ``call(world)`` gives the URL and data (a frame for sockets)."""

    call: Callable[[World], Call | dict]
    allowed: str | None = None  # why a suspended member may: an AllowedWhileSuspended, or LOG_IN_OR_OUT
    interaction: str | None = None  # what it does to another member: refused across a block
    acts: bool = True  # False: a variant only the block checks try (the control run shows it works)
    refused_anyway: bool = False  # tagging someone else's pet: never possible, block or not
    # A door that stays open across a block (mentions) says what must not happen instead.
    across_block: Callable[[World, object], str | None] | None = None
    last: bool = False  # leaving the site: after every other door
    answer: str | None = None  # frames: the type of the frame that answers it (None: no answer)


def _walk_fields(**overrides) -> dict:
    start = (
        (timezone.now() + timedelta(days=3))
        .astimezone(SEOUL)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    values = {
        "title": "주말 아침 산책",
        "description_html": "<p>천천히 걸어요.</p>",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=1)).isoformat(),
        "area": "역삼동",
        "meeting_place": "역삼역 3번 출구",
        "dog_sizes": ["small", "medium"],
        "host_gender": "female",
        "preferred_gender": "any",
        "capacity": 4,
    }
    return {**values, **overrides}


def _walk_form(**overrides) -> dict:
    api = _walk_fields()
    start = datetime.fromisoformat(api["start_at"])
    values = {
        "title": api["title"],
        "description": api["description_html"],
        "date": start.date().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "area": api["area"],
        "meeting_place": api["meeting_place"],
        "dog_sizes": api["dog_sizes"],
        "host_gender": api["host_gender"],
        "preferred_gender": api["preferred_gender"],
        "capacity": api["capacity"],
    }
    return {**values, **overrides}


def _route(page, name: str, *args) -> str:
    return page.url + page.reverse_subpage(name, args=list(args))


def _walk_route(walk, name: str, *args) -> str:
    return _route(walk.board, name, walk.pk, *args)


def _pick(world: World) -> dict:
    match = worldcup_selectors.current_match(game=world.game)
    return {"match": match.pk, "winner": match.entry_a_id}


def _fresh_refresh_token(world: World) -> str:
    """A refresh token, got the way apps get one (POST /api/auth/token/)."""
    response = APIClient().post(
        "/api/auth/token/", {"username": world.me.username, "password": world.password}, format="json"
    )
    return response.json()["refresh"]


def _push_subscription() -> dict:
    """What a browser sends to subscribe (a new endpoint each time: one per browser)."""
    return {
        "endpoint": f"https://fcm.googleapis.com/fcm/send/{uuid4().hex}",
        "keys": {"p256dh": b64url(b"\x04" + bytes(range(64))), "auth": b64url(bytes(range(16)))},
    }


def _push_device(world: World) -> PushSubscription:
    data = _push_subscription()
    return PushSubscription.objects.create(
        member=world.me, endpoint=data["endpoint"], name="Android · Chrome", **data["keys"]
    )


def _mention(world: World) -> str:
    return f"@{world.them.username} 같이 산책해요"


def them_not_mentioned(world: World, response) -> str | None:
    """A mention across a block changes nothing for the mentioned member: no link, no notification."""
    if not _succeeded(response):
        return f"answered {response.status_code}, where the post or comment should go up without the mention"
    if Notification.objects.filter(
        recipient=world.them, actor=world.me, kind=Notification.Kind.MENTION
    ).exists():
        return "the blocked member was notified of the mention"
    if Post.objects.filter(author=world.me, mentions=world.them).exists():
        return "the post links the blocked member"
    return None


A = AllowedWhileSuspended
API_CASES: dict[str, list[Case]] = {
    "POST /api/auth/logout/": [
        Case(lambda w: Call("/api/auth/logout/", {"refresh": _fresh_refresh_token(w)}), allowed=LOG_IN_OR_OUT)
    ],
    "POST /api/auth/token/": [
        Case(
            lambda w: Call("/api/auth/token/", {"username": w.me.username, "password": w.password}),
            allowed=LOG_IN_OR_OUT,
        )
    ],
    "POST /api/auth/token/refresh/": [
        Case(
            lambda w: Call("/api/auth/token/refresh/", {"refresh": _fresh_refresh_token(w)}),
            allowed=LOG_IN_OR_OUT,
        )
    ],
    "POST /api/chat/direct/": [
        Case(
            lambda w: Call("/api/chat/direct/", {"username": w.newcomer.username}),
            interaction="direct message",
        )
    ],
    "DELETE /api/chat/messages/{id}/": [
        Case(lambda w: Call(f"/api/chat/messages/{w.messages_to_delete.api.pk}/"))
    ],
    "PUT /api/chat/preference/": [
        Case(lambda w: Call("/api/chat/preference/", {"direct_messages": "everyone"}), allowed=A.SETTINGS)
    ],
    "POST /api/chat/rooms/{id}/messages/": [
        Case(
            lambda w: Call(
                f"/api/chat/rooms/{w.room.pk}/messages/", {"client_id": "api-1", "text": "안녕하세요"}
            ),
            interaction="direct message",
        )
    ],
    "POST /api/chat/rooms/{id}/read/": [
        Case(lambda w: Call(f"/api/chat/rooms/{w.room.pk}/read/"), allowed=A.MARK_READ)
    ],
    "PATCH /api/comments/{id}/": [
        Case(lambda w: Call(f"/api/comments/{w.comment.pk}/", {"text": "고쳤어요"}))
    ],
    "DELETE /api/comments/{id}/": [Case(lambda w: Call(f"/api/comments/{w.comments_to_delete.api.pk}/"))],
    "POST /api/members/{username}/block/": [
        Case(lambda w: Call(f"/api/members/{w.third.username}/block/"), allowed=A.BLOCK)
    ],
    "DELETE /api/members/{username}/block/": [
        Case(lambda w: Call(f"/api/members/{w.third.username}/block/"), allowed=A.BLOCK)
    ],
    "POST /api/members/{username}/follow/": [
        Case(lambda w: Call(f"/api/members/{w.them.username}/follow/"), interaction="follow")
    ],
    "DELETE /api/members/{username}/follow/": [
        Case(lambda w: Call(f"/api/members/{w.them.username}/follow/"))
    ],
    "POST /api/members/{username}/mute/": [
        Case(lambda w: Call(f"/api/members/{w.third.username}/mute/"), allowed=A.MUTE)
    ],
    "DELETE /api/members/{username}/mute/": [
        Case(lambda w: Call(f"/api/members/{w.third.username}/mute/"), allowed=A.MUTE)
    ],
    "POST /api/moderation/notices/{id}/appeal/": [
        Case(
            lambda w: Call(f"/api/moderation/notices/{w.notices.api.pk}/appeal/", {"text": "다시 봐 주세요"}),
            allowed=A.APPEAL,
        )
    ],
    "POST /api/notifications/mark-read/": [
        Case(lambda w: Call("/api/notifications/mark-read/"), allowed=A.MARK_READ)
    ],
    "POST /api/push/subscriptions/": [
        Case(lambda w: Call("/api/push/subscriptions/", _push_subscription()), allowed=A.SETTINGS)
    ],
    "PATCH /api/push/subscriptions/{id}/": [
        Case(
            lambda w: Call(f"/api/push/subscriptions/{_push_device(w).pk}/", {"name": "내 폰"}),
            allowed=A.SETTINGS,
        )
    ],
    "DELETE /api/push/subscriptions/{id}/": [
        Case(lambda w: Call(f"/api/push/subscriptions/{_push_device(w).pk}/"), allowed=A.SETTINGS)
    ],
    "POST /api/pets/": [Case(lambda w: Call("/api/pets/", {"name": "새 친구", "species": "cat"}))],
    "PATCH /api/pets/{id}/": [Case(lambda w: Call(f"/api/pets/{w.pet.pk}/", {"intro": "산책을 좋아해요"}))],
    "DELETE /api/pets/{id}/": [Case(lambda w: Call(f"/api/pets/{w.pets_to_delete.api.pk}/"))],
    "POST /api/posts/": [
        Case(lambda w: Call("/api/posts/", {"text": "오늘도 산책 #산책"})),
        Case(
            lambda w: Call("/api/posts/", {"text": _mention(w)}),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
        Case(
            lambda w: Call("/api/posts/", {"text": "같이 찍었어요", "pets": [w.their_pet.pk]}),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
    ],
    "PATCH /api/posts/{id}/": [
        Case(lambda w: Call(f"/api/posts/{w.post.pk}/", {"text": "고쳐 썼어요"})),
        Case(
            lambda w: Call(f"/api/posts/{w.post.pk}/", {"text": _mention(w)}),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
    ],
    "PUT /api/drafts/post/": [Case(lambda w: Call("/api/drafts/post/", {"text": "쓰다 만 글"}))],
    "DELETE /api/drafts/post/": [Case(lambda w: Call("/api/drafts/post/"))],
    "DELETE /api/posts/{id}/": [Case(lambda w: Call(f"/api/posts/{w.posts_to_delete.api.pk}/"))],
    "POST /api/posts/{id}/comments/": [
        Case(
            lambda w: Call(f"/api/posts/{w.their_post.pk}/comments/", {"text": "축하해요"}),
            interaction="comment",
        ),
        Case(
            lambda w: Call(
                f"/api/posts/{w.third_post.pk}/comments/", {"text": "맞아요", "parent": w.their_comment.pk}
            ),
            interaction="reply",
            acts=False,
        ),
        Case(
            lambda w: Call(f"/api/posts/{w.third_post.pk}/comments/", {"text": _mention(w)}),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
    ],
    "POST /api/posts/{id}/like/": [
        Case(lambda w: Call(f"/api/posts/{w.their_post.pk}/like/"), interaction="like")
    ],
    "DELETE /api/posts/{id}/like/": [Case(lambda w: Call(f"/api/posts/{w.their_post.pk}/like/"))],
    "POST /api/privacy/consent/": [
        Case(lambda w: Call("/api/privacy/consent/", {"agreed": []}), allowed=A.CONSENT)
    ],
    "POST /api/reports/": [
        Case(
            lambda w: Call(
                "/api/reports/", {"target_type": "post", "object_id": w.their_post.pk, "reason": "spam"}
            ),
            allowed=A.REPORT,
        )
    ],
    "POST /api/walks/": [
        Case(lambda w: Call("/api/walks/", {"board": w.walk.board_id, **_walk_fields()})),
        Case(
            lambda w: Call("/api/walks/", {"board": w.walk.board_id, **_walk_fields(pets=[w.their_pet.pk])}),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
    ],
    "PATCH /api/walks/{id}/": [
        Case(lambda w: Call(f"/api/walks/{w.walk.pk}/", {"title": "아침 산책으로 바꿔요"}))
    ],
    "DELETE /api/walks/{id}/": [Case(lambda w: Call(f"/api/walks/{w.walks_to_delete.api.pk}/"))],
    "POST /api/walks/{id}/cancel/": [Case(lambda w: Call(f"/api/walks/{w.walks_to_cancel.api.pk}/cancel/"))],
    "POST /api/walks/{id}/close/": [Case(lambda w: Call(f"/api/walks/{w.walk.pk}/close/"))],
    "POST /api/walks/{id}/join/": [
        Case(lambda w: Call(f"/api/walks/{w.their_walk.pk}/join/"), interaction="join a walk")
    ],
    "POST /api/walks/{id}/leave/": [
        Case(lambda w: Call(f"/api/walks/{w.joined_walks.api.pk}/leave/"), allowed=A.LEAVE)
    ],
    "DELETE /api/walks/{id}/participants/{member_id}/": [
        Case(lambda w: Call(f"/api/walks/{w.walk.pk}/participants/{w.third.pk}/"))
    ],
    "POST /api/walks/{id}/reopen/": [Case(lambda w: Call(f"/api/walks/{w.walk.pk}/reopen/"))],
    "POST /api/worldcup/events/{id}/entries/": [
        Case(lambda w: Call(f"/api/worldcup/events/{w.event.pk}/entries/", {"pet": w.pet.pk})),
        Case(
            lambda w: Call(f"/api/worldcup/events/{w.other_event.pk}/entries/", {"pet": w.their_pet.pk}),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
    ],
    "POST /api/worldcup/events/{id}/games/": [
        Case(lambda w: Call(f"/api/worldcup/events/{w.event.pk}/games/"))
    ],
    "POST /api/worldcup/games/{id}/picks/": [
        Case(lambda w: Call(f"/api/worldcup/games/{w.game.pk}/picks/", _pick(w)))
    ],
}

# What a destructive form sends once the member confirmed it (core/confirm.py).
CONFIRMED = {"confirm": "yes"}

PAGE_CASES: dict[str, list[Case]] = {
    "accounts:profile_edit": [
        Case(lambda w: Call(reverse("accounts:profile_edit"), {"nickname": "두부맘", "bio": "두부랑 살아요"}))
    ],
    "privacy:consent": [Case(lambda w: Call(reverse("privacy:consent")), allowed=A.CONSENT)],
    "privacy:delete": [
        Case(
            lambda w: Call(
                reverse("privacy:delete"), {"password": w.password, "content": "keep", "confirm": "on"}
            ),
            allowed=A.LEAVE,
            last=True,
        )
    ],
    "privacy:export_request": [
        Case(lambda w: Call(reverse("privacy:export_request")), allowed=A.DATA_EXPORT)
    ],
    "notifications:settings": [
        Case(lambda w: Call(reverse("notifications:settings"), {"likes_on_site": "on"}), allowed=A.SETTINGS)
    ],
    "notifications:unsubscribe": [
        Case(
            lambda w: Call(reverse("notifications:unsubscribe", args=[unsubscribe_token(w.me)])),
            allowed=A.SETTINGS,
        )
    ],
    "community:post_create": [
        Case(lambda w: Call(reverse("community:post_create"), {"text": "오늘도 산책 #산책"})),
        Case(
            lambda w: Call(reverse("community:post_create"), {"text": _mention(w)}),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
        Case(
            lambda w: Call(
                reverse("community:post_create"), {"text": "같이 찍었어요", "pets": [w.their_pet.pk]}
            ),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
    ],
    "community:post_edit": [
        Case(lambda w: Call(reverse("community:post_edit", args=[w.post.pk]), {"text": "고쳐 썼어요"})),
        Case(
            lambda w: Call(reverse("community:post_edit", args=[w.post.pk]), {"text": _mention(w)}),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
    ],
    "community:post_delete": [
        Case(lambda w: Call(reverse("community:post_delete", args=[w.posts_to_delete.page.pk]), CONFIRMED))
    ],
    "community:like": [
        Case(lambda w: Call(reverse("community:like", args=[w.their_post.pk])), interaction="like"),
        Case(lambda w: Call(reverse("community:like", args=[w.their_post.pk]), {"action": "unlike"})),
    ],
    "community:comment_create": [
        Case(
            lambda w: Call(reverse("community:comment_create", args=[w.their_post.pk]), {"text": "축하해요"}),
            interaction="comment",
        ),
        Case(
            lambda w: Call(
                reverse("community:comment_create", args=[w.third_post.pk]),
                {"text": "맞아요", "parent": w.their_comment.pk},
            ),
            interaction="reply",
            acts=False,
        ),
        Case(
            lambda w: Call(
                reverse("community:comment_create", args=[w.third_post.pk]), {"text": _mention(w)}
            ),
            interaction="mention",
            acts=False,
            across_block=them_not_mentioned,
        ),
    ],
    "community:comment_delete": [
        Case(
            lambda w: Call(
                reverse("community:comment_delete", args=[w.comments_to_delete.page.pk]), CONFIRMED
            )
        )
    ],
    "community:follow": [
        Case(lambda w: Call(reverse("community:follow", args=[w.them.username])), interaction="follow"),
        Case(lambda w: Call(reverse("community:follow", args=[w.them.username]), {"action": "unfollow"})),
    ],
    "community:notifications_read": [
        Case(lambda w: Call(reverse("community:notifications_read")), allowed=A.MARK_READ)
    ],
    "core:upload": [Case(lambda w: Call(reverse("core:upload"), {"photo": image_upload()}))],
    "core:upload_delete": [
        Case(lambda w: Call(reverse("core:upload_delete", args=[w.uploads_to_delete.page.key])))
    ],
    "pets:new": [
        Case(lambda w: Call(reverse("pets:new"), {"name": "새 친구", "species": "cat", "sex": "unknown"}))
    ],
    "pets:edit": [
        Case(
            lambda w: Call(
                reverse("pets:edit", args=[w.pet.pk]), {"name": w.pet.name, "species": "dog", "sex": "female"}
            )
        )
    ],
    "pets:delete": [Case(lambda w: Call(reverse("pets:delete", args=[w.pets_to_delete.page.pk])))],
    "chat:settings": [
        Case(lambda w: Call(reverse("chat:settings"), {"direct_messages": "everyone"}), allowed=A.SETTINGS)
    ],
    "chat:send": [
        Case(
            lambda w: Call(
                reverse("chat:send", args=[w.room.pk]), {"client_id": "page-1", "text": "안녕하세요"}
            ),
            interaction="direct message",
        )
    ],
    "chat:delete": [
        Case(lambda w: Call(reverse("chat:delete", args=[w.messages_to_delete.page.pk]), CONFIRMED))
    ],
    "chat:direct": [
        Case(lambda w: Call(reverse("chat:direct", args=[w.newcomer.username])), interaction="direct message")
    ],
    "moderation:report": [
        Case(
            lambda w: Call(reverse("moderation:report", args=["post", w.their_post.pk]), {"reason": "spam"}),
            allowed=A.REPORT,
        )
    ],
    "moderation:block": [
        Case(lambda w: Call(reverse("moderation:block", args=[w.third.username])), allowed=A.BLOCK),
        Case(
            lambda w: Call(reverse("moderation:block", args=[w.third.username]), {"action": "unblock"}),
            allowed=A.BLOCK,
        ),
    ],
    "moderation:mute": [
        Case(lambda w: Call(reverse("moderation:mute", args=[w.third.username])), allowed=A.MUTE),
        Case(
            lambda w: Call(reverse("moderation:mute", args=[w.third.username]), {"action": "unmute"}),
            allowed=A.MUTE,
        ),
    ],
    "moderation:appeal": [
        Case(
            lambda w: Call(
                reverse("moderation:appeal", args=[w.notices.page.pk]), {"text": "다시 봐 주세요"}
            ),
            allowed=A.APPEAL,
        )
    ],
    "walks.walkboardpage:walk_create": [
        Case(lambda w: Call(_route(w.walk.board, "walk_create"), _walk_form())),
        Case(
            lambda w: Call(_route(w.walk.board, "walk_create"), _walk_form(pets=[w.their_pet.pk])),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
    ],
    "walks.walkboardpage:walk_edit": [Case(lambda w: Call(_walk_route(w.walk, "walk_edit"), _walk_form()))],
    "walks.walkboardpage:walk_delete": [
        Case(lambda w: Call(_walk_route(w.walks_to_delete.page, "walk_delete")))
    ],
    "walks.walkboardpage:walk_remove_participant": [
        Case(lambda w: Call(_walk_route(w.walk, "walk_remove_participant", w.fourth.pk)))
    ],
    "walks.walkboardpage:walk_action": [
        Case(lambda w: Call(_walk_route(w.their_walk, "walk_action", "join")), interaction="join a walk"),
        Case(
            lambda w: Call(_walk_route(w.joined_walks.page, "walk_action", "leave"), CONFIRMED),
            allowed=A.LEAVE,
        ),
        Case(lambda w: Call(_walk_route(w.walk, "walk_action", "close"))),
        Case(lambda w: Call(_walk_route(w.walk, "walk_action", "reopen"))),
        Case(lambda w: Call(_walk_route(w.walks_to_cancel.page, "walk_action", "cancel"), CONFIRMED)),
    ],
    "worldcup.worldcupeventpage:enter": [
        Case(
            lambda w: Call(_route(w.other_event, "enter"), {"pet": w.their_pet.pk}),
            interaction="tag a pet",
            acts=False,
            refused_anyway=True,
        ),
        Case(lambda w: Call(_route(w.other_event, "enter"), {"pet": w.pet.pk})),
    ],
    "worldcup.worldcupeventpage:play": [Case(lambda w: Call(_route(w.other_event, "play")))],
    "worldcup.worldcupeventpage:pick": [Case(lambda w: Call(_route(w.event, "pick"), _pick(w)))],
}


# ------------------------------------------------------------------------------------------ calls


def _succeeded(response) -> bool:
    """2xx, or a page's redirect that carries no error message."""
    if response.status_code in (301, 302, 303) and getattr(response, "wsgi_request", None) is not None:
        return not any(
            message.level >= message_levels.ERROR for message in get_messages(response.wsgi_request)
        )
    return 200 <= response.status_code < 300


def _refused_as_suspended(door: Door, response) -> bool:
    if response.status_code != 403:
        return False
    if door.kind == "api":
        return response.json().get("code") == "suspended"
    return SUSPENSION_REASON in response.content.decode()


def _refused(response) -> bool:
    return response.status_code in (400, 403, 404)


def call_door(door: Door, world: World, call: Call):
    if door.kind == "api":
        client = APIClient()
        client.force_authenticate(world.me)
        return getattr(client, door.method.lower())(call.url, call.data, format="json")
    client = Client()
    client.force_login(world.me)
    return client.post(call.url, call.data)


def _described(door: Door, case: Case | None, response) -> str:
    what = f" ({case.interaction})" if case is not None and case.interaction else ""
    return f"{door.key}{what}: answered {response.status_code}"


def _planned(doors: Iterable[Door], cases: dict[str, list[Case]], keep: Callable[[Case], bool]):
    """(door, case or None) in door order, the ``last`` cases at the end; None: no case."""
    first, last = [], []
    for door in doors:
        if door.key in NOT_OURS:
            continue
        known = cases.get(door.key)
        if known is None:
            first.append((door, None))
            continue
        for case in known:
            if keep(case):
                (last if case.last else first).append((door, case))
    return first + last


def _guessed_call(door: Door, world: World) -> Call | None:
    try:
        return Call(door.guess(world))
    except Exception:  # a URL it cannot fill (no live page of the type, a converter it cannot guess)
        return None


# ------------------------------------------------------------------------------------------ checks


def control_gaps(world: World, doors: Iterable[Door], cases: dict[str, list[Case]]) -> list[str]:
    """A member in good standing, with nobody blocked: every case works (tagging someone else's pet
    never does), and every door has cases unless it only shows something (405)."""
    gaps = []
    for door, case in _planned(doors, cases, keep=lambda case: True):
        if case is None:
            call = _guessed_call(door, world)
            if call is None:
                gaps.append(f"{door.key}: no case, and its URL cannot be guessed")
                continue
            response = call_door(door, world, call)
            if response.status_code != 405:
                gaps.append(f"{_described(door, None, response)} to POST: give it a case or require_safe")
            continue
        response = call_door(door, world, case.call(world))
        if case.refused_anyway:
            if not _refused(response):
                gaps.append(f"{_described(door, case, response)}, where it is never possible")
        elif not _succeeded(response):
            gaps.append(f"{_described(door, case, response)}, where a member in good standing succeeds")
    return gaps


def suspension_gaps(world: World, doors: Iterable[Door], cases: dict[str, list[Case]]) -> list[str]:
    """``world.me`` is suspended: every door refuses with the suspension (403, the reason) except
    the allow-list, where the member succeeds; a page that only shows something answers 405."""
    gaps = []
    for door, case in _planned(doors, cases, keep=lambda case: case.acts):
        call = case.call(world) if case is not None else _guessed_call(door, world)
        if call is None:
            gaps.append(f"{door.key}: its URL cannot be guessed, so it cannot be tried")
            continue
        response = call_door(door, world, call)
        if case is not None and case.allowed:
            if not _succeeded(response):
                gaps.append(
                    f"{_described(door, case, response)}, where a suspended member may ({case.allowed})"
                )
        elif not _refused_as_suspended(door, response) and not (
            door.kind == "page" and response.status_code == 405
        ):
            gaps.append(f"{_described(door, case, response)}, where a suspended member is refused")
    return gaps


def block_gaps(world: World, doors: Iterable[Door], cases: dict[str, list[Case]]) -> list[str]:
    """A block stands between ``world.me`` and the other side: every door that acts on another
    member is refused (or, for mentions, reaches nobody). A door without a case, filled with the
    other member, must not succeed either."""
    gaps = []
    for door, case in _planned(doors, cases, keep=lambda case: case.interaction is not None):
        if case is None:
            call = _guessed_call(door, world)
            if call is None:
                gaps.append(f"{door.key}: its URL cannot be guessed, so it cannot be tried")
                continue
            response = call_door(door, world, call)
            if _succeeded(response):
                gaps.append(f"{_described(door, None, response)} across a block")
            continue
        response = call_door(door, world, case.call(world))
        if case.across_block is not None:
            problem = case.across_block(world, response)
            if problem:
                gaps.append(f"{door.key} ({case.interaction}): {problem}")
        elif not _refused(response):
            gaps.append(f"{_described(door, case, response)} across a block")
    return gaps


# ------------------------------------------------------------------------------------------ the socket

FRAME_CASES: dict[str, list[Case]] = {
    "frame message": [
        Case(
            lambda w: {"type": "message", "client_id": f"frame-{uuid4().hex}", "text": "안녕하세요"},
            interaction="direct message",
            answer="ack",
        )
    ],
    "frame delete": [
        Case(lambda w: {"type": "delete", "message_id": w.message_to_delete.pk}, answer="deleted")
    ],
    "frame read": [
        Case(lambda w: {"type": "read", "message_id": w.message_to_delete.pk}, allowed=A.MARK_READ)
    ],
    "frame load_older": [
        Case(lambda w: {"type": "load_older", "before": 2**31}, allowed=ONLY_SHOWS, answer="older")
    ],
    "frame load_newer": [
        Case(lambda w: {"type": "load_newer", "after": 0}, allowed=ONLY_SHOWS, answer="newer")
    ],
    # Shown to the others only (no answer to the one typing); across a block the 1:1 room is shut.
    "frame typing": [Case(lambda w: {"type": "typing"}, interaction="typing indicator")],
}


async def _frame_answer(application, world, frame: dict) -> dict | None:
    """The first frame the server sends back on a fresh socket of ``world.me`` (None: nothing;
    ``{"type": "closed", "code": …}``: the socket was closed at the handshake, so no frame can be
    sent at all — a 1:1 room closes to both members while either blocks the other)."""
    cookie = (b"cookie", f"sessionid={await session_cookie(world.me)}".encode())
    path = f"/ws/chat/{world.room.pk}/"
    socket = await Socket(WebsocketCommunicator(application, path, headers=[ORIGIN, cookie])).open()
    if socket.close_code is not None:
        return {"type": "closed", "code": socket.close_code}
    try:
        await socket.send(**frame)
        if await socket.nothing(timeout=0.5):
            return None
        return await socket.receive()
    finally:
        await socket.close()


def _frame_succeeded(case: Case, answer: dict | None) -> bool:
    if case.answer is None:
        return answer is None
    return answer is not None and answer["type"] == case.answer


async def frame_gaps(
    mode: str, world, consumer_class, application, cases: dict[str, list[Case]]
) -> list[str]:
    """Every client frame type of ``consumer_class``, sent by ``world.me`` in their direct room.

    ``mode``: "control" (every case gets its answer; every frame type has a case), "suspended"
    (refused with the ``suspended`` error but on the allow-list) or "blocked" (a frame acting on
    the other member gets an error). A frame type without a case is sent as ``{"type": ...}``."""
    gaps = []
    for door in frame_doors(consumer_class):
        frame_type = door.key.removeprefix("frame ")
        known = cases.get(door.key)
        if known is None:
            if mode == "control":
                gaps.append(f"{door.key}: no case")
                continue
            answer = await _frame_answer(application, world, {"type": frame_type})
            refused = answer is not None and answer["type"] in {"error", "closed"}
            if mode == "suspended":
                refused = refused and answer["code"] == "suspended"
            if not refused:
                gaps.append(f"{door.key}: answered {answer}, where it is refused")
            continue
        for case in known:
            if mode == "blocked" and case.interaction is None:
                continue
            answer = await _frame_answer(application, world, case.call(world))
            if mode == "control" or (mode == "suspended" and case.allowed):
                if not _frame_succeeded(case, answer):
                    gaps.append(f"{door.key}: answered {answer}, where it succeeds")
            elif mode == "suspended" and not (
                answer and answer["type"] == "error" and answer["code"] == "suspended"
            ):
                gaps.append(f"{door.key}: answered {answer}, where a suspended member is refused")
            elif mode == "blocked" and not (answer and answer["type"] in {"error", "closed"}):
                gaps.append(f"{door.key} ({case.interaction}): answered {answer} across a block")
    return gaps


# ------------------------------------------------------------------------------------------ the schema

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_ITSELF = {"api-schema": "the schema", "api-docs": "the schema's reader"}


def _shape(path: str) -> str:
    """A path with its parameters unnamed: /api/posts/<id:pk>/ and /api/posts/{id}/ match."""
    return re.sub(r"<[^>]+>|{[^}]+}", "{}", path)


def schema_gaps(urlconf: str | None = None) -> list[str]:
    """Each method of each /api/ URL pattern that the OpenAPI schema does not document."""
    documented = {
        (_shape(path), method)
        for path, operations in schema_document(urlconf)["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }
    gaps = []
    for route, key, pattern in url_patterns(urlconf):
        if not route.startswith("api/") or key in SCHEMA_ITSELF:
            continue
        view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        if view_class is None:
            gaps.append(f"/{route}: a function view, which the schema cannot describe")
            continue
        for method in HTTP_METHODS:
            if hasattr(view_class, method) and (_shape(f"/{route}"), method) not in documented:
                gaps.append(f"{method.upper()} /{route}")
    return gaps
