"""Korean-aware search terms, computed in Python so every search backend behaves the same.

Full-text backends split on spaces and match whole words or word prefixes. Korean attaches
particles (강아지를) and writes compounds (우리강아지, 강아지산책) as one word, and members
search by initial consonants (ㄱㅇㅈ for 강아지). So each word is indexed as all of its
suffixes, and as the suffixes of its initials; a query term then only has to be a *prefix*
of one indexed term, which every backend's autocomplete can do. English words are indexed
with their Snowball stems, so "walks" finds "walk".
"""

import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

from community.text import normalize_hashtag

CHOSUNG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
SYLLABLES_PER_INITIAL = 21 * 28
MAX_TERM_LENGTH = 12
# Markers no member types (archaic Hangul letters): a priority copy of a term (hashtags, names)
# and a whole hashtag, so one full-text query can rank and filter on them.
PRIORITY_MARK = "\u318d"  # ㆍ
TAG_MARK = "\u318e"  # ㆎ
TOKEN_RE = re.compile(r"[가-힣]+|[ㄱ-ㅎ]+|[^\W_가-힣ㄱ-ㅣ]+")
HASHTAG_QUERY_RE = re.compile(r"^#(\S+)$")
_stemmer = snowballstemmer.stemmer("english")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def initials(word: str) -> str:
    """The initial consonants of a Hangul word: 강아지 → ㄱㅇㅈ."""
    return "".join(
        CHOSUNG[(ord(ch) - HANGUL_FIRST) // SYLLABLES_PER_INITIAL]
        for ch in word
        if HANGUL_FIRST <= ord(ch) <= HANGUL_LAST
    )


def is_hangul(token: str) -> bool:
    return HANGUL_FIRST <= ord(token[0]) <= HANGUL_LAST


def is_initials(token: str) -> bool:
    return all(ch in CHOSUNG for ch in token)


def _suffixes(word: str) -> list[str]:
    return [word[start : start + MAX_TERM_LENGTH] for start in range(len(word))]


def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def index_terms(text: str) -> set[str]:
    """Every term a text is found by (see the module docstring)."""
    terms: set[str] = set()
    for token in TOKEN_RE.findall(normalize(text)):
        if is_hangul(token):
            terms.update(_suffixes(token))
            terms.update(_suffixes(initials(token)))
        elif is_initials(token):
            terms.add(token[:MAX_TERM_LENGTH])
        else:
            terms.add(token[:MAX_TERM_LENGTH])
            terms.add(stem(token)[:MAX_TERM_LENGTH])
    return terms


def index_document(*texts: str, priority: tuple[str, ...] = (), hashtags: tuple[str, ...] = ()) -> str:
    """The text stored in the search index: terms separated by spaces, in a stable order.

    `priority` texts (names, hashtags) are indexed twice, once with PRIORITY_MARK, so a query can
    put their hits first; `hashtags` are also indexed whole, for exact #tag queries.
    """
    terms: set[str] = set()
    for text in (*texts, *priority):
        terms |= index_terms(text)
    for text in priority:
        terms |= {PRIORITY_MARK + term for term in index_terms(text)}
    terms |= {tag_term(tag) for tag in hashtags}
    return " ".join(sorted(terms))


def tag_term(hashtag: str) -> str:
    """The indexed form of a whole hashtag; a prefix query for it matches only that tag."""
    return f"{TAG_MARK}{normalize(hashtag)}{TAG_MARK}"


def _query_token(token: str) -> str:
    if is_hangul(token) or is_initials(token):
        return token[:MAX_TERM_LENGTH]
    return stem(token)[:MAX_TERM_LENGTH]


@dataclass(frozen=True)
class ParsedQuery:
    """Every term must match (AND): `terms` by prefix of an indexed term, `hashtags` exactly."""

    terms: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    raw: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(self.terms or self.hashtags)


def parse_query(raw: str, *, max_terms: int = 8) -> ParsedQuery:
    terms: list[str] = []
    hashtags: list[str] = []
    for word in normalize(raw).split()[:max_terms]:
        tag = HASHTAG_QUERY_RE.match(word)
        if tag and normalize_hashtag(tag.group(1)):
            hashtags.append(normalize_hashtag(tag.group(1)))
            continue
        for token in TOKEN_RE.findall(word):
            query_token = _query_token(token)
            if query_token and query_token not in terms:
                terms.append(query_token)
    return ParsedQuery(terms=tuple(terms), hashtags=tuple(dict.fromkeys(hashtags)), raw=raw)


def matches(query: ParsedQuery, terms: set[str]) -> int:
    """How many query terms hit these index terms (used to rank name and hashtag hits first)."""
    return sum(1 for wanted in query.terms if any(term.startswith(wanted) for term in terms))
