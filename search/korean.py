"""Korean search terms, computed in Python so every search backend matches and ranks alike.

Texts and queries go through one morphological analysis (korean.analyzer, Kiwi). A text is
stored as a line of terms that backends only have to match by prefix (what every backend's
autocomplete does); marker letters no member types tell the kinds of term apart:

- ``산책ㆆ`` a whole word as written, each noun or noun compound (애견카페), each verb or adjective
  stem (예쁘다) and English word and stem — ``ㆆ`` closes a term, so ``산책ㆆ`` matches only 산책;
- ``ㆅ카페ㆆ`` a part of a compound (카페 in 애견카페), and nouns written apart joined
  (애견 카페 → ``ㆅ애견카페ㆆ``), so compounds match spaced and unspaced;
- ``ㅇㄱㅋㅍㆆ`` the initial consonants (초성) of every noun, compound and two-word noun phrase;
- ``ㆄ리트리버`` the endings of longer nouns, for matches inside a word (골든리트리버);
- ``ㆍ…`` the same again for names and hashtags, which rank first; ``ㆎ공원ㆎ`` a whole hashtag
  and its stem tag (#공원을 → #공원).

A query is analysed the same way (particles and endings dropped, nouns joined), expanded with the
synonyms file, and each of its words matches at a *level*: 0 whole word or stem, 1 compound part or
synonym, 2 prefix, 3 초성, 4 초성 prefix, 5 inside a word. Search returns every level in that
order, names and hashtags first within a level, then the newest (search/indexing.py).
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer

from korean.analyzer import Morpheme, site_analyzer
from korean.hashtags import normalize_hashtag, stem_tag
from korean.jamo import decompose, deletions, initials, is_hangul_word, is_initials, within_one_edit
from korean.vocabulary import synonyms_of

# Bumped whenever what is stored for a text changes: search_setup then rebuilds every index.
ANALYSIS_VERSION = "3"

END = "\u3186"  # ㆆ
COMPOUND = "\u3185"  # ㆅ
INSIDE = "\u3184"  # ㆄ
PRIORITY_MARK = "\u318d"  # ㆍ
TAG_MARK = "\u318e"  # ㆎ
MAX_TERM_LENGTH = 30
# The search engines' edge n-grams must reach the longest stored term (hashtags included).
MAX_INDEXED_LENGTH = MAX_TERM_LENGTH + 2

EXACT, PART, PREFIX, INITIALS, INITIALS_PREFIX, INSIDE_WORD = range(6)
LEVELS = (EXACT, PART, PREFIX, INITIALS, INITIALS_PREFIX, INSIDE_WORD)

NOUN_TAGS = frozenset({"NNG", "NNP", "SH"})
VERB_TAGS = frozenset({"VV", "VA"})
OTHER_TERM_TAGS = frozenset({"SL", "SN"})
HASHTAG_QUERY_RE = re.compile(r"^#(\S+)$")
WORD_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_stemmer = snowballstemmer.stemmer("english")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _clip(term: str) -> str:
    return term[:MAX_TERM_LENGTH]


# Analysis of one text -----------------------------------------------------------------------


@dataclass
class Eojeol:
    """One space-separated word of a text and what the analysis found in it."""

    surface: str
    start: int
    end: int
    runs: list[list[str]] = field(default_factory=list)  # consecutive nouns: [[애견, 카페]]
    stems: list[str] = field(default_factory=list)  # 예쁘다, 산책하다 is not: 산책 is the noun
    others: list[str] = field(default_factory=list)  # English words, numbers
    nouns_only: bool = False  # nothing but nouns (no particle): may join the next word's nouns
    content_end: int = 0  # where the last noun, stem or English word ends (highlights stop there)


def _eojeols(text: str, morphemes: list[Morpheme]) -> list[Eojeol]:
    words = [
        Eojeol(surface=match.group(), start=match.start(), end=match.end())
        for match in re.finditer(r"\S+", text)
    ]
    by_word: list[list[Morpheme]] = [[] for _ in words]
    index = 0
    for morpheme in morphemes:
        while index < len(words) - 1 and morpheme.start >= words[index].end:
            index += 1
        if words:
            by_word[index].append(morpheme)
    for word, found in zip(words, by_word, strict=True):
        previous: Morpheme | None = None
        content = [m for m in found if not m.tag.startswith("S") or m.tag in OTHER_TERM_TAGS]
        for position, morpheme in enumerate(found):
            if morpheme.tag in NOUN_TAGS:
                if previous is not None and previous.tag in NOUN_TAGS and previous.end == morpheme.start:
                    word.runs[-1].append(morpheme.form)
                else:
                    word.runs.append([morpheme.form])
                word.content_end = max(word.content_end, morpheme.end)
            elif morpheme.tag in VERB_TAGS:
                word.stems.append(morpheme.form + "다")
                word.content_end = max(word.content_end, morpheme.end)
            elif morpheme.tag == "XR":
                following = found[position + 1] if position + 1 < len(found) else None
                if following is not None and following.tag == "XSA":
                    word.stems.append(morpheme.form + "하다")
                else:
                    word.runs.append([morpheme.form])
                word.content_end = max(word.content_end, morpheme.end)
            elif morpheme.tag in OTHER_TERM_TAGS:
                word.others.append(morpheme.form)
                word.content_end = max(word.content_end, morpheme.end)
            previous = morpheme
        word.nouns_only = bool(content) and all(m.tag in NOUN_TAGS for m in content)
    return words


def analyse(text: str) -> list[Eojeol]:
    text = normalize(text)
    return _eojeols(text, site_analyzer().morphemes(text))


@dataclass
class TextTerms:
    exact: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)
    initials: set[str] = field(default_factory=set)
    inside: set[str] = field(default_factory=set)


def _surface(word: str) -> str:
    return WORD_EDGE_RE.sub("", word)


def _add_noun(terms: TextTerms, noun: str, *, part: bool) -> None:
    (terms.parts if part else terms.exact).add(noun)
    if is_hangul_word(noun):
        terms.initials.add(initials(noun))
        if len(noun) >= 3:
            terms.inside.update(noun[start:] for start in range(1, len(noun) - 1))


def text_terms(eojeols: list[Eojeol]) -> TextTerms:
    terms = TextTerms()
    for position, word in enumerate(eojeols):
        surface = _surface(word.surface)
        if surface:
            terms.exact.add(surface)
            if is_hangul_word(surface):  # names the analyzer reads as noun + particle: 콩이 → ㅋㅇ
                terms.initials.add(initials(surface))
        for run in word.runs:
            _add_noun(terms, "".join(run), part=False)
            if len(run) > 1:
                for piece in range(len(run)):
                    _add_noun(terms, run[piece], part=True)
                    if piece + 1 < len(run):
                        _add_noun(terms, run[piece] + run[piece + 1], part=True)
        terms.exact.update(word.stems)
        for other in word.others:
            terms.exact.add(other)
            if other.isalpha():
                terms.exact.add(stem(other))
        following = eojeols[position + 1] if position + 1 < len(eojeols) else None
        if following is not None and word.runs and following.runs:
            phrase = "".join(word.runs[-1]) + "".join(following.runs[0])
            starts_with_noun = following.surface.startswith(following.runs[0][0])
            if word.nouns_only and starts_with_noun:
                _add_noun(terms, phrase, part=True)
            elif is_hangul_word(phrase):
                terms.initials.add(initials(phrase))
    return terms


def _marked(terms: TextTerms) -> set[str]:
    return (
        {_clip(term) + END for term in terms.exact}
        | {COMPOUND + _clip(term) + END for term in terms.parts}
        | {_clip(term) + END for term in terms.initials}
        | {INSIDE + _clip(term) for term in terms.inside}
    )


def index_terms(text: str) -> set[str]:
    """Every stored term of one text (see the module docstring)."""
    return _marked(text_terms(analyse(text)))


def tag_term(hashtag: str) -> str:
    """The stored form of a whole hashtag; a prefix query for it matches only that tag."""
    return f"{TAG_MARK}{_clip(normalize(hashtag))}{TAG_MARK}"


def index_document(*texts: str, priority: tuple[str, ...] = (), hashtags: tuple[str, ...] = ()) -> str:
    """The text stored in the search index: terms separated by spaces, in a stable order.

    `priority` texts (names, hashtags) are indexed twice, once with PRIORITY_MARK, so a query can
    put their hits first; `hashtags` are also stored whole, with their stem tags.
    """
    terms: set[str] = set()
    for text in texts:
        terms |= index_terms(text)
    for text in priority:
        named = index_terms(text)
        terms |= named | {PRIORITY_MARK + term for term in named if not term.startswith(INSIDE)}
    for tag in hashtags:
        terms |= {tag_term(tag), tag_term(stem_tag(normalize(tag)))}
    return " ".join(sorted(terms))


# Queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One thing a query word must match: a noun or compound, a stem, an English word, or 초성."""

    text: str
    kind: str  # "word", "english" or "initials"

    def keys(self, level: int) -> tuple[str, ...]:
        """The stored-term prefixes that match this unit at exactly `level`."""
        text = _clip(self.text)
        if self.kind == "initials":
            prefix = (text,) if len(text) > 1 else ()
            return {INITIALS: (text + END,), INITIALS_PREFIX: prefix}.get(level, ())
        if self.kind == "english":
            # Whole words and stems only: as prefixes, English words find too much (park → parking).
            forms = tuple(dict.fromkeys((text, _clip(stem(self.text)))))
            return tuple(f + END for f in forms) if level == EXACT else ()
        if level == EXACT:
            return (text + END,)
        if level == PART:
            return (COMPOUND + text + END,)
        if len(text) == 1 and is_hangul_word(text):
            return ()  # one syllable starts too many words: 개 is not 개성, 말 not 말레이시아
        if level == PREFIX:
            return (text, COMPOUND + text)
        if level == INSIDE_WORD and is_hangul_word(text) and len(text) >= 2:
            return (INSIDE + text,)
        return ()

    def synonym_keys(self) -> tuple[str, ...]:
        """As a synonym of what was typed: whole words only, one level down."""
        text = _clip(self.text)
        if self.kind == "english":
            return tuple(dict.fromkeys((text + END, _clip(stem(self.text)) + END)))
        return (text + END,)


