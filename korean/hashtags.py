"""One spelling per hashtag, and a hashtag written with a particle (#공원을) and its stem tag (#공원)."""

import functools
import unicodedata

from .analyzer import site_analyzer

HASHTAG_MAX_LENGTH = 50

# What may follow a tag's noun and still leave the same tag: particles, the copula, endings.
_DROPPABLE = ("J", "E", "VCP")
_NOUNS = ("NNG", "NNP", "NNB", "NR", "SL", "SH", "SN", "XSN")


def normalize_hashtag(raw: str) -> str:
    """One spelling per tag: NFC, case-folded, trimmed, without the leading '#'."""
    name = unicodedata.normalize("NFC", raw).strip().lstrip("#").strip()
    return name.casefold()[:HASHTAG_MAX_LENGTH]


@functools.lru_cache(maxsize=8192)
def stem_tag(name: str) -> str:
    """The tag without the particles or endings after its noun: 공원을 → 공원, 댕댕이랑 → 댕댕이.

    A tag whose last word is not a noun with endings stays as it is (가을, 고양이, 산책중).
    """
    morphemes = site_analyzer().morphemes(name)
    end = len(morphemes)
    while end and morphemes[end - 1].tag.startswith(_DROPPABLE):
        end -= 1
    if end in (0, len(morphemes)) or not morphemes[end - 1].tag.startswith(_NOUNS):
        return name
    return name[: morphemes[end - 1].end]


def with_stem_tags(names: list[str]) -> list[str]:
    """The tags written, each followed by its stem tag when that differs (no repeats)."""
    return list(dict.fromkeys(tag for name in names for tag in (name, stem_tag(name))))
