"""The pages the walk index and the boards serve: their routes (``WalkIndexPage.routes``,
``WalkBoardPage.routes``), declared here because this module imports the models (see core.routes)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import confirm
from core.pagination import paginate
from core.routes import render_page

from . import chat_bridge, geo, selectors, services
from .filters import AllWalksFilter, WalkFilter
from .forms import WalkForm
from .models import Walk, WalkBoardPage, WalkIndexPage, WalkParticipant, WalkStatus


def _filtered_list(request, walk_filter):
    """(walks, next link, status): no walks and a 400 when a filter value is invalid."""
    if not walk_filter.is_valid():
        return [], None, 400
    walks, next_link = paginate(request, walk_filter.qs)
    return walks, next_link, 200


@WalkIndexPage.routes.path("", name="index_route")
@require_safe
def index_walks(request, index_page: WalkIndexPage):
    boards = selectors.board_choices(index_page)
    walk_filter = AllWalksFilter(
        request.GET,
        queryset=selectors.walk_list(viewer=request.user).filter(board__in=boards),
        boards=boards,
    )
    walks, next_link, status = _filtered_list(request, walk_filter)
    return render_page(
        index_page,
        request,
        context={
            "boards": boards.select_related("cover_image"),
            "filter": walk_filter,
            "walks": walks,
            "next_link": next_link,
            "map_tiles": _map_tiles(),
        },
        status=status,
    )


@WalkBoardPage.routes.path("", name="index_route")
@require_safe
def board_walks(request, board: WalkBoardPage):
    walk_filter = WalkFilter(
        request.GET, queryset=selectors.walk_list(viewer=request.user).filter(board=board)
    )
    walks, next_link, status = _filtered_list(request, walk_filter)
    return render_page(
        board,
        request,
        context={"filter": walk_filter, "walks": walks, "next_link": next_link, "map_tiles": _map_tiles()},
        status=status,
    )


def _map_tiles() -> dict | None:
    """The tile server for Leaflet, or None: then pages show the area and map-service links."""
    if not settings.MAP_TILE_URL:
        return None
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def _walk_point(walk: Walk, *, exact: bool) -> dict | None:
    """What the page may show of the walk's point: the exact one for the host and members, the
    snapped one (``Walk.public_point``) for everyone else. The exact point never reaches others."""
    if not walk.has_point:
        return None
    latitude, longitude = (walk.latitude, walk.longitude) if exact else walk.public_point
    public_latitude, public_longitude = walk.public_point
    return {
        "latitude": latitude,
        "longitude": longitude,
        "exact": exact,
        # The links always go to the snapped point, so they read the same to everyone.
        "kakao_url": geo.kakao_map_url(label=walk.area, latitude=public_latitude, longitude=public_longitude),
        "naver_url": geo.naver_map_url(latitude=public_latitude, longitude=public_longitude),
    }


def _login_needed(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


def _walk_on_board(*, request, board: WalkBoardPage, walk_id: int) -> Walk:
    try:
        walk = selectors.walk_detail(viewer=request.user, walk_id=walk_id)
    except Walk.DoesNotExist as error:
        raise Http404 from error
    if walk.board_id != board.pk:
        raise Http404
    return walk


def _own_walk(*, request, board: WalkBoardPage, walk_id: int) -> Walk:
    walk = _walk_on_board(request=request, board=board, walk_id=walk_id)
    if walk.host_id != request.user.pk:
        raise PermissionDenied
    return walk


@WalkBoardPage.routes.path("new/", name="walk_create")
def walk_create(request, board: WalkBoardPage):
    if response := _login_needed(request):
        return response
    if not board.is_open:
        messages.error(request, _("This board is closed for new walks."))
        return redirect(board.url)
    form = WalkForm(request.POST or None, host=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            walk = services.walk_create(host=request.user, board_id=board.pk, data=form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your walk is posted."))
            return redirect(walk.get_absolute_url())
    return render_page(
        board,
        request,
        template="walks/walk_form.html",
        context={"form": form, "map_tiles": _map_tiles()},
        status=400 if form.errors else 200,
    )


@WalkBoardPage.routes.path("<id:walk_id>/", name="walk_detail")
@require_safe
def walk_detail(request, board: WalkBoardPage, walk_id: int):
    walk = _walk_on_board(request=request, board=board, walk_id=walk_id)
    is_member = selectors.is_member(viewer=request.user, walk=walk)
    show_meeting_place = selectors.can_see_meeting_place(viewer=request.user, walk=walk)
    return render_page(
        board,
        request,
        template="walks/walk_detail.html",
        context={
            "walk": walk,
            "is_host": request.user.is_authenticated and walk.host_id == request.user.pk,
            "is_member": is_member,
            # Only the host and the members who joined see the exact place (and who else joined).
            "show_meeting_place": show_meeting_place,
            "point": _walk_point(walk, exact=show_meeting_place),
            "map_tiles": _map_tiles(),
            "participations": [
                (participation, walk.remove_participant_url(participation.member_id))
                for participation in (walk.active_participations if is_member else [])
            ],
            "chat_url": chat_bridge.room_url(walk.pk) if is_member else None,
            "closed_reason": walk.closed_reason(),
            "cancelled": walk.status == WalkStatus.CANCELLED,
        },
    )


@WalkBoardPage.routes.path("<id:walk_id>/edit/", name="walk_edit")
def walk_edit(request, board: WalkBoardPage, walk_id: int):
    if response := _login_needed(request):
        return response
    walk = _own_walk(request=request, board=board, walk_id=walk_id)
    form = WalkForm(request.POST or None, initial=WalkForm.initial_for(walk), host=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.walk_update(walk_id=walk.pk, member=request.user, data=form.to_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your walk was updated."))
            return redirect(walk.get_absolute_url())
    return render_page(
        board,
        request,
        template="walks/walk_form.html",
        context={"form": form, "walk": walk, "map_tiles": _map_tiles()},
        status=400 if form.errors else 200,
    )


@WalkBoardPage.routes.path("<id:walk_id>/delete/", name="walk_delete")
def walk_delete(request, board: WalkBoardPage, walk_id: int):
    if response := _login_needed(request):
        return response
    walk = _own_walk(request=request, board=board, walk_id=walk_id)
    if request.method == "POST":
        services.walk_delete(walk_id=walk.pk, member=request.user)
        messages.success(request, _("Your walk was deleted."))
        return redirect(board.url)
    return render_page(board, request, template="walks/walk_confirm_delete.html", context={"walk": walk})


ACTIONS = {
    "join": (services.walk_join, gettext_lazy("You joined the walk. See you there!")),
    "leave": (services.walk_leave, gettext_lazy("You left the walk.")),
    "close": (services.walk_close, gettext_lazy("The walk takes no more members.")),
    "reopen": (services.walk_reopen, gettext_lazy("The walk is open again.")),
    "cancel": (services.walk_cancel, gettext_lazy("The walk is cancelled. Its members were told.")),
}
# Actions asked about first (core.confirm): (question, button, what follows).
ASKED = {
    "leave": (
        gettext_lazy("Leave this walk?"),
        gettext_lazy("Leave the walk"),
        gettext_lazy("The host is told, and you leave the walk's chat."),
    ),
    "cancel": (
        gettext_lazy("Cancel this walk?"),
        gettext_lazy("Cancel the walk"),
        gettext_lazy(
            "Everyone who joined is told, and the walk's chat becomes read-only. This cannot be undone."
        ),
    ),
}


@WalkBoardPage.routes.path("<id:walk_id>/<slug:action>/", name="walk_action")
def walk_action(request, board: WalkBoardPage, walk_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if response := _login_needed(request):
        return response
    walk = _walk_on_board(request=request, board=board, walk_id=walk_id)
    if action in ASKED and _may(action, walk=walk, member=request.user) and not confirm.confirmed(request):
        question, label, detail = ASKED[action]
        return confirm.ask(
            request,
            question=str(question),
            detail=f"{walk.title} · {detail}",
            confirm_label=str(label),
            cancel_url=walk.get_absolute_url(),
        )
    service, done = ACTIONS[action]
    try:
        service(walk_id=walk.pk, member=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect(walk.get_absolute_url())


def _may(action: str, *, walk: Walk, member) -> bool:
    """Whether asking first makes sense: the host cancels, a member leaves (anyone else gets the
    service's refusal at once)."""
    if action == "cancel":
        return walk.host_id == member.pk
    return walk.host_id != member.pk and selectors.is_member(viewer=member, walk=walk)


@WalkBoardPage.routes.path("<id:walk_id>/participants/<id:member_id>/remove/", name="walk_remove_participant")
def walk_remove_participant(request, board: WalkBoardPage, walk_id: int, member_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if response := _login_needed(request):
        return response
    walk = _own_walk(request=request, board=board, walk_id=walk_id)
    try:
        services.walk_remove_participant(walk_id=walk.pk, host=request.user, member_id=member_id)
    except WalkParticipant.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The member was removed from the walk."))
    return redirect(walk.get_absolute_url())