@dataclass(frozen=True)
class UnitGroup:
    """A unit, or any of its synonyms (each a few units that must all match)."""

    unit: Unit
    synonyms: tuple[tuple[Unit, ...], ...] = ()


@dataclass(frozen=True)
class Slot:
    """One word of the query: all of its groups must match, or the word exactly as typed."""

    typed: str
    groups: tuple[UnitGroup, ...]
    surface: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    """Every slot must match (AND), and every hashtag exactly."""

    slots: tuple[Slot, ...] = ()
    hashtags: tuple[str, ...] = ()
    raw: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(self.slots or self.hashtags)


def _units(word: Eojeol) -> list[Unit]:
    units = [Unit("".join(run), "word") for run in word.runs]
    units += [Unit(stem_, "word") for stem_ in word.stems]
    units += [Unit(other, "english" if other.isalpha() else "word") for other in word.others]
    return list(dict.fromkeys(units))


@functools.lru_cache(maxsize=4096)
def _synonym_units(word: str) -> tuple[Unit, ...]:
    units = []
    for eojeol in analyse(word):
        units += _units(eojeol) or [Unit(_surface(eojeol.surface), "word")]
    return tuple(unit for unit in units if unit.text)


def _group(unit: Unit) -> UnitGroup:
    synonyms = synonyms_of().get(unit.text, ())
    if not synonyms and unit.kind == "english":
        synonyms = synonyms_of().get(stem(unit.text), ())
    return UnitGroup(unit, tuple(units for word in synonyms if (units := _synonym_units(word))))


