import pytest

from worldcup.tests.factories import make_event


@pytest.fixture
def event(db):
    """This month's event, open for entries and voting, with a bracket of 8 (8강)."""
    return make_event()
