"""Routes declared in an app's views.py serve the page they resolved on, through its ``get_context``."""

import pytest
from wagtail.models import Page

from walks.models import WalkBoardPage
from walks.tests.factories import WalkFactory

pytestmark = pytest.mark.django_db


def test_a_route_renders_through_the_pages_get_context(client, member, monkeypatch):
    walk = WalkFactory(host=member, title="저녁 산책")

    def get_context(self, request, *args, **kwargs):
        return {**Page.get_context(self, request, *args, **kwargs), "notice": "이번 주는 공원 공사 중이에요"}

    monkeypatch.setattr(WalkBoardPage, "get_context", get_context)
    response = client.get(walk.get_absolute_url())
    assert response.status_code == 200
    assert response.context["notice"] == "이번 주는 공원 공사 중이에요"
    assert response.context["page"] == walk.board
    assert response.context["walk"] == walk


def test_a_route_answers_with_the_status_its_view_chose(client, member):
    board = WalkFactory(host=member).board
    assert client.get(board.url, {"size": "huge"}).status_code == 400
