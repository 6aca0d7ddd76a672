"""Korean-aware search over every registered type: match in the index, rank in Python."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from community.models import Hashtag
from community.text import normalize_hashtag
from moderation.selectors import blocked_either_way, hidden_member_ids

from .indexing import RankedWindow, database_ranked_page, engine_candidates, engine_configured
from .korean import ParsedQuery, index_terms, matches, parse_query, tag_term
from .registry import SEARCH_TYPES, SearchType

MAX_CANDIDATES = getattr(settings, "SEARCH_MAX_CANDIDATES", 1000)
COUNT_CAP = settings.SEARCH_COUNT_CAP


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

    @property
    def fell_back(self) -> bool:
        return any(page.fell_back for page in self.pages)


def _engine_ranked_ids(*, viewer, search_type: SearchType, query: ParsedQuery, candidates: list) -> list:
    """Ranks an engine's newest candidates: more query terms hitting names or hashtags first."""
    visible = search_type.visible(viewer).filter(pk__in=candidates)
    for name in query.hashtags:
        visible = visible.filter(**{search_type.hashtag_filter: name})
    rows = list(visible.values("pk", search_type.recency_field, *search_type.ranking_fields))
    for row in rows:
        row["_tier"] = matches(query, index_terms(search_type.priority_text(row)))
    rows.sort(key=lambda row: (-row["_tier"], -row[search_type.recency_field].timestamp(), -row["pk"]))
    return [row["pk"] for row in rows]


def _indexed_for(viewer, search_type: SearchType):
    """What the database index may count and page for this viewer: without the members whose
    content the viewer does not see, so totals match the results (the engine's candidates are
    narrowed by ``visible`` instead)."""
    indexed = search_type.indexed()
    hidden = hidden_member_ids(viewer=viewer) if search_type.author_filter else []
    return indexed.exclude(**{f"{search_type.author_filter}__in": hidden}) if hidden else indexed


def search_type_page(
    *, viewer, search_type: SearchType, query: ParsedQuery, page: int, page_size: int
) -> SearchPage:
    if not query or (query.hashtags and search_type.hashtag_filter is None):
        return SearchPage(search_type, [], 0, 1, page_size)
    page = max(1, page)
    offset = (page - 1) * page_size
    terms = query.terms + tuple(tag_term(name) for name in query.hashtags)
    indexed = search_type.indexed()
    fell_back = False
    if engine_configured():
        candidates = engine_candidates(indexed, terms, limit=MAX_CANDIDATES)
        if candidates is not None:
            ids = _engine_ranked_ids(
                viewer=viewer, search_type=search_type, query=query, candidates=candidates
            )
            window, has_next = ids[offset : offset + page_size], len(ids) > offset + page_size
            total = max(min(len(ids), COUNT_CAP), offset + len(window) + has_next)
            ranked = RankedWindow(ids=window, has_next=has_next, total=total, total_capped=len(ids) > total)
        fell_back = candidates is None
    if not engine_configured() or fell_back:
        ranked = database_ranked_page(
            _indexed_for(viewer, search_type), terms, offset=offset, limit=page_size, count_cap=COUNT_CAP
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
    for key in types or list(SEARCH_TYPES):
        outcome.pages.append(
            search_type_page(
                viewer=viewer, search_type=SEARCH_TYPES[key], query=query, page=page, page_size=page_size
            )
        )
    return outcome


def hashtag_suggestions(*, prefix: str, limit: int = 6):
    """Hashtags starting with what was typed (with or without '#'), most used first."""
    name = normalize_hashtag(prefix)
    if not name:
        return Hashtag.objects.none()
    used = Q(posts__deleted_at__isnull=True, posts__is_hidden=False)
    return (
        Hashtag.objects.filter(name__startswith=name)
        .annotate(use_count=Count("posts", filter=used))
        .filter(use_count__gt=0)
        .order_by("-use_count", "name")[:limit]
    )


def member_suggestions(*, prefix: str, viewer, limit: int = 5):
    """Members whose handle or nickname starts with what was typed; members the viewer blocked
    or was blocked by are never suggested."""
    text = prefix.strip().lstrip("@")
    if not text or prefix.strip().startswith("#"):
        return get_user_model().objects.none()
    members = get_user_model().objects.filter(is_active=True)
    members = members.filter(Q(username__istartswith=text) | Q(nickname__istartswith=text))
    if viewer.is_authenticated and viewer.has_blocks_or_mutes:
        members = members.exclude(blocked_either_way(viewer=viewer, author_ref="pk"))
    return members.order_by("username")[:limit]
