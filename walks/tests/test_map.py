"""A walk's meeting point: stored exactly, shown exactly only to its host and members, and
searched by distance from the snapped point everyone may know."""

import io
import json
import re
import zipfile

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import override_settings

from privacy import services as privacy_services
from privacy.export import ExportWriter
from walks import geo, services
from walks.models import Walk, snap
from walks.privacy import export
from walks.tests.factories import WalkFactory, seoul, walk_input

# 양재천 영동2교 and two spots 1.3 km and 9 km from it.
EXACT = (37.479123, 127.038457)
SNAPPED = (37.48, 127.04)
NEAR = (37.4905, 127.0443)
FAR = (37.5585, 127.0012)


def exact_fragments() -> list[str]:
    """The exact point as it could appear anywhere (JSON numbers, data attributes, links)."""
    return [f"{EXACT[0]}", f"{EXACT[1]}", "37.4791", "127.0384"]


@pytest.mark.django_db
class TestStoring:
    def test_the_host_picks_a_point_and_it_is_kept_exactly(self, host, board):
        walk = WalkFactory(host=host, board=board, latitude=EXACT[0], longitude=EXACT[1])

        assert (walk.latitude, walk.longitude) == EXACT
        assert walk.public_point == SNAPPED

    @pytest.mark.parametrize(
        ("latitude", "longitude", "field"),
        [
            (91, 127, "latitude"),
            (37.5, 180.5, "longitude"),
            (37.5, None, "latitude"),
            (float("nan"), 1, "latitude"),
        ],
    )
    def test_a_point_out_of_range_or_half_given_is_refused(self, host, board, latitude, longitude, field):
        with pytest.raises(ValidationError) as refused:
            services.walk_create(
                host=host, board_id=board.pk, data=walk_input(latitude=latitude, longitude=longitude)
            )

        assert field in refused.value.message_dict
        assert not Walk.objects.exists()

    def test_snapping_lands_on_the_500_m_grid(self):
        assert snap(37.4975) == 37.5
        assert snap(127.0374) == 127.035
        assert snap(-33.8671) == -33.865

    def test_the_form_and_the_api_take_the_point(self, client, api_client, host, board):
        client.force_login(host)
        form = {
            "title": "지도 산책",
            "description": "<p>같이 걸어요</p>",
            "date": seoul(3).date().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "area": "양재천",
            "meeting_place": "영동2교 아래",
            "latitude": str(EXACT[0]),
            "longitude": str(EXACT[1]),
            "dog_sizes": ["small"],
            "host_gender": "female",
            "preferred_gender": "any",
            "capacity": "4",
        }
        assert client.post(f"{board.url}new/", form).status_code == 302
        api_client.force_authenticate(host)
        walk = Walk.objects.get()
        response = api_client.patch(
            f"/api/walks/{walk.pk}/", {"latitude": 37.5, "longitude": 127.0}, format="json"
        )

        assert response.status_code == 200
        assert (response.json()["latitude"], response.json()["longitude"]) == (37.5, 127.0)
        assert response.json()["point_is_exact"] is True
        refused = api_client.patch(f"/api/walks/{walk.pk}/", {"latitude": 99}, format="json")
        assert refused.status_code == 400


@pytest.mark.django_db
class TestWhoSeesThePoint:
    @pytest.fixture
    def walk(self, host, board, joiner):
        return WalkFactory(host=host, board=board, joiners=[joiner], latitude=EXACT[0], longitude=EXACT[1])

    @pytest.mark.parametrize("viewer", ["visitor", "outsider"])
    @pytest.mark.parametrize("tiles", [True, False], ids=["with-tiles", "without-tiles"])
    def test_no_response_to_a_non_participant_holds_the_exact_point(
        self, client, api_client, walk, outsider, viewer, tiles
    ):
        if viewer == "outsider":
            client.force_login(outsider)
            api_client.force_authenticate(outsider)
        tile_url = "https://tiles.example.test/{z}/{x}/{y}.png" if tiles else ""
        with override_settings(MAP_TILE_URL=tile_url, MAP_TILE_ATTRIBUTION="© 예시 타일"):
            page = client.get(walk.get_absolute_url()).content.decode()
            board_list = client.get(walk.board.url).content.decode()
            index = client.get("/walks/").content.decode()
        detail = api_client.get(f"/api/walks/{walk.pk}/").content.decode()
        listing = api_client.get("/api/walks/").content.decode()
        near = api_client.get("/api/walks/", {"near_lat": EXACT[0], "near_lng": EXACT[1]}).content.decode()

        for body in (page, board_list, index, detail, listing, near):
            assert not [fragment for fragment in exact_fragments() if fragment in body]
        og = " ".join(re.findall(r'<meta property="og:[^>]+>', page))
        assert og
        assert "37.4" not in og
        assert "127.0" not in og
        assert json.loads(detail)["latitude"] == SNAPPED[0]
        assert json.loads(detail)["point_is_exact"] is False
        assert "map.kakao.com/link/map/" in page
        assert f"{SNAPPED[0]},{SNAPPED[1]}" in page
        assert "map.naver.com" in page
        assert ('data-role="walk-map"' in page) is tiles
        assert ('data-exact="false"' in page) is tiles

    @pytest.mark.parametrize("who", ["host", "joiner"])
    def test_the_host_and_members_get_the_exact_point(self, client, api_client, walk, host, joiner, who):
        person = host if who == "host" else joiner
        client.force_login(person)
        api_client.force_authenticate(person)

        with override_settings(MAP_TILE_URL="https://tiles.example.test/{z}/{x}/{y}.png"):
            page = client.get(walk.get_absolute_url()).content.decode()
        detail = api_client.get(f"/api/walks/{walk.pk}/").json()

        assert f'data-lat="{EXACT[0]}"' in page
        assert 'data-exact="true"' in page
        assert (detail["latitude"], detail["longitude"], detail["point_is_exact"]) == (*EXACT, True)

    def test_without_a_point_the_page_has_no_map(self, client, host, board):
        walk = WalkFactory(host=host, board=board)

        page = client.get(walk.get_absolute_url()).content.decode()

        assert 'data-role="walk-point"' not in page
        assert "leaflet" not in page


