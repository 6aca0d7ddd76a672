"""The walk index, the boards and their routes: listing, posting, privacy and permissions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from walks import services
from walks.models import Walk, WalkStatus
from walks.tests.factories import WalkFactory, seoul
from walks.tests.test_services import snapshot

PLACE = "양재천 영동2교 아래 벤치"


def form_data(**overrides) -> dict:
    day = seoul(3).date()
    data = {
        "title": "주말 아침 양재천 산책",
        "description": '<p>천천히 <strong>같이</strong> 걸어요<script>alert(1)</script></p><p><a href="javascript:x()">링크</a></p>',
        "date": day.isoformat(),
        "start_time": "07:30",
        "end_time": "08:30",
        "area": "양재천 근처",
        "meeting_place": PLACE,
        "dog_sizes": ["small", "medium"],
        "host_gender": "female",
        "preferred_gender": "any",
        "capacity": "4",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestLists:
    def test_the_index_lists_boards_and_walks_across_them(self, client, host, board, other_board):
        WalkFactory(host=host, board=board, title="강남 산책")
        WalkFactory(host=host, board=other_board, title="해운대 산책")

        response = client.get("/walks/")

        html = response.content.decode()
        assert response.status_code == 200
        assert "산책 친구 찾기" in html
        for region in ("서울 강남구", "서울 마포구", "부산 해운대구"):
            assert region in html
        assert "강남 산책" in html
        assert "해운대 산책" in html

    def test_a_board_lists_only_its_walks(self, client, host, board, other_board):
        WalkFactory(host=host, board=board, title="강남 산책")
        WalkFactory(host=host, board=other_board, title="해운대 산책")

        html = client.get(board.url).content.decode()

        assert "강남 산책" in html
        assert "해운대 산책" not in html

    def test_the_index_filters_by_board(self, client, host, board, other_board):
        WalkFactory(host=host, board=board, title="강남 산책")
        WalkFactory(host=host, board=other_board, title="해운대 산책")

        html = client.get("/walks/", {"board": other_board.pk, "open": "true"}).content.decode()

        assert "해운대 산책" in html
        assert "강남 산책" not in html

    def test_the_header_links_to_the_walks(self, client):
        assert 'href="/walks/"' in client.get("/").content.decode()

    def test_lists_never_show_the_meeting_place(self, client, host, board, joiner):
        WalkFactory(host=host, board=board, joiners=[joiner], meeting_place=PLACE)

        for viewer in (None, host, joiner):
            if viewer:
                client.force_login(viewer)
            for url in ("/walks/", board.url):
                assert PLACE not in client.get(url).content.decode()


@pytest.mark.django_db
class TestPosting:
    @pytest.mark.smoke
    def test_a_member_posts_a_walk_and_lands_on_it(self, client, host, board):
        client.force_login(host)

        response = client.post(f"{board.url}new/", form_data())

        walk = Walk.objects.get()
        assert response.status_code == 302
        assert response["Location"] == walk.get_absolute_url()
        assert walk.host == host
        assert walk.board_id == board.pk
        assert walk.start_at == seoul(3, 7, 30)
        assert walk.end_at == seoul(3, 8, 30)
        assert walk.description_html == (
            '<p>천천히 <strong>같이</strong> 걸어요</p><p><a rel="nofollow ugc noopener noreferrer">링크</a></p>'
        )

    def test_an_end_before_the_start_is_the_next_day(self, client, host, board):
        client.force_login(host)

        client.post(f"{board.url}new/", form_data(start_time="23:00", end_time="01:00"))

        walk = Walk.objects.get()
        assert walk.end_at - walk.start_at == timedelta(hours=2)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": ""}, "title"),
            ({"description": "<p></p>"}, "description"),
            ({"date": "내일"}, "date"),
            ({"capacity": "21"}, "capacity"),
            ({"dog_sizes": []}, "dog_sizes"),
            ({"date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "start_time"),
        ],
    )
    def test_mistakes_come_back_on_the_form(self, client, host, board, changes, field):
        client.force_login(host)

        response = client.post(f"{board.url}new/", form_data(**changes))

        assert response.status_code == 400
        assert f'id="id_{field}_error"' in response.content.decode()
        assert not Walk.objects.exists()

    def test_visitors_are_sent_to_log_in(self, client, board):
        response = client.get(f"{board.url}new/")

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_closed_board_takes_no_new_walks(self, client, host, board):
        type(board).objects.filter(pk=board.pk).update(is_open=False)
        client.force_login(host)

        response = client.post(f"{board.url}new/", form_data())

        assert response.status_code == 302
        assert not Walk.objects.exists()

    def test_the_form_loads_the_editor_from_our_static_files(self, client, host, board):
        client.force_login(host)

        html = client.get(f"{board.url}new/").content.decode()

        assert 'type="importmap"' in html
        assert "/static/django_prose_editor/editor.js" in html
        assert "data-django-prose-editor-configurable" in html
        head = html.split("</head>")[0]
        assert "://" not in head, "no CDN"


@pytest.mark.django_db
class TestDetail:
    @pytest.mark.parametrize(
        ("viewer", "sees_place"),
        [("visitor", False), ("outsider", False), ("host", True), ("joiner", True)],
    )
    def test_only_the_host_and_members_see_the_meeting_place(
        self, client, host, board, joiner, outsider, viewer, sees_place
    ):
        walk = WalkFactory(host=host, board=board, joiners=[joiner], meeting_place=PLACE)
        people = {"visitor": None, "outsider": outsider, "host": host, "joiner": joiner}
        if people[viewer]:
            client.force_login(people[viewer])

        html = client.get(walk.get_absolute_url()).content.decode()

        assert (PLACE in html) is sees_place
        assert walk.area in html
        assert ('data-role="members"' in html) is sees_place, "the member list is private too"

    def test_a_walk_is_only_served_on_its_own_board(self, client, host, board, other_board):
        walk = WalkFactory(host=host, board=board)

        assert client.get(f"{other_board.url}{walk.pk}/").status_code == 404
        assert client.get(f"{board.url}{walk.pk + 1000}/").status_code == 404

    def test_deleted_walks_are_gone(self, client, host, board):
        walk = WalkFactory(host=host, board=board, deleted_at=timezone.now())

        assert client.get(walk.get_absolute_url()).status_code == 404

    def test_a_walk_hidden_by_moderators_is_shown_to_its_host_only_with_the_reason(
        self, client, host, board, joiner, outsider
    ):
        walk = WalkFactory(
            host=host, board=board, joiners=[joiner], is_hidden=True, hidden_reason="광고 모임"
        )

        client.force_login(outsider)
        assert client.get(walk.get_absolute_url()).status_code == 404
        assert walk.title not in client.get(board.url).content.decode()
        client.force_login(host)
        html = client.get(walk.get_absolute_url()).content.decode()
        assert "광고 모임" in html
        assert 'property="og:title"' not in html, "no link preview for hidden content"

    def test_the_chat_link_is_for_members(self, client, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        room = f'href="/chat/walks/{walk.pk}/"'

        client.force_login(joiner)
        assert room in client.get(walk.get_absolute_url()).content.decode()
        client.force_login(host)
        assert room in client.get(walk.get_absolute_url()).content.decode()
        client.force_login(UserFactory())
        assert room not in client.get(walk.get_absolute_url()).content.decode()


@pytest.mark.django_db
class TestJoiningOnPages:
    @pytest.mark.smoke
    def test_join_then_leave(self, client, host, board, joiner):
        walk = WalkFactory(host=host, board=board)
        client.force_login(joiner)

        response = client.post(walk.urls["join"], follow=True)

        assert response.status_code == 200
        html = response.content.decode()
        assert PLACE in html
        assert 'data-role="leave"' in html
        assert Notification.objects.filter(recipient=host, kind="walk_join").exists()

        asked = client.post(walk.urls["leave"])
        assert asked.status_code == 200, "without the dialog's confirmation the server asks on a page"
        assert "이 산책에서 나갈까요?" in asked.content.decode()
        walk.refresh_from_db()
        assert walk.participant_count == 1
        client.post(walk.urls["leave"], {"confirm": "yes"})
        walk.refresh_from_db()
        assert walk.participant_count == 0

    def test_a_full_walk_refuses_with_a_message(self, client, host, board, outsider):
        walk = WalkFactory(host=host, board=board, capacity=2, joiners=[UserFactory()])
        client.force_login(outsider)

        response = client.post(walk.urls["join"], follow=True)

        html = response.content.decode()
        assert "message--error" in html
        assert PLACE not in html
        walk.refresh_from_db()
        assert walk.participant_count == 1

    def test_actions_need_post_and_a_known_name(self, client, host, board, outsider):
        walk = WalkFactory(host=host, board=board)
        client.force_login(outsider)

        assert client.get(walk.urls["join"]).status_code == 405
        assert client.post(f"{walk.get_absolute_url()}dance/").status_code == 404

    def test_visitors_are_sent_to_log_in_to_join(self, client, host, board):
        walk = WalkFactory(host=host, board=board)

        response = client.post(walk.urls["join"])

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_the_host_cancels_and_members_are_notified(self, client, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        client.force_login(host)

        asked = client.post(walk.urls["cancel"])
        assert "이 산책을 취소할까요?" in asked.content.decode()
        assert 'name="confirm" value="yes"' in asked.content.decode()
        walk.refresh_from_db()
        assert walk.status != WalkStatus.CANCELLED
        client.post(walk.urls["cancel"], {"confirm": "yes"})

        walk.refresh_from_db()
        assert walk.status == WalkStatus.CANCELLED
        client.force_login(joiner)
        html = client.get("/notifications/").content.decode()
        assert walk.title in html
        assert f'href="{walk.get_absolute_url()}"' in html

    def test_the_host_removes_a_member(self, client, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        client.force_login(host)

        client.post(walk.remove_participant_url(joiner.pk))

        walk.refresh_from_db()
        assert walk.participant_count == 0
        assert Notification.objects.filter(recipient=joiner, kind="walk_removed").exists()


def host_only_requests(walk, member_id):
    return [
        ("get", walk.urls["edit"], {}),
        ("post", walk.urls["edit"], form_data(title="남의 산책")),
        ("get", walk.urls["delete"], {}),
        ("post", walk.urls["delete"], {}),
        ("post", walk.urls["close"], {}),
        ("post", walk.urls["reopen"], {}),
        ("post", walk.urls["cancel"], {"confirm": "yes"}),
        ("post", walk.remove_participant_url(member_id), {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "joiner"])
def test_only_the_host_changes_a_walk_on_the_pages(client, host, board, joiner, outsider, who):
    walk = WalkFactory(host=host, board=board, joiners=[joiner])
    services.walk_close(walk_id=walk.pk, member=host)  # so "reopen" would change something
    walk.refresh_from_db()
    before = snapshot(walk)
    client.force_login({"outsider": outsider, "joiner": joiner}[who])

    for method, url, data in host_only_requests(walk, joiner.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, f"{method.upper()} {url}"

    assert snapshot(walk) == before


@pytest.mark.django_db
def test_boards_with_walks_cannot_be_deleted_in_the_admin(client, admin_login, host, board):
    WalkFactory(host=host, board=board)
    admin_login(client, UserFactory(is_staff=True, is_superuser=True))

    response = client.post(f"/admin/pages/{board.pk}/delete/")

    assert response.status_code == 302
    assert type(board).objects.filter(pk=board.pk).exists()
