"""No 5xx from input: every URL pattern of the site (site_core/tests/urlcatalogue.py) is requested
with real object ids by a visitor, a member, a moderator and staff, then with hostile values in
each path and query parameter by a visitor and a member. Nothing may answer 5xx, and every
pattern must be filled.

The companion test runs the same crawl over a test-only URLconf with a view that fails on long
input and a pattern nothing fills, and checks that the crawl reports both.
"""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from site_core.tests.urlcatalogue import catalogue, crawl, make_samples, quiet_request_log

pytestmark = pytest.mark.django_db
RECORDER = "site_core.tests.urlcatalogue.QueryParameterRecorder"
PROBED_AS = ["anonymous", "member"]


@pytest.fixture
def samples(member, other_member, moderator):
    return make_samples(member=member, other_member=other_member, moderator=moderator)


@pytest.fixture
def clients(samples, admin_login):
    def client() -> Client:
        return Client(raise_request_exception=False)

    member = client()
    member.force_login(samples.member)
    return {
        "anonymous": client(),
        "member": member,
        "moderator": admin_login(client(), samples.moderator),
        "staff": admin_login(client(), samples.staff),
    }


@pytest.fixture
def recorded_queries(settings):
    """The crawl learns which query parameters each view reads."""
    settings.MIDDLEWARE = [RECORDER, *settings.MIDDLEWARE]


def report(visits) -> str:
    return "\n".join(str(visit) for visit in visits)


def test_finding_12_no_url_answers_a_server_error_to_anyone_or_to_hostile_values(
    samples, clients, recorded_queries
):
    found = catalogue(samples)

    assert found.unfilled == [], "patterns the catalogue cannot fill: add them to urlcatalogue.FILL_BY_*"
    assert {"site", "api", "admin", "page"} == {url.pattern.area for url in found.urls}
    with quiet_request_log():
        crawler = crawl(found, clients, probe_as=PROBED_AS)

    assert crawler.server_errors() == [], "server errors:\n" + report(crawler.server_errors())
    probed = {visit.route for visit in crawler.visits if visit.probe}
    with_parameters = {url.pattern.route for url in found.urls if url.pattern.parameters}
    assert with_parameters <= probed
    assert any("in ?q" in visit.probe for visit in crawler.visits), "query parameters were probed"


# ---------------------------------------------------------------------------------------------
# The companion: the crawl reports what it should.


def fragile(request, word):
    """Fails on long words and on a page number that is not one: what the crawl must catch."""
    if len(word) > 1_000:
        raise ValueError("too long a word")
    page = int(request.GET.get("page", "1"))
    return HttpResponse(f"{word} {page}")


def unknown(request, code):
    return HttpResponse(code)


urlpatterns = [
    path("test-only/fragile/<str:word>/", fragile),
    path("test-only/unknown/<str:code>/", unknown),
    path("", include("site_core.urls")),
]


def test_the_crawl_reports_server_errors_and_patterns_it_cannot_fill(samples, recorded_queries, settings):
    settings.ROOT_URLCONF = __name__
    found = catalogue(
        samples, urlconf=__name__, fills_by_route={"test-only/fragile/": {"word": lambda s: "멍멍"}}
    )
    fragile_only = [url for url in found.urls if url.pattern.route.startswith("test-only/")]

    assert found.unfilled == ["test-only/unknown/<str:code>/: nothing fills code"]
    found.urls = fragile_only
    with quiet_request_log():
        crawler = crawl(found, {"anonymous": Client(raise_request_exception=False)}, probe_as=["anonymous"])

    errors = {visit.probe: visit.error for visit in crawler.server_errors()}
    assert errors["10,000 characters in word"] == "ValueError: too long a word"
    assert "../ in ?page" in errors
    assert "-1 in ?page" not in errors, "-1 is a number: no error"
    assert "NUL in word" not in errors, "NUL is refused at the edge (400)"
