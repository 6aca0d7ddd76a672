import pytest

from korean.particles import attach, particle_for

# (word, particle asked for, what a Korean writes)
TABLE = [
    ("콩이", "을", "콩이를"),
    ("두부", "를", "두부를"),
    ("복실", "을", "복실을"),
    ("강아지", "으로", "강아지로"),
    ("'강아지'", "(으)로", None),
    ("산책", "로", "산책으로"),
    ("서울", "으로", "서울로"),
    ("마포구", "은", "마포구는"),
    ("한강공원", "는", "한강공원은"),
    ("보리", "과", "보리와"),
    ("밤톨", "와", "밤톨과"),
    ("지우맘", "이", "지우맘이"),
    ("초코", "이", "초코가"),
    ("말티즈", "이에요", "말티즈예요"),
    ("믹스견", "예요", "믹스견이에요"),
    ("jiwoo_maltese", "으로", "jiwoo_maltese로"),
    ("mail", "으로", "mail로"),
    ("gmail.com", "로", "gmail.com으로"),
    ("kakao", "을", "kakao를"),
    ("DM", "을", "DM을"),
    ("SNS", "을", "SNS를"),
    ("R", "로", "R로"),
    ("walker", "이", "walker가"),
    ("spring", "은", "spring은"),
    ("Zoom", "으로", "Zoom으로"),
    ("Adam", "과", "Adam과"),
    ("3", "로", "3으로"),
    ("2", "으로", "2로"),
    ("1", "으로", "1로"),
    ("7", "을", "7을"),
    ("10", "로", "10으로"),
    ("100", "이", "100이"),
    ("1000", "은", "1000은"),
    ("2024", "는", "2024는"),
    ("0", "이", "0이"),
    ("50%", "이", "50%가"),
    ("뭉치!", "와", "뭉치!와"),
    ("“하루”", "을/를", "“하루”를"),
    ("🐶", "을", "🐶을(를)"),
]


@pytest.mark.parametrize(("word", "particle", "expected"), [row for row in TABLE if row[2]])
def test_the_particle_follows_the_last_sound_as_a_korean_reads_it(word, particle, expected):
    assert attach(word, particle) == expected


def test_the_table_covers_at_least_thirty_words_of_every_kind():
    words = [row for row in TABLE if row[2]]
    assert len(words) >= 30
    assert {row[1] for row in words} >= {"을", "를", "이", "은", "는", "과", "와", "으로", "로"}


def test_a_quoted_word_is_read_through_its_quotes():
    assert particle_for("'강아지'", "으로") == "로"
    assert particle_for("'고양이'", "을") == "를"


def test_an_unknown_particle_is_refused():
    with pytest.raises(ValueError, match="not a particle"):
        particle_for("콩이", "에게")