@pytest.mark.django_db
class TestNear:
    def test_walks_come_nearest_first_within_the_radius(self, api_client, host, board):
        far = WalkFactory(host=host, board=board, title="멀리", latitude=FAR[0], longitude=FAR[1])
        near = WalkFactory(host=host, board=board, title="가까이", latitude=NEAR[0], longitude=NEAR[1])
        here = WalkFactory(host=host, board=board, title="여기", latitude=EXACT[0], longitude=EXACT[1])
        WalkFactory(host=host, board=board, title="위치 없음")

        within_5 = api_client.get("/api/walks/", {"near_lat": SNAPPED[0], "near_lng": SNAPPED[1]}).json()
        within_20 = api_client.get(
            "/api/walks/", {"near_lat": SNAPPED[0], "near_lng": SNAPPED[1], "radius": 20}
        ).json()

        assert [walk["id"] for walk in within_5["results"]] == [here.pk, near.pk]
        assert [walk["id"] for walk in within_20["results"]] == [here.pk, near.pk, far.pk]

    def test_distances_are_measured_from_the_snapped_point(self, host, board):
        WalkFactory(host=host, board=board, latitude=EXACT[0], longitude=EXACT[1])

        [walk] = geo.near(Walk.objects.all(), latitude=NEAR[0], longitude=NEAR[1], radius_km=5)

        assert walk.distance_km == pytest.approx(geo.haversine_km(*NEAR, *SNAPPED), abs=1e-6)
        assert walk.distance_km != pytest.approx(geo.haversine_km(*NEAR, *EXACT), abs=1e-3)

    def test_pages_of_near_walks_follow_the_distance(self, api_client, host, board):
        walks = [
            WalkFactory(host=host, board=board, latitude=EXACT[0] + step * 0.01, longitude=EXACT[1])
            for step in (3, 0, 2, 1)
        ]
        query = {"near_lat": EXACT[0], "near_lng": EXACT[1], "page_size": 2}

        first = api_client.get("/api/walks/", query).json()
        second = api_client.get(first["next"]).json()

        ids = [walk["id"] for walk in first["results"] + second["results"]]
        assert ids == [walks[1].pk, walks[3].pk, walks[2].pk, walks[0].pk]

    @pytest.mark.parametrize(
        "query",
        [
            {"near_lat": "37.5"},
            {"near_lat": "95", "near_lng": "127"},
            {"near_lat": "37", "near_lng": "127", "radius": "500"},
        ],
    )
    def test_a_half_or_out_of_range_point_is_a_400(self, client, api_client, query):
        assert api_client.get("/api/walks/", query).status_code == 400
        assert client.get("/walks/", query).status_code == 400

    def test_the_page_filter_finds_walks_near_a_point(self, client, host, board):
        near = WalkFactory(host=host, board=board, title="가까운 산책", latitude=NEAR[0], longitude=NEAR[1])
        WalkFactory(host=host, board=board, title="먼 산책", latitude=FAR[0], longitude=FAR[1])

        body = client.get(
            board.url, {"near_lat": EXACT[0], "near_lng": EXACT[1], "radius": 3}
        ).content.decode()

        assert near.get_absolute_url() in body
        assert "먼 산책" not in body
        assert re.search(r'data-role="distance">[^<]*1\.\d', body)


@pytest.mark.django_db
class TestPrivacy:
    def test_the_export_holds_the_hosts_points(self, host, board):
        WalkFactory(host=host, board=board, latitude=EXACT[0], longitude=EXACT[1])
        buffer = io.BytesIO()

        with zipfile.ZipFile(buffer, "w") as archive:
            export(host, ExportWriter(archive))

        hosted = json.loads(zipfile.ZipFile(buffer).read("walks.json"))["hosted"]
        assert (hosted[0]["latitude"], hosted[0]["longitude"]) == EXACT

    def test_erasure_keeping_posts_wipes_the_points_of_past_walks(
        self, host, board, django_capture_on_commit_callbacks
    ):
        past = WalkFactory(host=host, board=board, latitude=EXACT[0], longitude=EXACT[1], start_at=seoul(-3))

        with django_capture_on_commit_callbacks(execute=True):
            privacy_services.member_delete(member=host, delete_content=False)

        past.refresh_from_db()
        assert (past.latitude, past.longitude, past.meeting_place) == (None, None, "")


@pytest.mark.parametrize(
    ("url", "attribution", "deploy", "ids"),
    [
        ("", "", True, set()),
        ("https://t.example.test/{z}/{x}/{y}.png", "© 타일", True, set()),
        ("http://t.example.test/{z}/{x}/{y}.png", "© 타일", False, set()),
        ("http://t.example.test/{z}/{x}/{y}.png", "© 타일", True, {"walks.E004"}),
        ("https://{s}.t.example.test/{z}/{x}/{y}.png", "© 타일", False, {"walks.E001"}),
        ("https://t.example.test/tiles.png", "", False, {"walks.E002", "walks.E003"}),
    ],
)
def test_map_settings_are_checked(url, attribution, deploy, ids):
    with override_settings(MAP_TILE_URL=url, MAP_TILE_ATTRIBUTION=attribution):
        found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=deploy)

    assert {message.id for message in found if message.id.startswith("walks.")} == ids
