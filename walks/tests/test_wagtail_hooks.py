"""Walks in the Wagtail admin: moderators and superusers find and read them; nobody edits them
there; the meeting place stays with the host and members; other staff do not see them."""

import json

import pytest
from django.contrib.auth.models import Group

from accounts.roles import WAGTAIL_EDITORS
from accounts.tests.factories import UserFactory
from walks.models import Walk, WalkStatus
from walks.tests.factories import WalkFactory

pytestmark = pytest.mark.django_db

WALKS = "/admin/walks/"


@pytest.fixture
def walks(host, board, other_board):
    morning = WalkFactory(host=host, board=board, title="양재천 아침 산책", meeting_place="영동2교 아래 벤치")
    beach = WalkFactory(
        host=UserFactory(username="haeun", nickname="해운대견"), board=other_board, title="해변 산책"
    )
    Walk.objects.filter(pk=beach.pk).update(status=WalkStatus.CANCELLED)
    return morning, beach


@pytest.fixture
def moderator_client(client, admin_login, moderator):
    return admin_login(client, moderator)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_moderators_list_walks_with_board_host_and_status(moderator_client, walks):
    html = page(moderator_client.get(WALKS))

    assert "양재천 아침 산책" in html
    assert "해변 산책" in html
    assert "취소" in html
    menu = page(moderator_client.get("/admin/"))
    assert WALKS in menu
    assert json.dumps("산책") in menu, "the menu (JSON for the sidebar) says 산책"


def test_search_by_title_area_or_host(moderator_client, walks):
    by_title = page(moderator_client.get(WALKS, {"q": "해변"}))
    assert "해변 산책" in by_title
    assert "양재천 아침 산책" not in by_title
    assert "양재천 아침 산책" in page(moderator_client.get(WALKS, {"q": "양재천 근처"})), "by area"
    by_host = page(moderator_client.get(WALKS, {"q": "haeun"}))
    assert "해변 산책" in by_host
    assert "양재천 아침 산책" not in by_host


def test_filter_by_status_and_board(moderator_client, walks, other_board):
    cancelled = page(moderator_client.get(WALKS, {"status": WalkStatus.CANCELLED}))
    assert "해변 산책" in cancelled
    assert "양재천 아침 산책" not in cancelled
    busan = page(moderator_client.get(WALKS, {"board": other_board.pk}))
    assert "해변 산책" in busan
    assert "양재천 아침 산책" not in busan


def test_a_walk_opens_without_its_meeting_place_and_cannot_be_edited(moderator_client, walks):
    morning, _beach = walks

    html = page(moderator_client.get(f"{WALKS}inspect/{morning.pk}/"))

    assert "양재천 아침 산책" in html
    assert "천천히" in html
    assert "영동2교" not in html
    assert f"{WALKS}edit/" not in html
    assert moderator_client.get(f"{WALKS}edit/{morning.pk}/").status_code == 404
    assert moderator_client.get(f"{WALKS}delete/{morning.pk}/").status_code == 404


def test_editors_do_not_see_walks(client, admin_login, walks):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name=WAGTAIL_EDITORS))
    admin_login(client, editor)

    assert client.get(WALKS).status_code == 302
    assert client.get(f"{WALKS}inspect/{walks[0].pk}/").status_code == 302
    assert WALKS not in page(client.get("/admin/"))


def test_superusers_list_walks_and_django_admin_has_none(client, admin_login, walks):
    admin_login(client, UserFactory(username="boss", is_staff=True, is_superuser=True))

    assert "양재천 아침 산책" in page(client.get(WALKS))
    assert client.get("/django-admin/walks/walk/").status_code == 404
