"""Reading #hashtags and @mentions out of member text, and turning them into links.

Member text is stored as plain text. On output every piece is escaped, then hashtags,
mentions and web links are wrapped in links we build ourselves.
"""

import html
import re
import unicodedata

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from korean.hashtags import normalize_hashtag

HASHTAG_PATTERN = r"#(?P<tag>[^\W_][\w]{0,49})"
MENTION_PATTERN = r"(?<![\w@])@(?P<mention>[a-z0-9](?:[a-z0-9_.]*[a-z0-9_])?)"
URL_PATTERN = r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])"
URL_RE = re.compile(URL_PATTERN, re.IGNORECASE)
TOKEN_RE = re.compile(f"{URL_PATTERN}|{HASHTAG_PATTERN}|{MENTION_PATTERN}", re.IGNORECASE)
HASHTAG_RE = re.compile(HASHTAG_PATTERN)
MENTION_RE = re.compile(MENTION_PATTERN, re.IGNORECASE)


def extract_hashtags(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in HASHTAG_RE.finditer(unicodedata.normalize("NFC", text)):
        seen.setdefault(normalize_hashtag(match.group("tag")), None)
    return list(seen)


def extract_mentions(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group("mention").lower(), None)
    return list(seen)


def link_urls(text: str) -> SafeString:
    """Escapes member text and links only its web addresses (chat: no hashtags or mentions)."""
    pieces = []
    position = 0
    for match in URL_RE.finditer(text):
        pieces.append((text[position : match.start()], match.group("url"), match.group("url")))
        position = match.end()
    return format_html_join(
        "", '{}<a href="{}" rel="noopener nofollow ugc" target="_blank">{}</a>', pieces
    ) + format_html("{}", text[position:])


def linkify(text: str) -> SafeString:
    """Escapes member text and links its hashtags, mentions and web addresses.

    Every feed card and post in the API runs this, so it escapes with ``html.escape`` (what
    Django's ``escape`` does, without its lazy-string wrapper) and builds the few links itself.
    """
    pieces = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        pieces.append(html.escape(text[position : match.start()]))
        if match.group("url"):
            url = html.escape(match.group("url"))
            pieces.append(f'<a href="{url}" rel="nofollow ugc noopener" target="_blank">{url}</a>')
        elif match.group("tag"):
            href = html.escape(reverse("community:hashtag", args=[normalize_hashtag(match.group("tag"))]))
            pieces.append(f'<a class="hashtag" href="{href}">#{html.escape(match.group("tag"))}</a>')
        else:
            href = html.escape(reverse("community:profile", args=[match.group("mention").lower()]))
            pieces.append(f'<a class="mention" href="{href}">@{html.escape(match.group("mention"))}</a>')
        position = match.end()
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped
