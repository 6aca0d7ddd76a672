import pytest

from korean.jamo import decompose, initials, is_initials, within_one_edit


def test_initials_of_hangul_words():
    assert initials("강아지") == "ㄱㅇㅈ"
    assert initials("까치 산책") == "ㄲㅊㅅㅊ"
    assert is_initials("ㅁㅌㅈ")
    assert not is_initials("ㅁㅌ즈")


def test_syllables_decompose_into_letters():
    assert decompose("말티즈") == "ㅁㅏㄹㅌㅣㅈㅡ"
    assert decompose("dog") == "dog"


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("말티즈", "말티주", True),
        ("포메라니안", "포메라니언", True),
        ("시바", "시바견", False),
        ("푸들", "푸들", True),
    ],
)
def test_one_letter_edits(a, b, close):
    assert within_one_edit(decompose(a), decompose(b)) is close
