import pytest

from accounts.tests.factories import UserFactory
from community.tests.factories import PostFactory


@pytest.fixture
def post(other_member):
    """A post by kongi (other_member) that dubu (member) may report."""
    return PostFactory(author=other_member, text="싸게 팝니다 #광고")


@pytest.fixture
def third_member(db):
    return UserFactory(username="bori", nickname="보리아빠")
