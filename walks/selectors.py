"""Reads of walks shared by pages, the API and search, with their joins and annotations applied."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Value
from django.utils import timezone

from pets.models import Pet

from .models import SEOUL, Walk, WalkBoardPage, WalkIndexPage, WalkParticipant, seoul_day_start


def active_participations() -> QuerySet[WalkParticipant]:
    return WalkParticipant.objects.filter(removed_at__isnull=True)


def _with_viewer_state(walks: QuerySet[Walk], viewer) -> QuerySet[Walk]:
    """``viewer_is_participant``: the viewer joined (and was not removed), in the same query."""
    if not viewer.is_authenticated:
        return walks.annotate(viewer_is_participant=Value(False))
    return walks.annotate(
        viewer_is_participant=Exists(active_participations().filter(walk=OuterRef("pk"), member=viewer))
    )


def _walks(*, viewer, base: QuerySet[Walk]) -> QuerySet[Walk]:
    return _with_viewer_state(
        base.select_related("host", "board").prefetch_related(
            Prefetch("pets", queryset=Pet.objects.not_deleted().order_by("created_at", "id"))
        ),
        viewer,
    )


def walk_list(*, viewer) -> QuerySet[Walk]:
    """Listed walks (not deleted or cancelled) with host, board, pets and the viewer's part, soonest first."""
    return _walks(viewer=viewer, base=Walk.objects.listed()).order_by("start_at", "id")


def upcoming(walks: QuerySet[Walk]) -> QuerySet[Walk]:
    """Walks starting today (Seoul) or later: what lists show when no dates are chosen."""
    return walks.filter(start_at__gte=seoul_day_start(timezone.localdate(timezone=SEOUL)))


def walk_detail(*, viewer, walk_id: int) -> Walk:
    """One walk (cancelled ones too; hidden ones for their host and moderators) with its members,
    for the detail page and API."""
    members = active_participations().select_related("member").order_by("joined_at", "id")
    return (
        _walks(viewer=viewer, base=Walk.objects.visible_to(viewer))
        .prefetch_related(Prefetch("participations", queryset=members, to_attr="active_participations"))
        .get(pk=walk_id)
    )


def is_member(*, viewer, walk: Walk) -> bool:
    """The host or a member who joined (needs ``walk_list``/``walk_detail``'s annotation)."""
    if not viewer.is_authenticated:
        return False
    return walk.host_id == viewer.pk or bool(getattr(walk, "viewer_is_participant", False))


def can_see_meeting_place(*, viewer, walk: Walk) -> bool:
    """The exact meeting place is for the host and the members who joined, nobody else."""
    return is_member(viewer=viewer, walk=walk)


def walk_member_ids(*, walk_id: int) -> list[int]:
    """The host and the current members, host first (for the walk's chat room)."""
    host_id = Walk.objects.filter(pk=walk_id).values_list("host_id", flat=True).first()
    if host_id is None:
        return []
    members = active_participations().filter(walk_id=walk_id).order_by("joined_at", "id")
    return [host_id, *members.values_list("member_id", flat=True)]


def live_boards() -> QuerySet[WalkBoardPage]:
    return WalkBoardPage.objects.live().order_by("path")


def board_choices(index_page: WalkIndexPage | None = None) -> QuerySet[WalkBoardPage]:
    boards = live_boards()
    return boards.child_of(index_page) if index_page is not None else boards


def open_boards() -> QuerySet[WalkBoardPage]:
    """Boards that take new walks."""
    return live_boards().filter(is_open=True)
