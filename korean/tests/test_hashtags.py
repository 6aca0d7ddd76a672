import pytest

from korean.hashtags import normalize_hashtag, stem_tag, with_stem_tags


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#산책", "산책"),
        ("  #Walk ", "walk"),
        ("#WALK", "walk"),
        ("#Straße", "strasse"),
        ("#\u1109\u1161\u11ab", "산"),
    ],
)
def test_hashtags_normalize_to_one_spelling(raw, expected):
    assert normalize_hashtag(raw) == expected


@pytest.mark.parametrize(
    ("tag", "stem"),
    [
        ("공원을", "공원"),
        ("댕댕이랑", "댕댕이"),
        ("한강에서", "한강"),
        ("가을", "가을"),
        ("고양이", "고양이"),
        ("walk", "walk"),
    ],
)
def test_a_tag_loses_the_particles_after_its_noun_only(tag, stem):
    assert stem_tag(tag) == stem


def test_stem_tags_follow_the_tags_written_without_repeats():
    assert with_stem_tags(["공원을", "공원", "산책"]) == ["공원을", "공원", "산책"]
