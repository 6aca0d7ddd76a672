"""Names that could pass for Petrasche's staff, refused as a handle or nickname for members.

The staff's display names and the words in ``RESERVED_WORDS`` belong to staff. Names are
compared folded, so look-alikes count too: NFKC, case folding, accents dropped, and only
letters and digits kept (no spaces, punctuation, symbols or invisible characters such as
zero-width spaces and Hangul fillers): "관 리 자", "ＡＤＭＩＮ", "ad.min" and "운영\u200b자"
are all taken. Staff themselves may use them.
"""

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.staff import is_staff_member

RESERVED_WORDS = frozenset(
    {
        "관리자",
        "운영자",
        "운영도우미",
        "운영진",
        "운영팀",
        "고객센터",
        "페트라슈",
        "admin",
        "administrator",
        "moderator",
        "operator",
        "petrasche",
        "staff",
        "support",
        "system",
        "root",
    }
)

# Letters that show nothing, used to pad names that look like another.
_INVISIBLE_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0"})

RESERVED_MESSAGE = _("This name is reserved for Petrasche's staff. Please choose another.")


def fold(name: str) -> str:
    """The form names are compared in: two names that look alike fold to the same string."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name or "").casefold())
    kept = (
        character
        for character in decomposed
        if unicodedata.category(character)[0] in "LN" and character not in _INVISIBLE_LETTERS
    )
    return unicodedata.normalize("NFKC", "".join(kept))


FOLDED_RESERVED_WORDS = frozenset(fold(word) for word in RESERVED_WORDS)


def is_reserved(name: str, *, staff_names: Iterable[str] = ()) -> bool:
    """Whether ``name`` folds to a reserved word or to one of ``staff_names`` (folded)."""
    folded = fold(name)
    return bool(folded) and (folded in FOLDED_RESERVED_WORDS or folded in set(staff_names))


def check_name(name: str, *, member=None) -> None:
    """Refuses a handle or nickname that could pass for staff, unless ``member`` is staff
    (``member`` is None at sign-up)."""
    from .selectors import staff_display_names

    if member is not None and is_staff_member(member):
        return
    if is_reserved(name, staff_names=staff_display_names(excluding=member)):
        raise ValidationError(RESERVED_MESSAGE, code="reserved")
