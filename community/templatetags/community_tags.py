from django import template

from community.text import linkify as linkify_text

register = template.Library()


@register.filter
def linkify(text: str):
    """Escaped member text with #hashtags, @mentions and web links turned into links."""
    return linkify_text(text or "")
