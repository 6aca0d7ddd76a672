"""Stored terms and query levels for Korean text, evaluated in Python as the backends match them."""

import pytest

from search.korean import (
    EXACT,
    INITIALS,
    INITIALS_PREFIX,
    INSIDE_WORD,
    MAX_TERM_LENGTH,
    PART,
    PREFIX,
    TypoIndex,
    best_level,
    highlight_spans,
    index_document,
    index_terms,
    parse_query,
    tag_term,
)


def level(query: str, text: str, *, hashtags: tuple[str, ...] = ()) -> int | None:
    terms = set(index_document(text, hashtags=hashtags).split())
    return best_level(parse_query(query), terms)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("말티즈랑", "말티즈 미용 완료"),
        ("한강에서", "한강 산책"),
        ("산책을", "오늘도 산책"),
        ("푸들이랑", "우리 푸들"),
    ],
)
def test_particles_on_the_query_are_dropped(query, text):
    assert level(query, text) == EXACT


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("예쁜", "너무 예뻐요"),
        ("추운", "추워서 못 나갔어요"),
        ("불러요", "이름 불렀더니 와요"),
        ("걷는", "천천히 걸었어요"),
    ],
)
def test_conjugated_forms_meet_at_their_stem(query, text):
    assert level(query, text) == EXACT


def test_compounds_match_written_apart_and_together():
    assert level("애견카페", "애견 카페에서 만나요") == PART
    assert level("애견 카페", "애견카페 처음 가봤어요") == PART
    assert level("카페", "애견카페 처음 가봤어요") == PART


def test_initials_match_words_and_two_word_phrases_exactly_before_as_a_prefix():
    assert level("ㅁㅌㅈ", "말티즈 산책") == INITIALS
    assert level("ㅁㅌㅈ", "마트 정보") == INITIALS_PREFIX
    assert level("ㅇㄱㅋㅍ", "애견 카페에서") == INITIALS
    assert level("ㅇㅈ", "강아지") is None


def test_prefix_and_inside_a_word_rank_last_and_one_syllable_matches_whole_words_only():
    assert level("포메라", "포메라니안 산책") == PREFIX
    assert level("리트리버", "골든리트리버 수영") == INSIDE_WORD
    assert level("개", "개구리 소개") is None
    assert level("개", "개 산책시키는 법") == EXACT


def test_synonyms_from_the_data_file_match_one_level_down():
    assert level("beagle", "우리 비글 최고") == PART
    assert level("포메", "포메라니안 털갈이") == PART
    assert level("고양이", "고양시 맛집") is None


def test_hashtags_are_found_by_their_stem_tag_and_exactly():
    assert level("#공원", "#공원을 한 바퀴", hashtags=("공원을",)) == EXACT
    assert level("#공원을", "#공원 벤치", hashtags=("공원",)) is None
    assert level("#공원", "#공원묘지 산책로", hashtags=("공원묘지",)) is None


def test_long_hashtags_are_stored_and_queried_at_the_same_length():
    tag = "강아지랑함께하는주말아침한강공원산책모임후기"
    assert 15 < len(tag) < MAX_TERM_LENGTH
    assert tag_term(tag) in index_document(f"#{tag}", hashtags=(tag,)).split()
    assert level(f"#{tag}", f"#{tag}", hashtags=(tag,)) == EXACT


def test_english_words_match_by_stem_not_by_prefix():
    assert level("walks", "Walking with my dog") == EXACT
    assert level("park", "parkour videos") is None


def test_query_words_combine_with_and():
    assert level("강아지 ㅅㅊ", "강아지랑 산책") is not None
    assert level("강아지 ㅅㅊ", "강아지랑 놀이") is None


def test_empty_or_symbol_only_query_is_empty():
    assert not parse_query("   ")
    assert not parse_query("!!! ???")


def test_stored_terms_keep_surface_forms_nouns_and_stems():
    terms = index_terms("말티즈랑 예뻐요")
    assert {"말티즈랑ㆆ", "말티즈ㆆ", "예쁘다ㆆ", "예뻐요ㆆ", "ㅁㅌㅈㆆ"} <= terms


def test_highlights_cover_the_matched_words_without_their_particles():
    text = "말티즈랑 한강에서 놀았어요"
    spans = highlight_spans(text, parse_query("말티즈 한강"))
    assert [text[start:end] for start, end in spans] == ["말티즈", "한강"]


def test_typo_index_offers_words_one_letter_away():
    index = TypoIndex(["말티즈", "포메라니안", "시바견"])
    assert index.near("말티주") == ["말티즈"]
    assert index.near("포메라니얀") == ["포메라니안"]
    assert index.near("시바") == []
