import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

pytest_plugins = ["site_core.tests.browser", "notifications.tests.push_service"]


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Test databases are migrated with coverage paused: the migrations and the framework code
    they run are not what is measured (migrations are omitted), yet tracing them made a worker's
    database take a fifth longer to set up (30 s against 25 s)."""
    import coverage

    current = coverage.Coverage.current() if fixturedef.argname == "django_db_setup" else None
    if current is None:
        return (yield)
    current.stop()
    try:
        return (yield)
    finally:
        current.start()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with a snapshot of what it holds once migrated, which the
    flush ending each transactional test puts back (site_core/tests/flush)."""
    from site_core.tests.flush import snapshot

    with django_db_blocker.unblock():
        snapshot.keep()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test land in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (permissions, rate limits, Wagtail's site lookup)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory(username="dubu", nickname="두부엄마", email="dubu@example.com")


@pytest.fixture
def other_member(db):
    return UserFactory(username="kongi", nickname="콩이아빠", email="kongi@example.com")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def member_api_client(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.fixture
def admin_login(db):
    """``admin_login(client, user)``: signs ``user`` in with a completed second factor (TOTP),
    which anyone opening /admin/ or /django-admin/ needs."""
    from accounts.tests.second_factor import admin_login

    return admin_login


@pytest.fixture
def moderator(db):
    """A community moderator (accounts.roles): the review queue, sanctions, hidden content and
    World Cup withdrawals in the Wagtail admin, nothing else."""
    from django.contrib.auth.models import Group

    from accounts.roles import COMMUNITY_MODERATORS

    user = UserFactory(username="modu", nickname="운영자")
    user.groups.add(Group.objects.get(name=COMMUNITY_MODERATORS))
    return user


def pytest_terminal_summary(terminalreporter):
    """Shows the search query set's score per category for each backend it ran on."""
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "search query set" and getattr(report, "when", "") == "call"
    ]
    if lines:
        terminalreporter.write_sep("-", "search query set (passed / cases per category)")
        for line in lines:
            terminalreporter.write_line(line)


# Tests that take minutes on their own start first: under xdist the other workers then share the
# rest meanwhile, instead of waiting at the end for the one that drew it last. Each moves only to the
# front of its own kind (pytest-django runs database tests, then transactional ones, then the rest,
# and that order must hold).
SLOWEST_FIRST = {
    "site_core/tests/test_no_server_errors.py::test_finding_12_no_url_answers_a_server_error_to_anyone_or_to_hostile_values",
    "site_core/tests/test_browser_crawl.py::test_every_page_opens_cleanly_for_members_moderators_and_staff",
}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "live_server_url"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for nodeid in SLOWEST_FIRST:
        slow = next((item for item in items if item.nodeid == nodeid), None)
        if slow is None:
            continue
        items.remove(slow)
        kind = _transactional(slow)
        front = next((index for index, item in enumerate(items) if _transactional(item) == kind), len(items))
        items.insert(front, slow)
