"""Boards with members' walks are closed, not deleted: walks keep their board (PROTECT)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from .models import Walk, WalkBoardPage


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
