import pytest

from korean.hashtags import stem_tag, with_stem_tags


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
