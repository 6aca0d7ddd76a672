"""The maintained list of pet words that mean the same (data/synonyms.txt), read once."""

import functools
import unicodedata
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"


def _normalize(word: str) -> str:
    return " ".join(unicodedata.normalize("NFC", word).casefold().split())


@functools.cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Each line's words, the first being the name members use most."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            words = tuple(dict.fromkeys(_normalize(word) for word in line.split(",") if word.strip()))
            groups.append(words)
    return tuple(groups)


@functools.cache
def synonyms_of() -> dict[str, tuple[str, ...]]:
    """Each word → the other words of its group."""
    mapping: dict[str, tuple[str, ...]] = {}
    for group in synonym_groups():
        for word in group:
            mapping[word] = tuple(other for other in group if other != word)
    return mapping


@functools.cache
def user_nouns() -> tuple[str, ...]:
    """The Korean words of the file written as one word (breed names the analyzer must not split)."""
    return tuple(
        word
        for group in synonym_groups()
        for word in group
        if " " not in word and len(word) >= 3 and all("가" <= ch <= "힣" for ch in word)
    )
