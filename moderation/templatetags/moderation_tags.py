"""Moderation in other apps' templates: what a notification about a case says, and the banner a
suspended member sees in place of the forms they cannot use."""

from datetime import datetime

from django import template
from django.utils.dateparse import parse_datetime

from .. import registry, selectors

register = template.Library()


@register.filter
def target_label(key: str) -> str:
    """What a registry key names, in the member's language ("post" → "게시글")."""
    entry = registry.get(key or "")
    return str(entry.label) if entry else ""


@register.filter
def as_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 time kept in a notification's ``details``, for the date filters."""
    return parse_datetime(value) if isinstance(value, str) else None


@register.simple_tag(takes_context=True)
def member_suspension(context):
    """The viewer's suspension in force, or None (one query per request, shared by every form
    of the page)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    if not hasattr(request, "member_suspension"):
        request.member_suspension = selectors.suspension(member=request.user)
    return request.member_suspension


@register.inclusion_tag("moderation/includes/suspended_banner.html")
def suspended_banner(action, typed: str = ""):
    """Why and until when the member cannot write, in place of a compose form; ``typed`` is what
    they had written when a submit was refused, so nothing is lost."""
    return {"action": action, "typed": typed}
