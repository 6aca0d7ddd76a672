"""World Cup events and entries in the site search (the database index)."""

import pytest

from search.selectors import site_search
from worldcup import services
from worldcup.tests.factories import enter, make_event


def found(viewer, query: str, kind: str) -> list[str]:
    outcome = site_search(viewer=viewer, raw_query=query, types=[kind], page_size=50)
    return [getattr(result, "pet_name", None) or result.title for result in outcome.pages[0].results]


@pytest.mark.django_db
class TestWorldCupSearch:
    def test_events_are_found_by_title_and_initials(self, member):
        make_event(title="12월 강아지 월드컵")

        assert found(member, "월드컵", "events") == ["12월 강아지 월드컵"]
        assert found(member, "ㄱㅇㅈ", "events") == ["12월 강아지 월드컵"]
        assert found(member, "햄스터", "events") == []

    def test_entries_are_found_by_pet_name_and_event(self, member, event):
        enter(event, name="두부")
        enter(event, name="콩이")

        assert found(member, "두부", "entries") == ["두부"]
        assert sorted(found(member, "월드컵", "entries")) == ["두부", "콩이"]

    def test_a_withdrawn_entry_leaves_the_search(self, member, event, moderator):
        entry = enter(event, name="두부")

        services.entry_withdraw(entry_id=entry.pk, moderator=moderator, reason="중복")

        assert found(member, "두부", "entries") == []

    def test_the_search_page_lists_both(self, client, event):
        enter(event, name="두부")

        html = client.get("/search/", {"q": "월드컵"}).content.decode()

        assert event.title in html
        assert "두부" in html
