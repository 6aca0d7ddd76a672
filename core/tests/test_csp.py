"""Content-Security-Policy: member pages run only our own scripts (inline ones only with the
request's nonce); the Wagtail admin gets its own looser policy."""

import re

import pytest
from django.test import Client, override_settings
from playwright.sync_api import expect

from walks.demo import ensure_walk_pages
from walks.tests.factories import board as walk_board


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.django_db
def test_member_pages_allow_no_inline_script(client, member):
    client.force_login(member)

    policy = directives(client.get("/"))

    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_an_inline_import_map_carries_the_nonce_the_policy_names(client, member):
    client.force_login(member)

    response = client.get(f"{walk_board().url}new/")

    assert response.status_code == 200
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
    assert (
        client.get(f"{walk_board().url}new/")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )


@pytest.mark.django_db
def test_the_wagtail_admin_gets_its_own_looser_policy(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response)["script-src"]
    assert "'unsafe-inline'" not in directives(client.get("/accounts/login/"))["script-src"]


@pytest.mark.django_db
def test_the_csp_allows_images_from_the_tile_host_and_no_other_map_host(client):
    def img_src() -> list[str]:
        policy = client.get("/accounts/login/")["Content-Security-Policy"]
        return next(part.split()[1:] for part in policy.split(";") if part.split()[:1] == ["img-src"])

    without = img_src()
    with override_settings(MAP_TILE_URL="https://tiles.example.test:8443/{z}/{x}/{y}.png"):
        with_tiles = img_src()

    assert set(with_tiles) - set(without) == {"https://tiles.example.test:8443"}
    assert not [source for source in without if "tile" in source or "openstreetmap" in source]


@pytest.mark.browser
def test_member_pages_break_no_rule_of_the_policy(new_page, live_server_url, member):
    """With the policy enforced (the other browser tests bypass it for axe), our scripts and the
    prose editor run and the browser reports no violation."""
    ensure_walk_pages()
    django_client = Client()
    django_client.force_login(member)
    page = new_page(bypass_csp=False)
    page.context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": live_server_url}]
    )
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for path in ["/", "/search/?q=%EA%B0%95%EC%95%84%EC%A7%80", "/chat/", f"{walk_board().url}new/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
    expect(page.locator(".prose-editor [contenteditable=true]")).to_be_visible()
