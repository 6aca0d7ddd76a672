"""A new visitor signs up, logs out and logs back in, in a real browser.

Assertions use markup (ids, ``data-state``, URLs), not wording: the copy is translated.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.email_code import latest_code
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

NEW_USERNAME = "choco.unnie"
NEW_NICKNAME = "초코언니"
NEW_EMAIL = "choco@example.com"
NEW_PASSWORD = "간식-주세요-2026!"


def signup_form(page):
    return page.locator("form:has(#id_username)")


def test_new_member_signs_up_logs_out_and_back_in(page, live_server_url, member):
    page.goto("/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    assert_accessible(page)

    username = page.locator("#id_username")
    status = page.locator("#id_username_status")
    expect(status).to_have_attribute("aria-live", "polite")
    # The live status is read out with the field.
    expect(username).to_have_attribute("aria-describedby", re.compile(r"\bid_username_status\b"))

    # "Dubu" is dubu's handle in another case: taken.
    username.press_sequentially("Dubu", delay=40)
    expect(status).to_have_attribute("data-state", "taken")
    expect(status).not_to_be_empty()

    username.fill("")
    username.press_sequentially(NEW_USERNAME, delay=40)
    expect(status).to_have_attribute("data-state", "available")
    assert_accessible(page)

    page.locator("#id_nickname").fill(NEW_NICKNAME)
    page.locator("#id_email").fill(NEW_EMAIL)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    signup_form(page).locator("button[type=submit]").click()

    # The address is confirmed with the 6-digit code e-mailed to it, on the next page.
    expect(page).to_have_url(f"{live_server_url}/accounts/confirm-email/")
    assert_accessible(page)
    page.locator("#id_code").fill(latest_code(NEW_EMAIL))
    page.locator("#email-code-form button[type=submit]").click()

    # Signed up and signed in, on the home page, known by the nickname.
    expect(page).to_have_url(f"{live_server_url}/")
    account_name = page.locator(".account-nav__name")
    expect(account_name).to_have_text(NEW_NICKNAME)
    assert_accessible(page)
    new_member = User.objects.get(username=NEW_USERNAME)
    assert new_member.nickname == NEW_NICKNAME
    assert new_member.email == NEW_EMAIL

    # Logging out (in the account menu) asks for confirmation (a POST form).
    page.locator("[data-role=account-menu] summary").click()
    page.locator(".account-nav a[href='/accounts/logout/']").click()
    expect(page).to_have_url(f"{live_server_url}/accounts/logout/")
    assert_accessible(page)
    page.locator("main form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page).to_have_url(f"{live_server_url}/")
    expect(account_name).to_have_count(0)
    expect(page.locator(".account-nav a[href='/accounts/login/']")).to_be_visible()

    page.goto("/accounts/login/")
    assert_accessible(page)
    login_form = page.locator("form:has(input[name=login])")
    login_form.locator("input[name=login]").fill(NEW_USERNAME)
    login_form.locator("input[name=password]").fill(NEW_PASSWORD)
    login_form.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{live_server_url}/")
    expect(account_name).to_have_text(NEW_NICKNAME)
    assert_accessible(page)


def test_signup_page_fits_a_360px_phone(new_page):
    phone = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone.goto("/accounts/signup/")

    def horizontal_overflow():
        return phone.evaluate("() => document.documentElement.scrollWidth")

    assert horizontal_overflow() <= 360

    # The longest live message (why a handle is not allowed) must wrap, not widen the page.
    phone.locator("#id_username").press_sequentially("두부!", delay=40)
    expect(phone.locator("#id_username_status")).to_have_attribute("data-state", "invalid")
    assert horizontal_overflow() <= 360
    assert_accessible(phone)
