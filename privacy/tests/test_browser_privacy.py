"""A member's rights in a real browser: signing up with consent, taking their data, leaving."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.email_code import latest_code
from accounts.tests.factories import DEFAULT_PASSWORD
from pets.tests.queue import run_queued_tasks
from privacy.models import Consent, DataExport, LegalDocument
from privacy.tests.factories import legal_page
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser


def test_sign_up_with_consent_export_the_data_and_leave(page, live_server_url):
    legal_page(LegalDocument.TERMS)
    legal_page(LegalDocument.PRIVACY)
    legal_page(LegalDocument.MARKETING, required=False)

    page.goto("/accounts/signup/")
    page.locator("#id_username").fill("haru")
    page.locator("#id_email").fill("haru@example.com")
    page.locator("#id_password1").fill(DEFAULT_PASSWORD)
    page.locator("#id_password2").fill(DEFAULT_PASSWORD)
    assert_accessible(page)
    page.locator("#id_consent_terms").check()
    page.locator("#id_consent_privacy").check()
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    page.locator("#id_code").fill(latest_code("haru@example.com"))
    page.locator("#email-code-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(signup|confirm-email)/"))
    member = User.objects.get(username="haru")
    assert set(Consent.objects.filter(member=member).values_list("document", flat=True)) == {
        "terms",
        "privacy",
    }

    page.goto("/privacy/data/")
    assert_accessible(page)
    page.locator("form[action='/privacy/data/export/'] button").click()
    expect(page).to_have_url(re.compile(r"/privacy/data/$"))
    [task] = run_queued_tasks("petrasche")
    assert task.success, task.result
    page.reload()
    with page.expect_download() as download:
        page.locator("a[href$='/download/']").click()
    assert download.value.suggested_filename.endswith(".zip")
    assert DataExport.objects.get(member=member).status == DataExport.Status.READY

    page.goto("/privacy/delete/")
    assert_accessible(page)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_confirm").check()
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/privacy/deleted/$"))
    assert_accessible(page)
    member.refresh_from_db()
    assert not member.is_active
    assert member.email == ""
