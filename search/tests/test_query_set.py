"""The shared query set (data/query_set.tsv) on the database index and on an engine set up from zero.

Each case names posts that must be found, posts that must not, the post that must come first and
the corrections that must be offered; a score per category is shown in the run's summary
(`search query set on …`). The engine test does only what a deployment does: posts exist, the
worker's indexing tasks fail for want of an index (and create none), `search_setup` runs, and
then the engine must answer every case with the same hits as the database.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ
from wagtail.search.backends import get_search_backend

from community import services
from community.models import Post
from search.indexing import IndexMissing, update_engine_index
from search.selectors import site_search

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Case:
    category: str
    query: str
    found: tuple[str, ...]
    not_found: tuple[str, ...]
    first: str
    corrections: tuple[str, ...]


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


CORPUS = {key: (float(hours), text) for key, hours, text in _rows("query_corpus.tsv")}
CASES = [
    Case(category, query, tuple(found.split()), tuple(not_found.split()), first, tuple(corrections.split()))
    for category, query, found, not_found, first, corrections in _rows("query_set.tsv")
]


def test_the_query_set_covers_every_category_with_must_not_and_ranking_cases():
    by_category = defaultdict(list)
    for case in CASES:
        by_category[case.category].append(case)
    assert len(CASES) >= 60
    assert len(by_category) == 10
    for category, cases in by_category.items():
        assert len(cases) >= 5, category
        assert any(case.not_found for case in cases), f"{category} has no must-not-match case"
    assert all(case.first for case in by_category["ranking"])


def make_corpus(member, django_capture_on_commit_callbacks) -> dict[str, int]:
    """The posts, written through the service (hashtags linked, indexing as in production)."""
    now = timezone.now()
    keys = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, (hours, text) in CORPUS.items():
            post = services.post_create(author=member, text=text)
            Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=hours))
            keys[post.pk] = key
    return keys


def run_case(case: Case, viewer, keys: dict[int, str]) -> tuple[list[str], list[str]]:
    """The keys found in rank order, and what is wrong with them (empty when the case passes)."""
    outcome = site_search(viewer=viewer, raw_query=case.query, types=["posts"], page_size=50)
    assert not outcome.fell_back, "the configured index answered, not the fallback"
    found = [keys[post.pk] for post in outcome.pages[0].results]
    problems = [f"missing {key}" for key in case.found if key not in found]
    problems += [f"found {key}" for key in case.not_found if key in found]
    if case.first and found[:1] != [case.first]:
        problems.append(f"first {found[:1]} instead of {case.first}")
    problems += [f"no correction {word}" for word in case.corrections if word not in outcome.corrections]
    return found, problems


def score(backend: str, viewer, keys: dict[int, str], record) -> dict[str, list[str]]:
    """Runs every case; records the score per category and returns each case's hits."""
    passed, total, failures, hits = defaultdict(int), defaultdict(int), [], {}
    for case in CASES:
        found, problems = run_case(case, viewer, keys)
        hits[case.query] = found
        total[case.category] += 1
        passed[case.category] += not problems
        if problems:
            failures.append(f"[{case.category}] {case.query!r} → {found}: {', '.join(problems)}")
    line = ", ".join(f"{category} {passed[category]}/{total[category]}" for category in total)
    record("search query set", f"{backend}: {line}")
    assert not failures, "\n".join(failures)
    return hits


@pytest.mark.django_db
def test_the_query_set_passes_on_the_database_index(
    member, django_capture_on_commit_callbacks, record_property
):
    keys = make_corpus(member, django_capture_on_commit_callbacks)

    score(connection.vendor, member, keys, record_property)


@pytest.mark.django_db
def test_the_query_set_passes_on_an_engine_set_up_from_zero(
    empty_engine, member, django_capture_on_commit_callbacks, record_property, settings, request
):
    engine = get_search_backend("default")
    post_index = engine.get_index_for_model(Post).name
    keys = make_corpus(member, django_capture_on_commit_callbacks)
    queued = [task.task for task in OrmQ.objects.all()]
    assert len(queued) == len(CORPUS)
    for task in queued[:3]:  # the worker runs them before anyone ran search_setup
        with pytest.raises(IndexMissing):
            update_engine_index(*task["args"])
    assert not engine.es.indices.exists(index=post_index), "an indexing task created an index"

    request.getfixturevalue("tasks_run_inline")  # the worker runs what search_setup queues
    call_command("search_setup", stdout=StringIO())  # what compose's migrate service runs
    engine.get_index_for_model(Post).refresh()

    engine_hits = score("osmem-server", member, keys, record_property)
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    database_hits = {case.query: run_case(case, member, keys)[0] for case in CASES}
    assert {query: set(hits) for query, hits in engine_hits.items()} == {
        query: set(hits) for query, hits in database_hits.items()
    }
