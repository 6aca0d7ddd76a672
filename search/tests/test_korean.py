import pytest

from search.korean import index_document, index_terms, initials, matches, parse_query


def found(query: str, text: str) -> bool:
    """A text is found when every query term is a prefix of one of its index terms."""
    parsed = parse_query(query)
    terms = index_terms(text)
    return all(any(term.startswith(wanted) for term in terms) for wanted in parsed.terms)


def test_initials_of_hangul():
    assert initials("강아지") == "ㄱㅇㅈ"
    assert initials("산책") == "ㅅㅊ"
    assert initials("까치") == "ㄲㅊ"


@pytest.mark.parametrize("text", ["강아지를 데리고", "강아지의 하루", "우리강아지 최고", "강아지산책 완료"])
def test_a_word_is_found_with_particles_and_inside_compounds(text):
    assert found("강아지", text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("ㄱㅇㅈ", "강아지"),
        ("ㅅㅊ", "산책"),
        ("ㅇㅈ", "강아지"),
        ("ㅅㅊ", "강아지산책"),
        ("ㄱㅇㅈ", "우리강아지랑"),
    ],
)
def test_initial_consonants_find_words_also_inside_words(query, text):
    assert found(query, text)


def test_terms_combine_with_and():
    assert found("강아지 ㅅㅊ", "강아지랑 산책")
    assert not found("강아지 ㅅㅊ", "강아지랑 놀이")


@pytest.mark.parametrize(
    ("query", "text"), [("walks", "I walk my dog"), ("walk", "Walking with Dubu"), ("WALK", "walks")]
)
def test_english_matches_case_insensitively_with_stems(query, text):
    assert found(query, text)


def test_mixed_korean_and_english():
    assert found("dog 산책", "오늘 Dog와 산책")
    assert found("강아지", "my강아지love")


def test_unrelated_words_do_not_match():
    assert not found("고양이", "강아지 산책")
    assert not found("ㄱㅇㅇ", "강아지")


def test_hashtag_queries_are_separate_from_terms():
    parsed = parse_query("#산책 강아지 #Walk")

    assert parsed.hashtags == ("산책", "walk")
    assert parsed.terms == ("강아지",)


def test_empty_or_symbol_only_query_is_empty():
    assert not parse_query("   ")
    assert not parse_query("!!! ???")


def test_matches_counts_terms_hitting_a_field():
    assert matches(parse_query("산책 강아지"), index_terms("#산책")) == 1


def test_index_document_is_stable_space_separated_terms():
    assert index_document("산책") == "ㅅㅊ ㅊ 산책 책"
