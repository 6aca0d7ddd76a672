"""Posts and members in search, and what the search and writing boxes suggest (search/registry.py).

Posts are found as their lists show them: never by members the viewer blocked, muted or was
blocked by. Members are suggested and mentioned only outside a block either way.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from moderation.selectors import blocked_either_way, suspended, without_blocked_and_muted
from search.korean import ParsedQuery, highlight_spans
from search.registry import SearchType, Suggestions, register, register_suggestions

from .models import Follow, Hashtag, Post
from .selectors import post_list
from .text import TOKEN_RE, linkify

# Private-use characters: linkify escapes the text around them and leaves them where they are.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


def highlighted_post_text(text: str, query: ParsedQuery) -> SafeString:
    """A post's text as its card shows it (escaped, with links), the matched words in <mark>.

    Words inside a link (#hashtag, @mention, web address) stay unmarked: a mark there would
    break the link.
    """
    if _MARK_OPEN in text or _MARK_CLOSE in text:
        return linkify(text)
    links = [match.span() for match in TOKEN_RE.finditer(text)]
    marked, position = [], 0
    for start, end in highlight_spans(text, query):
        if any(start < link_end and end > link_start for link_start, link_end in links):
            continue
        marked += [text[position:start], _MARK_OPEN, text[start:end], _MARK_CLOSE]
        position = end
    marked.append(text[position:])
    html_text = linkify("".join(marked))
    return mark_safe(html_text.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>"))  # noqa: S308


def _highlight_posts(posts: list, query: ParsedQuery) -> None:
    for post in posts:
        # The post card shows this instead of its plain text (community/post_card.html).
        post.text_highlighted = highlighted_post_text(post.text, query)


def _hashtag_uses():
    used = Q(posts__deleted_at__isnull=True, posts__is_hidden=False)
    return (
        Hashtag.objects.annotate(use_count=Count("posts", filter=used))
        .filter(use_count__gt=0)
        .order_by("-use_count", "name")
        .values_list("name", "use_count")
    )


def _suggested_members(viewer):
    members = get_user_model().objects.filter(is_active=True)
    if viewer.is_authenticated:
        members = members.exclude(blocked_either_way(viewer=viewer, author_ref="pk"))
    return members


def _mentionable_members(viewer):
    follows = Follow.objects.filter(follower=viewer, following=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk=viewer.pk)
        .exclude(blocked_either_way(viewer=viewer, author_ref="pk"))
        .exclude(suspended(member_ref="pk"))
        .annotate(followed=Exists(follows))
    )


register(
    SearchType(
        key="posts",
        label=_("Posts"),
        template="search/includes/post_result.html",
        indexed=lambda: Post.objects.filter(deleted_at__isnull=True, is_hidden=False).order_by("-created_at"),
        visible=lambda viewer: without_blocked_and_muted(Post.objects.visible_to(viewer), viewer=viewer),
        recency_field="created_at",
        load=lambda viewer, ids: post_list(viewer=viewer).filter(pk__in=ids),
        serializer="community.serializers.PostOutputSerializer",
        hashtag_filter="hashtags__name",
        watched_fields=frozenset({"text", "deleted_at", "is_hidden", "created_at"}),
        prepare=_highlight_posts,
    ),
    SearchType(
        key="members",
        label=_("Members"),
        template="search/includes/member_result.html",
        indexed=lambda: get_user_model().objects.filter(is_active=True).order_by("-date_joined"),
        visible=lambda viewer: get_user_model().objects.filter(is_active=True),
        recency_field="date_joined",
        load=lambda viewer, ids: get_user_model().objects.filter(pk__in=ids),
        serializer="accounts.serializers.MemberSummarySerializer",
        watched_fields=frozenset({"username", "nickname", "is_active", "date_joined"}),
    ),
)
register_suggestions(
    Suggestions(hashtag_uses=_hashtag_uses, members=_suggested_members, mentionable=_mentionable_members)
)
