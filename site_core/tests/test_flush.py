"""The flush that ends a transactional test (site_core/tests/flush) leaves the database as it was
migrated: the test's rows gone, the migrations' content and post_migrate's rows back with their
ids, in a handful of queries. PostgreSQL only: elsewhere Django's own flush runs."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from accounts.models import User
from accounts.roles import COMMUNITY_MODERATORS
from accounts.tests.factories import UserFactory
from community.tests.factories import PostFactory
from home.models import HomePage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the snapshot is PostgreSQL's"),
]


def flush_as_a_transactional_test_does():
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database="default",
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )


def migrated_state():
    return {
        "pages": sorted(Page.objects.values_list("pk", "path", "slug", "numchild")),
        "sites": sorted(Site.objects.values_list("pk", "root_page_id", "is_default_site")),
        "content types": sorted(ContentType.objects.values_list("pk", "app_label", "model")),
        "permissions": Permission.objects.count(),
        "roles": sorted(Group.objects.values_list("name", flat=True)),
    }


def test_a_flush_removes_the_tests_rows_and_puts_the_migrated_content_back_with_its_ids():
    before = migrated_state()
    home = HomePage.objects.get()
    member = UserFactory(username="dubu")
    PostFactory(author=member, text="두부랑 산책했어요")
    home.add_child(instance=Page(title="잠깐 만든 페이지", slug="for-a-moment"))
    Group.objects.get(name=COMMUNITY_MODERATORS).delete()

    flush_as_a_transactional_test_does()

    assert User.objects.count() == 0
    assert not Page.objects.filter(slug="for-a-moment").exists()
    assert migrated_state() == before
    assert before["pages"]
    assert before["sites"]
    assert COMMUNITY_MODERATORS in before["roles"]
    assert HomePage.objects.get().pk == home.pk


def test_the_flush_sends_no_post_migrate_and_takes_a_handful_of_queries():
    with CaptureQueriesContext(connection) as queries:
        flush_as_a_transactional_test_does()

    assert len(queries) <= 8, [query["sql"][:80] for query in queries]
    assert not any(
        "django_content_type" in query["sql"] and "SELECT" in query["sql"][:10] for query in queries
    )


def test_after_djangos_own_flush_restarted_the_ids_new_rows_still_get_ids_above_the_restored_ones():
    """A test may call Django's flush itself (it restarts every sequence, as accounts' role test
    does) or migrate a table anew: the rows put back must not collide with the next ones made."""
    call_command("flush", verbosity=0, interactive=False)
    flush_as_a_transactional_test_does()

    home = HomePage.objects.get()
    page = home.add_child(instance=Page(title="새 페이지", slug="new-after-flush"))

    assert page.pk > max(Page.objects.exclude(pk=page.pk).values_list("pk", flat=True))
