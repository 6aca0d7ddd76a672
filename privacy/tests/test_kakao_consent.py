"""Kakao sign-ups (no sign-up form) go through the same consent step, through allauth's real flow."""

import pytest
import responses

from accounts.models import User
from accounts.tests import test_kakao as kakao_flow
from privacy.models import Consent, LegalDocument
from privacy.tests.factories import legal_page


@pytest.fixture
def kakao_http(settings, db):
    kakao_flow.configure_kakao(settings)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def test_a_new_kakao_member_must_agree_before_using_the_site(client, kakao_http):
    legal_page(LegalDocument.TERMS)
    legal_page(LegalDocument.PRIVACY)
    kakao_flow.stub_kakao(kakao_http, kakao_flow.kakao_user(kakao_flow.CHOCO_UID, "choco@example.com"))

    kakao_flow.callback(client, kakao_flow.start_login(client))
    member = User.objects.get(email="choco@example.com")

    assert client.get("/").headers["Location"] == "/privacy/consent/?next=%2F"
    client.post("/privacy/consent/", {"consent_terms": "on", "consent_privacy": "on"})
    assert client.get("/").status_code == 200
    assert set(Consent.objects.filter(member=member).values_list("document", flat=True)) == {
        "terms",
        "privacy",
    }
