import pytest

from accounts.tests.factories import UserFactory
from walks.tests.factories import board as board_by_slug


@pytest.fixture
def board(db):
    """서울 강남구, one of the boards the migration creates."""
    return board_by_slug("seoul-gangnam")


@pytest.fixture
def other_board(db):
    return board_by_slug("busan-haeundae")


@pytest.fixture
def host(member):
    return member


@pytest.fixture
def joiner(db):
    return UserFactory(username="bori", nickname="보리아빠")


@pytest.fixture
def outsider(other_member):
    """A member who neither hosts nor joined."""
    return other_member
