"""Walks on a map in a real browser, with map tiles from a tile server this test runs on loopback:
the host marks the meeting point by clicking (desktop) or tapping (phone) the map, or with the
keyboard; someone who has not joined sees only the snapped point."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from site_core.tests.browser import assert_accessible
from walks import services
from walks.demo import ensure_walk_pages
from walks.models import Walk
from walks.tests.factories import walk_input

pytestmark = pytest.mark.browser

EXACT = (37.479123, 127.038457)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (222, 236, 214)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def tile_server(settings):
    """A tile server on loopback answering every tile with a plain PNG; MAP_TILE_URL points to it."""
    png = _tile_png()
    served = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            served.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            """Quiet: the test counts the requests itself."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAP_TILE_URL = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_TILE_ATTRIBUTION = "© 테스트 타일"
    yield served
    server.shutdown()
    server.server_close()


def log_in(new_page, base_url: str, member, **options):
    client = Client()
    client.force_login(member)
    page = new_page(**options)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def tiles_shown(page) -> None:
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_host_marks_the_meeting_point_on_the_map(new_page, live_server_url, tile_server, device):
    board = ensure_walk_pages()["seoul-gangnam"]
    host = UserFactory(username="dubu")
    walk = services.walk_create(host=host, board_id=board.pk, data=walk_input())
    page = log_in(new_page, live_server_url, host, **(PHONE if device == "phone" else {}))

    page.goto(walk.urls["edit"])
    picker = page.locator("[data-role=point-picker]")
    tiles_shown(page)
    assert tile_server
    if device == "phone":
        picker.scroll_into_view_if_needed()
        picker.tap(position={"x": 120, "y": 90})
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the form scrolls sideways ({width}px)"
    else:
        picker.click(position={"x": 120, "y": 90})
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    # Up and to the left of the map's centre (Seoul City Hall until a point is chosen).
    assert 37.5665 < latitude < 37.8
    assert 126.7 < longitude < 126.978
    assert_accessible(page)

    if device == "desktop":
        # Without a pointer: focus the map and press Enter to mark its centre (arrow keys move it).
        page.locator("[data-role=clear-point]").click()
        expect(page.locator(".leaflet-marker-icon")).to_have_count(0)
        picker.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
        latitude = float(page.locator("#id_latitude").input_value())
        longitude = float(page.locator("#id_longitude").input_value())
        assert latitude == pytest.approx(37.5665, abs=1e-3)
        assert longitude == pytest.approx(126.978, abs=1e-3)

    page.locator("[data-role=walk-form] button[type=submit]").click()
    expect(page.locator("#walk-title")).to_be_visible()
    expect(page.locator("[data-role=walk-map] .leaflet-marker-icon")).to_have_count(1)
    saved = Walk.objects.get(pk=walk.pk)
    assert (saved.latitude, saved.longitude) == (
        pytest.approx(latitude, abs=1e-6),
        pytest.approx(longitude, abs=1e-6),
    )
    assert_accessible(page)


def test_someone_who_has_not_joined_sees_only_the_snapped_point(new_page, live_server_url, tile_server):
    board = ensure_walk_pages()["seoul-gangnam"]
    walk = services.walk_create(
        host=UserFactory(), board_id=board.pk, data=walk_input(latitude=EXACT[0], longitude=EXACT[1])
    )
    page = log_in(new_page, live_server_url, UserFactory(username="kongi"), **PHONE)

    page.goto(walk.get_absolute_url())
    tiles_shown(page)

    canvas = page.locator("[data-role=walk-map]")
    expect(canvas).to_have_attribute("data-lat", "37.48")
    expect(canvas).to_have_attribute("data-lng", "127.04")
    expect(canvas.locator(".leaflet-marker-icon")).to_have_count(0)
    expect(canvas.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(page.get_by_role("link", name="카카오맵에서 보기")).to_have_attribute(
        "href", "https://map.kakao.com/link/map/%EC%96%91%EC%9E%AC%EC%B2%9C%20%EA%B7%BC%EC%B2%98,37.48,127.04"
    )
    html = page.content()
    assert "37.479" not in html
    assert "127.038" not in html
    assert_accessible(page)
