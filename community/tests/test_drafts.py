"""The unfinished post (community.PostDraft): kept while the member types, offered back on the
post form, gone on publish or on request."""

import io
import json
import zipfile

import pytest
from django.test import Client

from community import selectors, services
from community.models import PostDraft
from core import personal_data
from privacy import services as privacy_services
from privacy.export import ExportWriter

DRAFT_URL = "/api/drafts/post/"
OFFER = 'data-role="draft-offer"'


@pytest.mark.django_db
class TestDraftServices:
    def test_saving_again_replaces_the_draft_and_empty_text_discards_it(self, member):
        services.draft_save(member=member, text="오늘 한강에서")
        services.draft_save(member=member, text="오늘 한강에서 두부랑 뛰었어요")

        assert selectors.post_draft(member=member).text == "오늘 한강에서 두부랑 뛰었어요"
        assert services.draft_save(member=member, text="   ") is None
        assert not PostDraft.objects.filter(member=member).exists()

    def test_publishing_the_post_discards_the_draft(self, member):
        services.draft_save(member=member, text="거의 다 썼어요")

        services.post_create(author=member, text="다 썼어요")

        assert selectors.post_draft(member=member) is None

    def test_a_draft_longer_than_a_post_is_refused(self, member):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.draft_save(member=member, text="멍" * 2001)


@pytest.mark.django_db
class TestDraftApi:
    def test_a_member_saves_reads_and_discards_their_own_draft_only(self, member_api_client, other_member):
        services.draft_save(member=other_member, text="다른 회원의 초안")

        empty = member_api_client.get(DRAFT_URL).json()
        saved = member_api_client.put(DRAFT_URL, {"text": "두부 산책 일기"}, format="json")
        read = member_api_client.get(DRAFT_URL).json()
        gone = member_api_client.delete(DRAFT_URL)

        assert empty == {"text": "", "updated_at": None}
        assert saved.status_code == 200
        assert read["text"] == "두부 산책 일기"
        assert gone.status_code == 204
        assert member_api_client.get(DRAFT_URL).json()["text"] == ""
        assert selectors.post_draft(member=other_member).text == "다른 회원의 초안"

    def test_visitors_have_no_draft(self, api_client):
        assert api_client.get(DRAFT_URL).status_code in (401, 403)


@pytest.mark.django_db
class TestDraftOffer:
    def test_the_post_form_offers_the_draft_back_and_fills_it_in_on_request(self, member):
        client = Client()
        client.force_login(member)
        services.draft_save(member=member, text="이어서 쓸 이야기")

        offered = client.get("/posts/new/").content.decode()
        resumed = client.get("/posts/new/?draft=resume").content.decode()

        assert OFFER in offered
        assert f"{OFFER} hidden" not in offered
        assert "이어서 쓸 이야기</textarea>" in resumed
        assert f"{OFFER} hidden" in resumed

    def test_without_a_draft_nothing_is_offered(self, member):
        client = Client()
        client.force_login(member)

        assert f"{OFFER} hidden" in client.get("/posts/new/").content.decode()


@pytest.mark.django_db
class TestDraftPrivacy:
    def test_the_draft_is_in_the_data_export(self, member):
        services.draft_save(member=member, text="아직 아무도 못 본 글")
        buffer = io.BytesIO()

        with zipfile.ZipFile(buffer, "w") as archive:
            next(section for section in personal_data.sections() if section.name == "community").export(
                member, ExportWriter(archive)
            )

        with zipfile.ZipFile(buffer) as archive:
            assert json.loads(archive.read("post_draft.json"))[0]["text"] == "아직 아무도 못 본 글"

    @pytest.mark.parametrize("delete_content", [True, False], ids=["delete-content", "keep-content"])
    def test_leaving_the_site_erases_the_draft_whatever_happens_to_posts(
        self, member, delete_content, django_capture_on_commit_callbacks
    ):
        services.draft_save(member=member, text="아직 아무도 못 본 글")

        with django_capture_on_commit_callbacks(execute=True):
            privacy_services.member_delete(member=member, delete_content=delete_content)

        assert not PostDraft.objects.exists()
