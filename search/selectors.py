"""Korean-aware search over every registered type: matched and ranked in the index (see indexing)."""

import functools
import html
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from korean.hashtags import normalize_hashtag
from korean.jamo import initials, is_initials
from korean.vocabulary import synonym_groups

from .indexing import RankedWindow, database_ranked_page, engine_configured, engine_ranked_ids
from .korean import ParsedQuery, TypoIndex, correction_candidates, highlight_spans, normalize, parse_query
from .registry import SearchType, search_types, suggestions

MAX_CANDIDATES = getattr(settings, "SEARCH_MAX_CANDIDATES", 1000)
COUNT_CAP = settings.SEARCH_COUNT_CAP
MAX_CORRECTIONS = 3
# Hashtags in use, for corrections and 초성 suggestions: the most used ones, kept a few minutes.
VOCABULARY_TAGS = 5000
VOCABULARY_CACHE_KEY = "search:vocabulary-tags"
VOCABULARY_SECONDS = 300


@dataclass
class SearchPage:
    search_type: SearchType
    results: list
    total: int
    page: int
    page_size: int
    has_next: bool = False
    total_capped: bool = False  # more matches than ``total``: counting stopped at COUNT_CAP
    fell_back: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass
class SearchOutcome:
    query: ParsedQuery
    pages: list[SearchPage] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # "이것을 찾으셨나요?" when nothing was found

    @property
    def fell_back(self) -> bool:
        return any(page.fell_back for page in self.pages)

    @property
    def found_nothing(self) -> bool:
        return not any(page.total for page in self.pages)


def searchable(*, viewer, search_type: SearchType):
    """What this viewer may find of a type, newest first.

    Results and their counts both come from this one queryset (blocks included).
    """
    return search_type.visible(viewer).order_by(f"-{search_type.recency_field}", "-pk")


def _engine_window(*, viewer, search_type: SearchType, query: ParsedQuery, offset: int, limit: int):
    model = search_type.indexed().model
    candidates = engine_ranked_ids(
        model, query, recency_field=search_type.recency_field, limit=MAX_CANDIDATES
    )
    if candidates is None:
        return None
    visible = set(
        searchable(viewer=viewer, search_type=search_type)
        .filter(pk__in=candidates)
        .values_list("pk", flat=True)
    )
    ids = [pk for pk in candidates if pk in visible]
    window, has_next = ids[offset : offset + limit], len(ids) > offset + limit
    total = max(min(len(ids), COUNT_CAP), offset + len(window) + has_next)
    return RankedWindow(ids=window, has_next=has_next, total=total, total_capped=len(ids) > total)


def search_type_page(
    *, viewer, search_type: SearchType, query: ParsedQuery, page: int, page_size: int
) -> SearchPage:
    if not query or (query.hashtags and search_type.hashtag_filter is None):
        return SearchPage(search_type, [], 0, 1, page_size)
    page = max(1, page)
    offset = (page - 1) * page_size
    ranked = None
    if engine_configured():
        ranked = _engine_window(
            viewer=viewer, search_type=search_type, query=query, offset=offset, limit=page_size
        )
    fell_back = engine_configured() and ranked is None
    if ranked is None:
        ranked = database_ranked_page(
            search_type.indexed(),
            searchable(viewer=viewer, search_type=search_type),
            query,
            offset=offset,
            limit=page_size,
            count_cap=COUNT_CAP,
        )
    by_id = {obj.pk: obj for obj in search_type.load(viewer, ranked.ids)}
    results = [by_id[pk] for pk in ranked.ids if pk in by_id]
    return SearchPage(
        search_type,
        results,
        ranked.total,
        page,
        page_size,
        has_next=ranked.has_next,
        total_capped=ranked.total_capped,
        fell_back=fell_back,
    )


def site_search(*, viewer, raw_query: str, types: list[str] | None = None, page: int = 1, page_size: int = 5):
    query = parse_query(raw_query)
    outcome = SearchOutcome(query=query)
    registered = search_types()
    for key in types or list(registered):
        outcome.pages.append(
            search_type_page(
                viewer=viewer, search_type=registered[key], query=query, page=page, page_size=page_size
            )
        )
    if query.slots and outcome.found_nothing:
        outcome.corrections = corrections(query)
    return outcome


# Did you mean ---------------------------------------------------------------------------------


def _used_tags() -> list[tuple[str, int]]:
    """The most used hashtags with their use counts (what the tag pages count)."""
    tags = cache.get(VOCABULARY_CACHE_KEY)
    if tags is None:
        tags = list(suggestions().hashtag_uses()[:VOCABULARY_TAGS])
        cache.set(VOCABULARY_CACHE_KEY, tags, VOCABULARY_SECONDS)
    return tags


