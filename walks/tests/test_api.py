"""The walks API: public lists, member writes, privacy of the meeting place, host-only actions."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from pets.tests.factories import PetFactory
from walks.models import Walk, WalkStatus
from walks.tests.factories import WalkFactory, seoul
from walks.tests.test_services import snapshot

PLACE = "양재천 영동2교 아래 벤치"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def payload(board_page, **overrides) -> dict:
    data = {
        "board": board_page.pk,
        "title": "저녁 산책",
        "description_html": '<p>같이 <em>걸어요</em></p><img src=x onerror="alert(1)">',
        "start_at": seoul(2, 19).isoformat(),
        "end_at": seoul(2, 20).isoformat(),
        "area": "역삼동",
        "meeting_place": PLACE,
        "dog_sizes": ["large"],
        "host_gender": "male",
        "preferred_gender": "any",
        "capacity": 3,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestReading:
    def test_anyone_lists_walks_without_the_meeting_place(self, api_client, host, board, joiner):
        WalkFactory(host=host, board=board, joiners=[joiner], meeting_place=PLACE)

        response = api_client.get("/api/walks/")

        assert response.status_code == 200
        [walk] = response.json()["results"]
        assert walk["meeting_place"] is None
        assert walk["area"] == "양재천 근처"
        assert walk["board"]["region"] == "서울 강남구"
        assert walk["headcount"] == 2
        assert walk["is_open"] is True
        assert walk["closed_reason"] is None
        assert walk["url"].startswith("/walks/seoul-gangnam/")

    @pytest.mark.parametrize(
        ("viewer", "sees"), [("visitor", False), ("outsider", False), ("host", True), ("joiner", True)]
    )
    def test_the_meeting_place_is_for_the_host_and_members(self, host, board, joiner, outsider, viewer, sees):
        walk = WalkFactory(host=host, board=board, joiners=[joiner], meeting_place=PLACE)
        client = client_for({"visitor": None, "outsider": outsider, "host": host, "joiner": joiner}[viewer])

        detail = client.get(f"/api/walks/{walk.pk}/").json()
        listed = client.get("/api/walks/").json()["results"][0]

        assert (detail["meeting_place"] == PLACE) is sees
        assert (listed["meeting_place"] == PLACE) is sees
        assert PLACE not in str(detail) or sees
        assert (detail["participants"] is not None) is sees

    def test_boards_are_listed(self, api_client):
        response = api_client.get("/api/walk-boards/")

        assert response.status_code == 200
        assert [board["region"] for board in response.json()] == [
            "서울 강남구",
            "서울 마포구",
            "부산 해운대구",
        ]

    def test_closed_reason_is_explained(self, api_client, host, board):
        walk = WalkFactory(host=host, board=board, capacity=2, joiners=[UserFactory()])

        body = api_client.get(f"/api/walks/{walk.pk}/").json()

        assert body["is_open"] is False
        assert body["closed_reason"] == "full"


@pytest.mark.django_db
class TestWriting:
    def test_create_as_the_session_or_token_user(self, member_api_client, member, other_member, board):
        pet = PetFactory(owner=member)

        response = member_api_client.post(
            "/api/walks/", payload(board, host=other_member.pk, pets=[pet.pk]), format="json"
        )

        assert response.status_code == 201, response.json()
        body = response.json()
        walk = Walk.objects.get()
        assert walk.host == member, "the host in the body is ignored"
        assert body["is_host"] is True
        assert body["meeting_place"] == PLACE
        assert body["description_html"] == "<p>같이 <em>걸어요</em></p>"
        assert [p["id"] for p in body["pets"]] == [pet.pk]
        assert body["chat_url"] is None or body["chat_url"] == f"/chat/walks/{walk.pk}/"

    def test_visitors_cannot_post(self, api_client, board):
        response = api_client.post("/api/walks/", payload(board), format="json")

        assert response.status_code in {401, 403}
        assert not Walk.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"capacity": 1}, "capacity"),
            ({"capacity": 21}, "capacity"),
            ({"dog_sizes": []}, "dog_sizes"),
            ({"dog_sizes": ["tiny"]}, "dog_sizes"),
            ({"start_at": "어제"}, "start_at"),
            ({"start_at": seoul(-1, 9).isoformat(), "end_at": seoul(-1, 10).isoformat()}, "start_at"),
            ({"board": 999999}, "board"),
            ({"description_html": "<script>alert(1)</script>"}, "description_html"),
        ],
    )
    def test_invalid_walks_get_400_by_field(self, member_api_client, board, changes, field):
        response = member_api_client.post("/api/walks/", payload(board, **changes), format="json")

        assert response.status_code == 400
        assert field in response.json()
        assert not Walk.objects.exists()

    def test_the_host_edits_some_fields(self, member, board):
        walk = WalkFactory(host=member, board=board, capacity=4)

        response = client_for(member).patch(
            f"/api/walks/{walk.pk}/", {"title": "새 제목", "dog_sizes": ["large", "small"]}, format="json"
        )

        assert response.status_code == 200, response.json()
        walk.refresh_from_db()
        assert walk.title == "새 제목"
        assert walk.dog_sizes == ["small", "large"]
        assert walk.capacity == 4

    def test_join_leave_and_refusals(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, capacity=2)

        joined = client_for(joiner).post(f"/api/walks/{walk.pk}/join/")
        refused = client_for(outsider).post(f"/api/walks/{walk.pk}/join/")

        assert joined.status_code == 200
        assert joined.json()["joined"] is True
        assert joined.json()["meeting_place"] == PLACE
        assert refused.status_code == 400
        assert refused.json()["detail"]
        left = client_for(joiner).post(f"/api/walks/{walk.pk}/leave/")
        assert left.status_code == 200
        assert left.json()["joined"] is False
        assert Notification.objects.filter(recipient=host, kind="walk_leave").exists()

    def test_host_actions(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        client = client_for(host)

        assert client.post(f"/api/walks/{walk.pk}/close/").json()["closed_reason"] == "closed"
        assert client.post(f"/api/walks/{walk.pk}/reopen/").json()["closed_reason"] is None
        removed = client.delete(f"/api/walks/{walk.pk}/participants/{joiner.pk}/")
        assert removed.status_code == 200
        assert removed.json()["participants"] == []
        assert client.delete(f"/api/walks/{walk.pk}/participants/{joiner.pk}/").status_code == 404
        assert client.post(f"/api/walks/{walk.pk}/cancel/").json()["status"] == WalkStatus.CANCELLED
        assert client.delete(f"/api/walks/{walk.pk}/").status_code == 204
        assert client.get(f"/api/walks/{walk.pk}/").status_code == 404

    def test_mutations_need_a_member(self, api_client, host, board):
        walk = WalkFactory(host=host, board=board)

        for method, url in [
            ("post", f"/api/walks/{walk.pk}/join/"),
            ("post", f"/api/walks/{walk.pk}/leave/"),
            ("patch", f"/api/walks/{walk.pk}/"),
            ("delete", f"/api/walks/{walk.pk}/"),
        ]:
            assert getattr(api_client, method)(url).status_code in {401, 403}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "joiner"])
def test_only_the_host_changes_a_walk_through_the_api(host, board, joiner, outsider, who):
    walk = WalkFactory(host=host, board=board, joiners=[joiner])
    client = client_for({"outsider": outsider, "joiner": joiner}[who])
    client_for(host).post(f"/api/walks/{walk.pk}/close/")
    before = snapshot(walk)

    for method, url, data in [
        ("patch", f"/api/walks/{walk.pk}/", {"title": "남의 산책"}),
        ("delete", f"/api/walks/{walk.pk}/", None),
        ("post", f"/api/walks/{walk.pk}/cancel/", None),
        ("post", f"/api/walks/{walk.pk}/close/", None),
        ("post", f"/api/walks/{walk.pk}/reopen/", None),
        ("delete", f"/api/walks/{walk.pk}/participants/{joiner.pk}/", None),
    ]:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 403, f"{method.upper()} {url}: {response.status_code}"

    assert snapshot(walk) == before


@pytest.mark.django_db
def test_the_schema_documents_the_walks_api_without_warnings(tmp_path, capsys):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--file", str(target), "--validate")

    schema = target.read_text(encoding="utf-8")
    for path in (
        "/api/walks/:",
        "/api/walks/{id}/:",
        "/api/walks/{id}/join/:",
        "/api/walks/{id}/leave/:",
        "/api/walks/{id}/cancel/:",
        "/api/walks/{id}/participants/{member_id}/:",
        "/api/walk-boards/:",
    ):
        assert path in schema
    for parameter in (
        "time_slot",
        "date_from",
        "date_to",
        "size",
        "gender",
        "host_gender",
        "open",
        "board",
        "area",
    ):
        assert f"name: {parameter}" in schema
    assert "WalkStatusEnum:" in schema, "named, not a hashed enum collision"
    output = capsys.readouterr()
    walk_warnings = [
        line for line in (output.err + output.out).splitlines() if "walks/" in line or "Walk" in line
    ]
    assert walk_warnings == []
