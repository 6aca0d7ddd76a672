"""Hangul syllables as letters: initial consonants (초성) and one-letter edits for typo corrections."""

CHOSUNG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSUNG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
_CHOSUNG_SET = frozenset(CHOSUNG)


def is_syllable(ch: str) -> bool:
    return HANGUL_FIRST <= ord(ch) <= HANGUL_LAST


def is_hangul_word(word: str) -> bool:
    return bool(word) and all(is_syllable(ch) for ch in word)


def is_initials(word: str) -> bool:
    """Only initial consonants, as members type them for a word (ㄱㅇㅈ)."""
    return bool(word) and all(ch in _CHOSUNG_SET for ch in word)


def initials(word: str) -> str:
    """The initial consonants of the Hangul syllables of a word: 강아지 → ㄱㅇㅈ."""
    return "".join(CHOSUNG[(ord(ch) - HANGUL_FIRST) // 588] for ch in word if is_syllable(ch))


def decompose(word: str) -> str:
    """Each syllable as its letters (강 → ㄱㅏㅇ); other characters are kept as they are."""
    letters = []
    for ch in word:
        if is_syllable(ch):
            code = ord(ch) - HANGUL_FIRST
            letters.append(CHOSUNG[code // 588])
            letters.append(JUNGSUNG[code % 588 // 28])
            if code % 28:
                letters.append(JONGSUNG[code % 28])
        else:
            letters.append(ch)
    return "".join(letters)


def deletions(letters: str) -> set[str]:
    """The letter sequence with one letter left out, each way (symmetric-delete typo lookup)."""
    return {letters[:i] + letters[i + 1 :] for i in range(len(letters))}


def within_one_edit(a: str, b: str) -> bool:
    """Whether two letter sequences differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