@functools.cache
def _pet_words() -> TypoIndex:
    return TypoIndex(word for group in synonym_groups() for word in group if " " not in word)


def corrections(query: ParsedQuery) -> list[str]:
    """Queries one letter (jamo) away from what was typed, using the pet words and hashtags.

    The same on every backend: the vocabulary is ours, not the engine's.
    """
    tags = TypoIndex(name for name, _count in _used_tags())
    found: list[str] = []
    raw = " ".join(normalize(query.raw).split())
    for typed, forms in correction_candidates(query):
        for form in forms:
            for word in _pet_words().near(form) + tags.near(form):
                corrected = raw.replace(typed, typed.replace(form, word), 1)
                if corrected != raw and corrected not in found:
                    found.append(corrected)
        if len(found) >= MAX_CORRECTIONS:
            break
    return found[:MAX_CORRECTIONS]


# Highlights -----------------------------------------------------------------------------------


def highlighted(text: str, query: ParsedQuery) -> SafeString:
    """The text escaped, with the words the query matched in <mark>."""
    pieces, position = [], 0
    for start, end in highlight_spans(text, query):
        pieces += [html.escape(text[position:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        position = end
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of member text above is escaped


# Suggestions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagSuggestion:
    name: str
    use_count: int


def hashtag_suggestions(*, prefix: str, limit: int = 6) -> list[TagSuggestion]:
    """Hashtags starting with what was typed (with or without '#'), most used first.

    Initial consonants (ㅅㅊ) suggest the tags whose initials start so.
    """
    name = normalize_hashtag(prefix)
    if not name:
        return []
    if is_initials(name):
        tags = [(tag, count) for tag, count in _used_tags() if initials(tag).startswith(name)]
    else:
        tags = suggestions().hashtag_uses().filter(name__startswith=name)
    return [TagSuggestion(tag, count) for tag, count in tags[:limit]]


def word_suggestions(*, prefix: str, limit: int = 4) -> list[str]:
    """Pet words (breeds, care) whose initial consonants start with what was typed: ㅁㅌ → 말티즈."""
    typed = prefix.strip()
    if not is_initials(typed):  # '#' asks for hashtags only
        return []
    return [group[0] for group in synonym_groups() if initials(group[0]).startswith(typed)][:limit]


def member_suggestions(*, prefix: str, viewer, limit: int = 5):
    """Members whose handle or nickname starts with what was typed, of those the search box may
    suggest to the viewer (never a member blocked either way: community/search.py)."""
    members = suggestions().members(viewer)
    text = prefix.strip().lstrip("@")
    if not text or prefix.strip().startswith("#") or is_initials(text):
        return members.none()
    members = members.filter(Q(username__istartswith=text) | Q(nickname__istartswith=text))
    return members.order_by("username")[:limit]


# Writing: what @ and # complete to in the post and comment boxes ------------------------------

COMPOSE_LIMIT = 6


@dataclass(frozen=True)
class ComposeSuggestion:
    insert: str  # what replaces the typed @word or #word, "@dubu" or "#산책"
    label: str
    detail: str
    followed: bool = False


def compose_suggestions(*, prefix: str, viewer, limit: int = COMPOSE_LIMIT) -> list[ComposeSuggestion]:
    """Completions of the @handle or #hashtag being typed, in one query: members the viewer
    follows first, then others (초성 match nicknames: @ㄷㅂ → 두부엄마); hashtags most used first
    (초성 too: #ㅅㅊ → #산책). Only members
    the viewer may mention (never themselves, a member on either side of a block with them, a
    suspended member or a former one: community/search.py)."""
    typed = prefix.strip()
    if typed.startswith("#"):
        return [
            ComposeSuggestion(insert=f"#{tag.name}", label=f"#{tag.name}", detail=str(tag.use_count))
            for tag in hashtag_suggestions(prefix=typed, limit=limit)
        ]
    text = typed.lstrip("@")
    if not typed.startswith("@") or not text:
        return []
    if is_initials(text):  # @ㄷㅂ → 두부엄마
        matches = Q(nickname_initials__startswith=text)
    else:
        matches = Q(username__istartswith=text) | Q(nickname__istartswith=text)
    members = (
        suggestions()
        .mentionable(viewer)
        .filter(matches)
        .order_by("-followed", "username")
        .only("username", "nickname", "is_active")[:limit]
    )
    return [
        ComposeSuggestion(
            insert=f"@{member.username}",
            label=member.display_name,
            detail=f"@{member.username}",
            followed=member.followed,
        )
        for member in members
    ]
