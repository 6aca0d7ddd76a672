"""`search_setup`, what a deployment runs: indexes from zero, idempotent, rebuilt on a new analysis."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import OrmQ
from wagtail.search.backends import get_search_backend

from community import services
from community.models import Post
from search.models import IndexVersion
from search.selectors import site_search
from search.setup import MANAGED_BY, analysis_version, engine_indexes


def setup_output() -> str:
    out = StringIO()
    call_command("search_setup", stdout=out)
    return out.getvalue()


def texts(viewer, query: str) -> list[str]:
    outcome = site_search(viewer=viewer, raw_query=query, types=["posts"], page_size=20)
    assert not outcome.fell_back
    return [post.text for post in outcome.pages[0].results]


def post_alias_target() -> list[str]:
    engine = get_search_backend("default")
    return list(engine.es.indices.get_alias(name=engine.get_index_for_model(Post).name))


@pytest.mark.django_db
class TestEngine:
    def test_every_index_is_created_with_our_mapping_and_a_second_run_changes_nothing(
        self, empty_engine, tasks_run_inline
    ):
        setup_output()
        engine = get_search_backend("default")
        first = {alias: list(engine.es.indices.get_alias(name=alias)) for alias in engine_indexes()}
        again = setup_output()

        assert {"community_post", "pets_pet", "walks_walk", "worldcup_entry", "wagtailcore_page"} <= {
            alias.split("_", 3)[-1] for alias in first
        }
        for (concrete,) in first.values():
            meta = engine.es.indices.get_mapping(index=concrete)[concrete]["mappings"]["_meta"]
            assert meta["managed_by"] == MANAGED_BY
            assert meta["analysis_version"] == analysis_version()
        assert re.search(r"(\d+) of \1 current", again)
        assert {alias: list(engine.es.indices.get_alias(name=alias)) for alias in engine_indexes()} == first

    def test_a_new_analysis_is_built_in_the_background_while_the_old_index_answers(
        self, empty_engine, member, monkeypatch, request, django_capture_on_commit_callbacks
    ):
        request.getfixturevalue("tasks_run_inline")
        setup_output()
        with django_capture_on_commit_callbacks(execute=True):
            services.post_create(author=member, text="말티즈랑 산책")
        get_search_backend("default").get_index_for_model(Post).refresh()
        before = post_alias_target()
        monkeypatch.setattr("search.setup.ANALYSIS_VERSION", "next")
        monkeypatch.setattr("django_q.conf.Conf.SYNC", False)

        output = setup_output()

        assert "stale, filling" in output
        assert post_alias_target() == before, "the old index answers until the new one is full"
        assert texts(member, "말티즈") == ["말티즈랑 산책"]
        queued = [task.task for task in OrmQ.objects.all()]
        assert "search.setup.fill_engine_index" in [task["func"] for task in queued]

        monkeypatch.setattr("django_q.conf.Conf.SYNC", True)
        setup_output()
        assert post_alias_target() != before
        assert texts(member, "말티즈") == ["말티즈랑 산책"]

    def test_readiness_fails_while_an_index_is_missing_or_was_made_by_someone_else(
        self, empty_engine, tasks_run_inline, client
    ):
        missing = client.get("/readyz")
        setup_output()
        ready = client.get("/readyz")
        engine = get_search_backend("default")
        alias = engine.get_index_for_model(Post).name
        for concrete in list(engine.es.indices.get_alias(name=alias)):
            engine.es.indices.delete(index=concrete)
        engine.es.index(index=alias, id="1", body={"search_document_edgengrams": "산책ㆆ"})  # auto-created
        guessed = client.get("/readyz")

        assert (missing.status_code, missing.json()["failing"]) == (503, ["search"])
        assert ready.status_code == 200
        assert (guessed.status_code, guessed.json()["failing"]) == (503, ["search"])
        assert "unmanaged" in setup_output()
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_the_database_index_is_rebuilt_when_its_analysis_version_changes(
    member, monkeypatch, tasks_run_inline
):
    services.post_create(author=member, text="예뻐요 우리 냥이")
    setup_output()
    assert IndexVersion.objects.get(name="database:community.post").analysis_version == analysis_version()
    monkeypatch.setattr("search.setup.ANALYSIS_VERSION", "next")

    assert "rebuilding in the background" in setup_output()
    assert IndexVersion.objects.get(name="database:community.post").analysis_version == analysis_version()
    assert texts(member, "예쁜") == ["예뻐요 우리 냥이"]
