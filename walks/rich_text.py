"""The walk description's rich text: what the prose editor may produce, and nh3 cleaning.

The editor (django-prose-editor) is only a convenience: the service cleans whatever HTML
arrives with nh3 (an HTML parser, never a regex) against the explicit allow-lists below,
so the stored HTML is safe to render as markup.
"""

from html import unescape

import nh3
from django.utils.html import strip_tags

# What the editor's toolbar offers (django-prose-editor extension names).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "u", "s", "ul", "ol", "li", "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Members' links are not endorsements and open nothing with access to our window.
LINK_REL = "nofollow ugc noopener noreferrer"

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Member HTML reduced to the allow-listed tags, attributes and URL schemes.

    Disallowed tags are dropped with their attributes (script and style with their content),
    event handlers and style attributes vanish, and links with other schemes (javascript:,
    data:, vbscript:) lose their href.
    """
    cleaned = _cleaner.clean(html or "").strip()
    return "" if not html_to_text(cleaned) else cleaned


def html_to_text(html: str) -> str:
    """The words of (already cleaned) HTML, for length checks, excerpts and search."""
    spaced = html.replace("</p>", "</p> ").replace("<br>", " ").replace("</li>", "</li> ")
    return " ".join(unescape(strip_tags(spaced)).split())
