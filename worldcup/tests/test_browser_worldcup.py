"""The World Cup in a real browser: a member enters a pet beside seven others, another member
plays the whole 8강 bracket, the leaderboard shows the result, and the monthly task creates the
next event exactly once."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from pets.tests.factories import PetFactory
from site_core.tests.browser import assert_accessible
from worldcup import services
from worldcup.models import SEOUL, Entry, Game, WorldCupEventPage
from worldcup.tests.factories import enter_many, index_page, make_event, small_photo

pytestmark = pytest.mark.browser


def log_in(new_page, base_url: str, member):
    """A browser context with the member's session, as if they had logged in."""
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def test_eight_pets_a_whole_bracket_and_the_leaderboard(new_page, live_server_url):
    index_page()
    event = make_event(title="이번 달 강아지 월드컵")
    enter_many(event, 7, prefix="출전견")
    owner = UserFactory(username="dubu", nickname="두부엄마")
    PetFactory(owner=owner, name="두부", photo=small_photo("white"))
    player = UserFactory(username="kongi", nickname="콩이아빠")

    # The owner enters 두부 with the pet's profile photo.
    page = log_in(new_page, live_server_url, owner)
    page.goto(event.url)
    assert_accessible(page)
    page.locator("[data-role=enter]").click()
    assert_accessible(page)
    page.locator("#id_pet").select_option(label="두부")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("[data-role=my-entry]")).to_contain_text("두부")
    expect(page.locator("[data-role=entries] .worldcup-card")).to_have_count(8)
    assert Entry.objects.filter(event=event).count() == 8

    # Another member plays the whole bracket, always picking the pet on the right.
    page = log_in(new_page, live_server_url, player)
    page.goto(event.url)
    page.locator("[data-role=play]").click()
    expect(page.locator("[data-role=match]")).to_be_visible()
    assert_accessible(page)
    for _ in range(7):  # 4 + 2 + 1 matches
        page.locator("[data-role=pick]").last.click()
    expect(page.locator("[data-role=champion]")).to_be_visible()
    assert_accessible(page)
    game = Game.objects.get(player=player)
    assert game.is_complete
    assert game.counted
    champion = game.champion.pet_name
    expect(page.locator("[data-role=champion]")).to_contain_text(champion)

    # The leaderboard counts the game.
    page.goto(event.route_url("leaderboard"))
    expect(page.locator("[data-role=games-count]")).to_contain_text("1")
    first = page.locator("[data-role=leaderboard] tbody tr").first
    expect(first.locator("[data-role=pet-name]")).to_have_text(champion)
    expect(first.locator("[data-role=championships]")).to_have_text("1")
    expect(first.locator("[data-role=wins]")).to_have_text("3")
    assert_accessible(page)

    # The monthly task, run twice on the 1st of next month, creates the next event once.
    next_month = (event.month.replace(day=28) + timedelta(days=4)).replace(day=1)
    first_of_month = datetime(next_month.year, next_month.month, 1, 0, 0, 5, tzinfo=SEOUL)
    WorldCupEventPage.objects.filter(pk=event.pk).update(
        voting_closes_at=first_of_month - timedelta(seconds=5)
    )
    services.monthly_reset(now=first_of_month)
    services.monthly_reset(now=first_of_month + timedelta(minutes=1))
    created = WorldCupEventPage.objects.get(month=next_month)
    assert WorldCupEventPage.objects.filter(month=next_month).count() == 1
    page.goto("/")
    expect(page.locator("[data-role=pet-of-the-month]")).to_contain_text(champion)
    page.goto(index_page().url)
    expect(page.locator("[data-role=hall-of-fame]")).to_contain_text(champion)
    expect(page.locator("#current-event-heading + .worldcup-event-card")).to_contain_text(created.title)
    assert_accessible(page)


def test_world_cup_pages_read_on_a_phone(new_page, live_server_url):
    event = make_event()
    enter_many(event, 4)
    player = UserFactory()
    phone = {"viewport": {"width": 320, "height": 568}, "is_mobile": True, "has_touch": True}
    page = log_in(lambda: new_page(**phone), live_server_url, player)
    services.game_start(event_id=event.pk, player=player)

    for url in (index_page().url, event.url, event.route_url("play"), event.route_url("leaderboard")):
        page.goto(url)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways ({width}px)"
        assert_accessible(page)

    # The leaderboard's headers keep to one line ("순위", not "순/위").
    lines = page.evaluate(
        """() => [...document.querySelectorAll('[data-role=leaderboard] thead th')].map((th) => {
            const range = document.createRange();
            range.selectNodeContents(th);
            return [th.textContent.trim(), new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size];
        })"""
    )
    assert lines[0] == ["순위", 1]
    assert all(count == 1 for _name, count in lines), lines

    # The match says where the player is in the round, and whose pets they are.
    page.goto(event.route_url("play"))
    expect(page.locator("[data-role=round-progress]")).to_contain_text("1/2")
    expect(page.locator("[data-role=owner]")).to_have_count(2)
    expect(page.locator(".worldcup-periods__zone")).to_have_count(0)
    page.goto(event.url)
    expect(page.locator(".worldcup-periods__zone").first).to_have_text("한국 시간")
