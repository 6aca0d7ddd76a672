"""Member text as it is stored, whichever app keeps it (posts, pets, chat, reports)."""

import unicodedata


def normalize_text(raw: str) -> str:
    """Stored text: NFC, Windows line ends folded, no trailing spaces, no control characters."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