def parse_query(raw: str, *, max_words: int = 8) -> ParsedQuery:
    slots: list[Slot] = []
    hashtags: list[str] = []
    for typed in normalize(raw).split()[:max_words]:
        tag = HASHTAG_QUERY_RE.match(typed)
        if tag and normalize_hashtag(tag.group(1)):
            hashtags.append(normalize_hashtag(tag.group(1)))
            continue
        surface = _surface(typed)
        if not surface:
            continue
        if is_initials(surface):
            slots.append(Slot(typed, (UnitGroup(Unit(surface, "initials")),)))
            continue
        words = _eojeols(surface, site_analyzer().morphemes(surface))
        units = [unit for word in words for unit in _units(word)] or [Unit(surface, "word")]
        whole_phrase = "".join(synonyms_of().get(surface, ()))
        groups = [_group(unit) for unit in units]
        if whole_phrase and len(units) > 1:  # 골든리트리버 read as two nouns: the file knows it whole
            groups = [_group(Unit(surface, "word"))]
        only = groups[0].unit.text if len(groups) == 1 else ""
        slots.append(Slot(typed, tuple(groups), surface=surface if surface != only else ""))
    slots = list({(*slot.groups, slot.surface): slot for slot in slots}.values())
    return ParsedQuery(slots=tuple(slots), hashtags=tuple(dict.fromkeys(hashtags)), raw=raw)


# Query structure as nested tuples: ("and", [...]), ("or", [...]), ("not", q), ("term", key).
# search/indexing.py turns it into Wagtail queries; `matches` evaluates it in Python.


def _or(children: Iterable) -> tuple | None:
    children = [child for child in children if child is not None]
    if not children:
        return None
    return children[0] if len(children) == 1 else ("or", children)


def _and(children: Iterable) -> tuple | None:
    children = list(children)
    if not children or any(child is None for child in children):
        return None
    return children[0] if len(children) == 1 else ("and", children)


def _keys_up_to(unit: Unit, level: int) -> list[str]:
    return [key for at in LEVELS if at <= level for key in unit.keys(at)]


