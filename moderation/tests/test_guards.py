"""One guard per sanction, tried at every door of the site (moderation/guards.py).

The doors are found, not listed: every mutating operation of the OpenAPI schema, every URL
pattern of the resolver with the routes of Wagtail's pages, and every client frame type of the
chat socket (doors.py). Each is opened with real things (world.py) by a member in good standing
(it works), a suspended member (refused, but for the allow-list) and each side of a block
(nothing reaches the other member). Each check has a companion that adds a door forgetting the
guard (unguarded_urls.py) and shows the check names it.
"""

import pytest
from django.test import Client

from chat.consumers import ChatConsumer
from core.actions import AllowedWhileSuspended
from notifications.vapid import generate_vapid_keys

from .doors import (
    API_CASES,
    FRAME_CASES,
    PAGE_CASES,
    api_doors,
    block_gaps,
    control_gaps,
    frame_gaps,
    page_doors,
    schema_document,
    schema_gaps,
    suspension_gaps,
)
from .world import build_chat_world, build_world

UNGUARDED = "moderation.tests.unguarded_urls"
BLOCK_SIDES = pytest.mark.parametrize("by_me", [True, False], ids=["the-blocker-acts", "the-blocked-acts"])


@pytest.fixture
def world(db, settings):
    # Push on, so that subscribing to it is a door that works.
    settings.WEB_PUSH_VAPID_PUBLIC_KEY, settings.WEB_PUSH_VAPID_PRIVATE_KEY = generate_vapid_keys()
    return build_world()


def site_doors(urlconf: str | None = None):
    pages, page_type_gaps = page_doors(urlconf)
    assert page_type_gaps == []
    return api_doors(schema_document(urlconf)), pages


def every_gap(check, world, urlconf: str | None = None) -> list[str]:
    api, pages = site_doors(urlconf)
    return check(world, api, API_CASES) + check(world, pages, PAGE_CASES)


# ------------------------------------------------------------------------------------------ HTTP


@pytest.mark.django_db
def test_every_door_has_a_case_and_works_for_a_member_in_good_standing(world):
    assert every_gap(control_gaps, world) == []


@pytest.mark.django_db
def test_a_suspended_member_is_refused_at_every_door_but_the_allow_list(world):
    world.suspend()

    assert every_gap(suspension_gaps, world) == []


@pytest.mark.django_db
@BLOCK_SIDES
def test_neither_side_of_a_block_can_act_on_the_other_at_any_door(world, by_me):
    world.block(by_me=by_me)

    assert every_gap(block_gaps, world) == []


@pytest.mark.django_db
@BLOCK_SIDES
def test_neither_side_of_a_block_appears_in_the_others_autocomplete(world, by_me):
    client = Client()
    client.force_login(world.me)
    before = [
        item["detail"] for item in client.get("/search/suggest/", {"q": "@kongi"}).json()["suggestions"]
    ]
    before_mentions = [
        item["insert"]
        for item in client.get("/api/compose/suggestions/", {"q": "@kongi"}).json()["suggestions"]
    ]
    world.block(by_me=by_me)

    mine = client.get("/search/suggest/", {"q": "@kongi"}).json()["suggestions"]
    mentions_mine = client.get("/api/compose/suggestions/", {"q": "@kongi"}).json()["suggestions"]
    client.force_login(world.them)
    theirs = client.get("/search/suggest/", {"q": "@dubu"}).json()["suggestions"]
    mentions_theirs = client.get("/api/compose/suggestions/", {"q": "@dubu"}).json()["suggestions"]

    assert before == before_mentions == ["@kongi"]
    assert mine == mentions_mine == []
    assert theirs == mentions_theirs == []


def test_the_allow_list_names_every_exception_the_doors_make():
    """The doors a suspended member may use are the allow-list's items, and every item has a door."""
    allowed = {case.allowed for cases in (*API_CASES.values(), *PAGE_CASES.values()) for case in cases}
    allowed.discard(None)
    assert allowed == {*AllowedWhileSuspended, "log in or out"}


@pytest.mark.django_db
def test_every_api_url_pattern_is_in_the_schema():
    assert schema_gaps() == []


# ------------------------------------------------------------------------------------------ the socket


@pytest.fixture
def chat_world(transactional_db, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return build_chat_world()


def site_socket():
    from site_core.asgi import application

    return application


@pytest.mark.asyncio
async def test_every_frame_type_has_a_case_and_works_for_a_member_in_good_standing(chat_world):
    assert await frame_gaps("control", chat_world, ChatConsumer, site_socket(), FRAME_CASES) == []


@pytest.mark.asyncio
async def test_a_suspended_member_is_refused_every_frame_but_the_allow_list(chat_world):
    await _suspend(chat_world)

    assert await frame_gaps("suspended", chat_world, ChatConsumer, site_socket(), FRAME_CASES) == []


@pytest.mark.asyncio
@BLOCK_SIDES
async def test_no_frame_reaches_across_a_block(chat_world, by_me):
    await _block(chat_world, by_me)

    assert await frame_gaps("blocked", chat_world, ChatConsumer, site_socket(), FRAME_CASES) == []


async def _suspend(world):
    from channels.db import database_sync_to_async

    await database_sync_to_async(world.suspend)()


async def _block(world, by_me: bool):
    from channels.db import database_sync_to_async

    await database_sync_to_async(world.block)(by_me=by_me)


# ------------------------------------------------------------------------------------------ companions


@pytest.mark.django_db
def test_the_suspension_check_reports_a_door_that_forgets_the_guard(world, settings):
    settings.ROOT_URLCONF = UNGUARDED
    world.suspend()

    assert every_gap(suspension_gaps, world, UNGUARDED) == [
        "POST /api/members/{username}/poke/: answered 200, where a suspended member is refused",
        "poke: answered 302, where a suspended member is refused",
    ]


@pytest.mark.django_db
def test_the_block_check_reports_a_door_that_forgets_the_guard(world, settings):
    settings.ROOT_URLCONF = UNGUARDED
    world.block(by_me=False)

    assert every_gap(block_gaps, world, UNGUARDED) == [
        "POST /api/members/{username}/poke/: answered 200 across a block",
        "poke: answered 302 across a block",
    ]


@pytest.mark.django_db
def test_the_schema_check_reports_an_api_url_the_schema_leaves_out():
    assert schema_gaps(UNGUARDED) == ["POST /api/undocumented/"]


@pytest.mark.asyncio
async def test_the_frame_checks_report_a_frame_type_that_forgets_the_guards(chat_world):
    from channels.db import database_sync_to_async

    from .unguarded_urls import PinningChatConsumer, websocket_application

    def check(mode):
        return frame_gaps(mode, chat_world, PinningChatConsumer, websocket_application, FRAME_CASES)

    without_case = await check("control")
    await _block(chat_world, by_me=False)
    across_block = await check("blocked")
    await database_sync_to_async(chat_world.unblock)(by_me=False)
    await _suspend(chat_world)
    while_suspended = await check("suspended")

    assert without_case == ["frame pin: no case"]
    # Across a block the 1:1 room refuses the socket itself (4403), so not even a frame type that
    # forgets the guards reaches the other member.
    assert across_block == []
    assert while_suspended == ["frame pin: answered {'type': 'pinned'}, where it is refused"]
