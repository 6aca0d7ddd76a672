"""The photo check in a real browser, with a real ml worker process on the test database.

The owner uploads a photo on the pet's edit page; the pet page says it is checking, and the
verdict replaces that without a reload (static/js/pet-verdict.js polling /pets/<id>/verdict/).
The owner's species stays as chosen; a disagreement and a photo without a dog or cat get notices.
Assertions use markup and the labels as gettext gives them in Korean.
"""

import pytest
from django.test import Client
from django.utils.translation import override, pgettext
from playwright.sync_api import expect

from pets.models import PhotoStatus, Species
from pets.tests.factories import CAT_PHOTO, COFFEE_PHOTO, DOG_PHOTO, ML_FIXTURES, PetFactory
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

VERDICT_TIMEOUT_MS = 180_000  # the first check loads TensorFlow in the worker


def korean(context: str | None, message: str) -> str:
    with override("ko"):
        return pgettext(context, message) if context else str(Species(message).label)


def log_in(new_page, base_url: str, member):
    client = Client()
    client.force_login(member)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def test_the_verdict_appears_without_a_reload_and_the_species_stays(
    new_page, live_server_url, ml_worker, member
):
    ml_worker()
    pet = PetFactory(owner=member, name="두부", species=Species.DOG)
    page = log_in(new_page, live_server_url, member)
    page.goto(f"/pets/{pet.pk}/edit/")
    expect(page.locator("#breed-suggestions option[value='진돗개']")).to_have_count(1)
    assert_accessible(page)

    cases = [
        (DOG_PHOTO, "dog", "dog", None),
        (CAT_PHOTO, "cat", "cat", "species-notice"),
        (COFFEE_PHOTO, "neither", "no dog or cat", "no-pet-notice"),
    ]
    for photo, verdict, label, notice in cases:
        page.goto(f"/pets/{pet.pk}/edit/")
        page.locator("#id_photo").set_input_files(str(ML_FIXTURES / photo))
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server_url}/pets/{pet.pk}/")
        check = page.locator("[data-role=photo-check]")
        if verdict == "dog":  # the worker is still loading the model: the page says it is checking
            expect(check).to_have_attribute("data-status", "pending")
            assert_accessible(page)
        page.evaluate("() => { window.__samePage = true; }")

        expect(page.locator("[data-role=verdict-label]")).to_have_text(
            korean("photo check verdict", label), timeout=VERDICT_TIMEOUT_MS
        )

        assert page.evaluate("() => window.__samePage === true"), "the verdict came without a reload"
        expect(check).to_have_attribute("data-status", "done")
        expect(check).to_have_attribute("data-verdict", verdict)
        species = page.locator("[data-role=pet-species]")
        expect(species).to_have_attribute("data-species", "dog")
        expect(species).to_have_text(korean(None, "dog"))
        for role in ("species-notice", "no-pet-notice"):
            expect(page.locator(f"[data-role={role}]")).to_have_count(1 if role == notice else 0)
        if notice:
            expect(page.locator(f"[data-role={notice}]")).to_be_visible()
        assert_accessible(page)

        pet.refresh_from_db()
        assert (pet.species, pet.photo_status, pet.verdict) == ("dog", PhotoStatus.DONE, verdict)

    # The pet is on the owner's profile and can be tagged in a new post; both pages pass axe.
    page.goto(f"/members/{member.username}/")
    expect(page.locator(f".profile-pets a[href='/pets/{pet.pk}/']")).to_contain_text("두부")
    assert_accessible(page)
    page.goto("/posts/new/")
    page.locator("#id_text").fill("두부랑 산책 #산책")
    page.get_by_label("두부").check()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f".post-pets a[href='/pets/{pet.pk}/']")).to_contain_text("두부")
    assert_accessible(page)