def _group_query(group: UnitGroup, level: int, *, mark: str = "") -> tuple | None:
    options = [_or(("term", mark + key) for key in _keys_up_to(group.unit, level))]
    if level >= PART:
        options += [
            _and(_or(("term", mark + key) for key in unit.synonym_keys()) for unit in units)
            for units in group.synonyms
        ]
    return _or(options)


def _slot_query(slot: Slot, level: int, *, mark: str = "") -> tuple | None:
    surface = ("term", mark + _clip(slot.surface) + END) if slot.surface else None
    return _or([_and(_group_query(group, level, mark=mark) for group in slot.groups), surface])


def _tags_query(query: ParsedQuery) -> list[tuple]:
    return [("term", tag_term(tag)) for tag in query.hashtags]


def level_query(query: ParsedQuery, level: int) -> tuple | None:
    """What matches every word of the query at `level` or better (None: nothing can)."""
    return _and([*(_slot_query(slot, level) for slot in query.slots), *_tags_query(query)])


def priority_query(query: ParsedQuery, level: int) -> tuple | None:
    """What has a word of the query, at `level` or better, in its names or hashtags."""
    level = min(level, INITIALS_PREFIX)  # ends of words are not stored for names
    return _or(_slot_query(slot, level, mark=PRIORITY_MARK) for slot in query.slots)


def levels(query: ParsedQuery) -> list[int]:
    """The levels at which something more can match, best first."""
    if not query.slots:
        return [EXACT]
    found, previous = [], None
    for level in LEVELS:
        current = level_query(query, level)
        if current is not None and current != previous:
            found.append(level)
        previous = current
    return found


def matches(node: tuple | None, terms: set[str]) -> bool:
    """Evaluates a query structure against one text's stored terms (prefix matching)."""
    if node is None:
        return False
    kind, value = node
    if kind == "term":
        return any(term.startswith(value) for term in terms)
    if kind == "and":
        return all(matches(child, terms) for child in value)
    if kind == "or":
        return any(matches(child, terms) for child in value)
    return not matches(value, terms)


def best_level(query: ParsedQuery, terms: set[str]) -> int | None:
    """The best level at which these stored terms match the query, or None."""
    for level in levels(query):
        if matches(level_query(query, level), terms):
            return level
    return None


# Highlights ---------------------------------------------------------------------------------


def _content_span(word: Eojeol) -> tuple[int, int]:
    start = word.start + len(word.surface) - len(word.surface.lstrip("#@([{\"'"))
    end = word.start + len(word.surface.rstrip(".,!?…~)]}\"'"))
    if word.content_end > start:
        end = min(end, word.content_end)
    return start, end


def highlight_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Where the words a query matched are in `text`, particles and endings left out."""
    if not query or len(normalize(text)) != len(text or ""):
        return []  # case folding changed the length: offsets would not line up
    eojeols = analyse(text)
    wanted = _or(_slot_query(slot, INSIDE_WORD) for slot in query.slots)
    tags = set(query.hashtags)
    marked = []
    for position, word in enumerate(eojeols):
        if word.surface.startswith("#") and tags:
            name = normalize_hashtag(_surface(word.surface))
            if name in tags or stem_tag(name) in tags:
                marked.append(position)
                continue
        if wanted is not None and matches(wanted, _marked(text_terms([word]))):
            marked.append(position)
        elif wanted is not None and position + 1 < len(eojeols):
            pair = eojeols[position : position + 2]
            if matches(wanted, _marked(text_terms(pair))) and not matches(
                wanted, _marked(text_terms(pair[1:]))
            ):
                marked += [position, position + 1]
    return [_content_span(eojeols[position]) for position in sorted(set(marked))]


# Typo corrections ---------------------------------------------------------------------------


class TypoIndex:
    """Words one letter (jamo) away from a word: 말티주 → 말티즈, 포메라니엔 → 포메라니안."""

    def __init__(self, words: Iterable[str]):
        self._by_deletion: dict[str, set[str]] = {}
        for word in words:
            letters = decompose(word)
            for key in {letters} | deletions(letters):
                self._by_deletion.setdefault(key, set()).add(word)

    def near(self, word: str) -> list[str]:
        letters = decompose(word)
        found = set()
        for key in {letters} | deletions(letters):
            found |= self._by_deletion.get(key, set())
        return sorted(
            (other for other in found if other != word and within_one_edit(decompose(other), letters)),
            key=lambda other: (abs(len(other) - len(word)), other),
        )


def correction_candidates(query: ParsedQuery) -> list[tuple[str, list[str]]]:
    """Each query word as typed, with the forms a correction may start from (without particles)."""
    candidates = []
    for slot in query.slots:
        forms = [_surface(slot.typed)]
        forms += [group.unit.text for group in slot.groups if group.unit.kind == "word"]
        candidates.append((slot.typed, [form for form in dict.fromkeys(forms) if form]))
    return candidates
