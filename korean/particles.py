"""Korean particles (조사) chosen from the word they follow: 콩이를, 두부와, 'mail'로, 3으로.

A particle has two forms, one after a final consonant (받침) and one after a vowel; 으로/로 also
takes 로 after ㄹ. The word's last sound decides, read the way a Korean reads it aloud: Hangul by
its final letter, digits as Sino-Korean numbers (3 삼 → 으로, 2 이 → 로, 10 십 → 으로), Latin
letters by their Korean names (m 엠 → 으로, l 엘 → 로, e 이 → 로), with the few English endings
Koreans pronounce differently ("…ng" 링 → 을, "…er" 워커 → 를). Closing quotes, brackets and
punctuation after the word are looked through ('강아지' → 로). A word with nothing readable
(only symbols or emoji) gets both forms, the first in brackets: 을(를).
"""

from dataclasses import dataclass

from .jamo import HANGUL_FIRST, is_syllable

RIEUL = 8  # the index of ㄹ among the final letters (jamo.JONGSUNG)
NO_FINAL = 0


@dataclass(frozen=True)
class Particle:
    after_consonant: str
    after_vowel: str
    after_rieul: str | None = None  # 으로/로: ㄹ takes the vowel form

    def form(self, final: int | None) -> str:
        if final is None:
            return f"{self.after_consonant}({self.after_vowel})"
        if final == NO_FINAL:
            return self.after_vowel
        if final == RIEUL and self.after_rieul is not None:
            return self.after_rieul
        return self.after_consonant


_PAIRS = [
    Particle("을", "를"),
    Particle("이", "가"),
    Particle("은", "는"),
    Particle("과", "와"),
    Particle("으로", "로", after_rieul="로"),
    Particle("으로서", "로서", after_rieul="로서"),
    Particle("으로써", "로써", after_rieul="로써"),
    Particle("이에요", "예요"),
    Particle("이었어요", "였어요"),
    Particle("이랑", "랑"),
    Particle("이나", "나"),
    Particle("이라고", "라고"),
    Particle("아", "야"),
]
# Any form names its pair: "을", "를" and "을/를" all mean 을/를.
PARTICLES: dict[str, Particle] = {}
for _pair in _PAIRS:
    for _name in (_pair.after_consonant, _pair.after_vowel, f"{_pair.after_consonant}/{_pair.after_vowel}"):
        PARTICLES.setdefault(_name, _pair)

# Final letters (index into jamo.JONGSUNG) of the Korean names of the digits: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINALS = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL, "8": RIEUL, "9": 0}
# A number ending in zeros ends in its unit: 십 (10), 백 (100), 천 (1,000), 만 (10,000), then
# 십만 백만 천만 (as 만), 억 (10^8), 조 (10^12, a vowel).
_ZERO_RUN_FINALS = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 4, 10: 1, 11: 4, 12: 0}
# Final letters of the Korean names of the Latin letters: 엘 and 알 end in ㄹ, 엠 in ㅁ, 엔 in ㄴ;
# the others (에이, 비, 씨, …, 제트) in a vowel.
_LETTER_FINALS = {"l": RIEUL, "r": RIEUL, "m": 16, "n": 4}
# Trailing characters that are not read: closing quotes, brackets, punctuation, spaces.
_SKIPPED = set(" \t\n'\"’”」』)]}>.,!?…·~-_")
_VOWEL_LETTERS = set("aeiouy")


def final_sound(word: str) -> int | None:
    """The final letter of the word's last sound as an index into jamo.JONGSUNG (0: a vowel),
    or None when nothing in the word can be read."""
    text = str(word).rstrip()
    end = len(text)
    while end and text[end - 1] in _SKIPPED:
        end -= 1
    if not end:
        return None
    last = text[end - 1]
    if is_syllable(last):
        return (ord(last) - HANGUL_FIRST) % 28
    if last.isdigit() and last.isascii():
        return _number_final(text[:end])
    if last.isascii() and last.isalpha():
        return _latin_final(text[:end])
    if last == "%":
        return NO_FINAL  # 퍼센트
    return None


def _number_final(text: str) -> int:
    digits = len(text) - len(text.rstrip("0123456789"))
    number = text[len(text) - digits :]
    zeros = len(number) - len(number.rstrip("0"))
    if zeros == 0 or zeros == len(number):
        return _DIGIT_FINALS[number[-1]]
    return _ZERO_RUN_FINALS.get(zeros, 4)


def _latin_final(text: str) -> int:
    letters = len(text) - len(text.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    word = text[len(text) - letters :]
    if letters == 1 or word.isupper():
        return _LETTER_FINALS.get(word[-1].lower(), NO_FINAL)  # a letter or an acronym: its name
    lower = word.lower()
    if lower.endswith("ng"):
        return 21  # ring 링
    if lower.endswith("r") and lower[-2] in _VOWEL_LETTERS:
        return NO_FINAL  # walker 워커, color 컬러
    return _LETTER_FINALS.get(lower[-1], NO_FINAL)


def particle_for(word: str, particle: str) -> str:
    """The form of ``particle`` (either form, or "을/를") that follows ``word``."""
    try:
        pair = PARTICLES[particle]
    except KeyError:
        raise ValueError(f"not a particle with two forms: {particle!r}") from None
    return pair.form(final_sound(word))


def attach(word: str, particle: str) -> str:
    """``word`` with the right form of ``particle``: attach("콩이", "을") == "콩이를"."""
    return f"{word}{particle_for(word, particle)}"
