"""Morphological analysis behind one small interface, loaded once per process.

The site analyses with Kiwi (kiwipiepy, Apache-2.0); the MeCab-ko adapter (python-mecab-ko with
python-mecab-ko-dic, BSD-3 / Apache-2.0) is kept for the comparison in bench/korean_analyzers.py,
which chose Kiwi (figures in bench/README.md, "Korean analyzers").

Both adapters return `Morpheme`s with Sejong part-of-speech tags, verbs and adjectives as their
dictionary stem (예뻐요 → 예쁘/VA), and character offsets into the text analysed.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass

# Pet words MeCab-ko splits (말티즈 → 말 + 티즈) are joined back as one proper noun.
USER_NOUN_TAG = "NNP"


@dataclass(frozen=True, slots=True)
class Morpheme:
    form: str
    tag: str
    start: int
    end: int


def _readable(text: str) -> str:
    """Text as the analyzers should see it: '#' would make Kiwi read '#공원을' as one token."""
    return text.replace("#", " ")


class KiwiAnalyzer:
    """Kiwi with its standard-language model, without its two proper-noun dictionaries
    (Wikipedia and WikiData names: 70 MB and 200 MB of memory per process, and no change on
    our test set). Kiwi keeps breed names whole on its own, so it takes no user nouns: adding
    them would also keep compounds such as 애견카페 from being split into their parts."""

    name = "kiwi"

    def __init__(self, *, default_dict: bool = False):
        import kiwipiepy
        from kiwipiepy import Kiwi

        self.version = kiwipiepy.__version__
        self._kiwi = Kiwi(load_multi_dict=False, load_default_dict=default_dict)
        self._kiwi.tokenize("")  # builds the model now, not on the first text

    @staticmethod
    def _convert(tokens) -> list[Morpheme]:
        return [
            Morpheme(token.form, token.tag.split("-", 1)[0], token.start, token.start + token.len)
            for token in tokens
        ]

    def morphemes(self, text: str) -> list[Morpheme]:
        return self._convert(self._kiwi.tokenize(_readable(text)))

    def morphemes_many(self, texts: list[str]) -> list[list[Morpheme]]:
        return [self._convert(tokens) for tokens in self._kiwi.tokenize([_readable(t) for t in texts])]


class MecabAnalyzer:
    """MeCab-ko with mecab-ko-dic (the dictionary Lucene's nori uses). Inflected forms carry their
    stems in the dictionary's expression column; user nouns are kept whole by joining the
    pieces MeCab split them into (its own user dictionary needs a compiler we do not ship)."""

    name = "mecab-ko"

    def __init__(self, *, user_nouns: Iterable[str] | None = None):
        import mecab

        from .vocabulary import user_nouns as pet_words

        self.version = getattr(mecab, "__version__", "1")
        self._mecab = mecab.MeCab()
        self._user_nouns = set(pet_words() if user_nouns is None else user_nouns)
        self._longest = max((len(noun) for noun in self._user_nouns), default=0)

    def _convert(self, parsed) -> list[Morpheme]:
        morphemes = []
        for item in parsed:
            feature = item.feature
            start, end = item.span.start, item.span.end
            if feature.expression and feature.type in ("Inflect", "Compound", "Preanalysis"):
                for part in feature.expression.split("+"):
                    form, tag = part.split("/")[:2]
                    morphemes.append(Morpheme(form, tag, start, end))
            else:
                morphemes.append(Morpheme(item.surface, feature.pos.split("+", 1)[0], start, end))
        return self._join_user_nouns(morphemes)

    def _join_user_nouns(self, morphemes: list[Morpheme]) -> list[Morpheme]:
        if not self._user_nouns:
            return morphemes
        joined, i = [], 0
        while i < len(morphemes):
            merged = None
            for j in range(i + 1, len(morphemes)):
                pieces = morphemes[i : j + 1]
                if any(not p.tag.startswith("N") for p in pieces) or pieces[-1].start != pieces[-2].end:
                    break
                word = "".join(p.form for p in pieces)
                if len(word) > self._longest:
                    break
                if word in self._user_nouns:
                    merged = (j, Morpheme(word, USER_NOUN_TAG, pieces[0].start, pieces[-1].end))
            if merged:
                i = merged[0] + 1
                joined.append(merged[1])
            else:
                joined.append(morphemes[i])
                i += 1
        return joined

    def morphemes(self, text: str) -> list[Morpheme]:
        return self._convert(self._mecab.parse(_readable(text)))

    def morphemes_many(self, texts: list[str]) -> list[list[Morpheme]]:
        return [self.morphemes(text) for text in texts]


ANALYZERS = {"kiwi": KiwiAnalyzer, "mecab-ko": MecabAnalyzer}
SITE_ANALYZER = "kiwi"

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def site_analyzer():
    """The analyzer the site indexes and searches with, built on first use (a lock keeps two
    threads from building it twice); `warm_up` builds it before the first request."""
    analyzer = _loaded.get(SITE_ANALYZER)
    if analyzer is None:
        with _lock:
            analyzer = _loaded.get(SITE_ANALYZER)
            if analyzer is None:
                analyzer = _loaded[SITE_ANALYZER] = ANALYZERS[SITE_ANALYZER]()
    return analyzer


def use_analyzer(analyzer) -> None:
    """Makes `analyzer` the site's in this process (bench/korean_analyzers.py compares them)."""
    _loaded[SITE_ANALYZER] = analyzer


def is_loaded() -> bool:
    return SITE_ANALYZER in _loaded
