"""Walks in the Wagtail admin, and boards with members' walks kept from deletion.

Staff find walks here (search, filters) and open one to read it; community moderators
(``accounts.roles``) have the view permission. Walks are members' own: nobody edits them here
(moderators hide or delete a walk through its report), and the meeting place and point, which
only the host and members see, are not shown.

Boards with members' walks are closed, not deleted: walks keep their board (PROTECT).
"""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.models import Page

from core.admin_viewsets import ListAndInspectOnly, ReadableInspectView

from .models import Walk, WalkBoardPage, WalkStatus


class WalkFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("status"), choices=WalkStatus.choices)
    board = django_filters.ModelChoiceFilter(
        label=gettext_lazy("board"), queryset=WalkBoardPage.objects.order_by("title")
    )
    is_hidden = django_filters.BooleanFilter(
        label=gettext_lazy("hidden by moderators"), widget=BooleanRadioSelect
    )
    deleted = django_filters.BooleanFilter(
        label=gettext_lazy("Deleted"),
        field_name="deleted_at",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanRadioSelect,
    )
    start_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("starts"))

    class Meta:
        model = Walk
        fields = []


class WalkIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("board", "host")


class WalkInspectView(ReadableInspectView):
    def get_field_label(self, field_name, field):
        if field_name == "description_text":
            return _("Description")
        return super().get_field_label(field_name, field)


class WalkViewSet(ListAndInspectOnly, ModelViewSet):
    model = Walk
    icon = "site"
    menu_label = gettext_lazy("Walks")
    menu_order = 180
    add_to_admin_menu = True
    url_prefix = "walks"
    name = "walks_walk"
    index_view_class = WalkIndexView
    inspect_view_class = WalkInspectView
    filterset_class = WalkFilterSet
    search_backend_name = None
    search_fields = ["title", "area", "host__username", "host__nickname"]
    ordering = ["-start_at", "-id"]
    list_display = [
        TitleColumn("title", label=gettext_lazy("title"), url_name="walks_walk:inspect"),
        Column("board", label=gettext_lazy("board")),
        Column("host", label=gettext_lazy("host")),
        DateColumn("start_at", label=gettext_lazy("starts"), sort_key="start_at"),
        Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
        Column("participant_count", label=gettext_lazy("members who joined")),
        Column(
            "is_hidden",
            label=gettext_lazy("hidden by moderators"),
            accessor=lambda walk: _("Hidden") if walk.is_hidden else "",
        ),
        DateColumn("deleted_at", label=gettext_lazy("deleted")),
    ]
    inspect_view_fields = [
        "title",
        "board",
        "host",
        "start_at",
        "end_at",
        "area",
        "description_text",
        "capacity",
        "participant_count",
        "status",
        "created_at",
        "edited_at",
        "deleted_at",
        "is_hidden",
        "hidden_reason",
    ]


@hooks.register("register_admin_viewset")
def register_walks():
    return WalkViewSet()


def _pages_with_walks(pages) -> list[Page]:
    """The given pages whose subtree (themselves included) holds a board with walks."""
    blocked = []
    for page in pages:
        boards = Page.objects.descendant_of(page, inclusive=True).type(WalkBoardPage)
        if Walk.objects.filter(board__in=boards.values("pk")).exists():
            blocked.append(page)
    return blocked


def _refuse(request, pages):
    messages.error(
        request,
        _("“%(title)s” has members' walks: turn off “open for new walks” instead of deleting it.")
        % {"title": pages[0].get_admin_display_title()},
    )
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)


@hooks.register("before_delete_page")
def keep_boards_with_walks(request, page):
    blocked = _pages_with_walks([page])
    return _refuse(request, blocked) if blocked else None


@hooks.register("before_bulk_action")
def keep_boards_with_walks_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    blocked = _pages_with_walks([obj for obj in objects if isinstance(obj, Page)])
    return _refuse(request, blocked) if blocked else None
