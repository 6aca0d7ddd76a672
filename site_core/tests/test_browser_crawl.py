"""The site as people experience it, page by page: every GET URL pattern of the catalogue
(site_core/tests/urlcatalogue.py) opened in Chromium as a signed-in member, and the moderators'
and staff's own Wagtail admin screens (admin home, review queue, a case, audit log) as each of
them with the second factor done. Every page must answer without a server error, log no console
error and throw no script error, and be clean of serious and critical axe-core findings; two
moderate rules are held as well where they were once broken (a heading on the post page, unique
landmarks on search). All problems are reported at once, page by page.

One live server, one browser context per person. What is not an HTML page (the JSON API,
downloads, redirects, POST-only endpoints) is asked for without a browser tab and only checked
for server errors; error pages (404, 401…) are opened like the others.
"""

import re
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.second_factor import admin_login
from site_core.tests.browser import AXE_PATH, DEFAULT_CONTEXT_OPTIONS, DEFAULT_TIMEOUT_MS, axe_violations
from site_core.tests.urlcatalogue import Url, make_samples
from site_core.tests.urlcatalogue import catalogue as url_catalogue
from walks.demo import ensure_walk_pages

pytestmark = pytest.mark.browser

FAILING_IMPACTS = ("serious", "critical")
# Moderate rules held on the pages where they were broken once.
MODERATE_RULES_BY_ROUTE = {
    "posts/<id:pk>/": ("page-has-heading-one",),
    "search/": ("landmark-unique",),
}
# The sign-out page: opened last, so that even if its GET ever signed out, every other page is
# seen signed in.
LAST_ROUTES = ("accounts/logout/",)
# The walk form's rich-text editor builds its toolbar after the page has loaded.
RICH_TEXT_FIELD = "[data-django-prose-editor]"
RICH_TEXT_TOOLBAR = ".prose-menubar__button"
TOOLBAR_QUIETED = """() => [...document.querySelectorAll('.prose-menubar__button.material-icons')].every(
    (button) => button.firstElementChild || !(button.getAttribute('aria-label') || button.title))"""
SERVICE_UNAVAILABLE = 503
# The answer of POST-only endpoints to a GET: no page anyone is shown.
METHOD_NOT_ALLOWED = 405
# Wagtail's listings and histories fetch their rows as an HTML fragment (".../results/",
# ".../history-results/<pk>/"): part of a page, not a page.
FRAGMENT = re.compile(r"[/-]results/")
# Wagtail's own markup we cannot change without copying its template: the member form's "Roles"
# button (wagtailusers/users/create.html) is a link with role="tab" outside the tab list.
UPSTREAM_RULES_BY_PATH = {"/admin/users/new/": ("aria-required-parent",)}
# Wagtail screens staff use that the catalogue leaves out (it keeps only our own admin screens).
STAFF_SCREENS = ("/admin/pages/",)


# Pages opened at once: while axe checks one page in its tab, the next ones load in theirs (the
# live server answers requests in parallel), as a person with several tabs would see them.
TABS_AT_ONCE = 3


@dataclass
class Opened:
    """A page loading in its tab, with what it has logged so far."""

    label: str
    path: str
    route: str
    status: int
    page: Any
    errors: list[str]


class Crawl:
    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.problems: list[str] = []
        self.pages: list[str] = []
        self.skipped: list[str] = []
        self.seen: set[str] = set()
        self.loading: deque[Opened] = deque()

    def context_for(self, user: Any, *, second_factor: bool) -> Any:
        client = Client()
        if second_factor:
            admin_login(client, user)
        else:
            client.force_login(user)
        context = self.browser.new_context(**DEFAULT_CONTEXT_OPTIONS, base_url=self.base_url)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(path=str(AXE_PATH))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base_url}])
        return context

    def visit(self, context: Any, role: str, path: str, route: str) -> None:
        """Asks for the page; an HTML page is opened in a tab of its own and checked once the tabs
        opened before it have been (``check``)."""
        label = f"{role} {path}"
        if label in self.seen or FRAGMENT.search(path):
            return
        self.seen.add(label)
        answer = context.request.get(path, max_redirects=0, fail_on_status_code=False)
        if answer.status == SERVICE_UNAVAILABLE and "retry-after" in answer.headers:
            # A 503 says "try again" (a database moment, core/errors.py): once more, as a visitor would.
            answer.dispose()
            time.sleep(1)
            answer = context.request.get(path, max_redirects=0, fail_on_status_code=False)
        content_type = answer.headers.get("content-type", "")
        answer.dispose()
        if answer.status >= 500:
            self.problems.append(f"{label}: HTTP {answer.status}")
            return
        error_page = 400 <= answer.status < 500 and answer.status != METHOD_NOT_ALLOWED
        if not (answer.status == 200 or error_page) or not content_type.startswith("text/html"):
            self.skipped.append(f"{label}: {answer.status} {content_type}")
            return
        page = context.new_page()
        opened = Opened(label, path, route, answer.status, page, [])
        document_url = self.base_url + path

        def on_console(message: Any) -> None:
            # An error page's own status is what it is there to show, not a problem of the page.
            own_status = error_page and message.location.get("url") == document_url
            if message.type == "error" and not own_status:
                opened.errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.errors.append(f"uncaught {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 500 and opened.errors.append(f"HTTP {response.status} for {response.url}")
            ),
        )
        try:
            response = page.goto(path, wait_until="commit")
        except Exception:
            page.close()
            raise
        if response is None or response.status >= 500:
            self.problems.append(f"{label}: HTTP {response and response.status}")
            page.close()
            return
        self.loading.append(opened)
        while len(self.loading) >= TABS_AT_ONCE:
            self.check(self.loading.popleft())

    def finish(self) -> None:
        """Checks every page still open (before a sign-out, and at the end)."""
        while self.loading:
            self.check(self.loading.popleft())

    def check(self, opened: Opened) -> None:
        page = opened.page
        try:
            page.wait_for_load_state("load")
            if page.locator(RICH_TEXT_FIELD).count():
                page.locator(RICH_TEXT_TOOLBAR).first.wait_for()  # the editor is checked as built
                page.wait_for_function(TOOLBAR_QUIETED)  # and once walks.js has named its buttons
            held = MODERATE_RULES_BY_ROUTE.get(opened.route, ())
            findings = [
                violation
                for violation in axe_violations(
                    page, disable_rules=UPSTREAM_RULES_BY_PATH.get(opened.path, ())
                )
                if violation["impact"] in FAILING_IMPACTS or violation["id"] in held
            ]
            self.pages.append(opened.label if opened.status == 200 else f"{opened.label} ({opened.status})")
            self.problems += [f"{opened.label}: console: {error}" for error in opened.errors]
            for violation in findings:
                targets = ", ".join(node["target"] for node in violation["nodes"][:3])
                self.problems.append(
                    f"{opened.label}: axe {violation['id']} [{violation['impact']}] {violation['help']} at {targets}"
                )
        finally:
            page.close()


def ordered(urls: list[Url]) -> list[Url]:
    return sorted(urls, key=lambda url: url.pattern.route.startswith(LAST_ROUTES))


def test_every_page_opens_cleanly_for_members_moderators_and_staff(
    browser, live_server_url, member, other_member, moderator
):
    started = time.monotonic()
    ensure_walk_pages()  # made by a migration; a live-server test before this one may have flushed them
    samples = make_samples(member=member, other_member=other_member, moderator=moderator)
    found = url_catalogue(samples)
    assert found.unfilled == []
    crawl = Crawl(browser, live_server_url)

    member_context = crawl.context_for(samples.member, second_factor=False)
    for url in ordered([url for url in found.urls if url.pattern.area in {"site", "page"}]):
        if url.pattern.route.startswith(LAST_ROUTES):
            crawl.finish()
        crawl.visit(member_context, "member", url.path, url.pattern.route)
    crawl.finish()
    member_context.close()

    admin_urls = [url for url in found.urls if url.pattern.area == "admin"]
    for role, user, extra in (
        ("moderator", samples.moderator, ()),
        ("staff", samples.staff, STAFF_SCREENS),
    ):
        context = crawl.context_for(user, second_factor=True)
        for url in admin_urls:
            crawl.visit(context, role, url.path, url.pattern.route)
        for path in extra:
            crawl.visit(context, role, path, path)
        crawl.finish()
        context.close()
    elapsed = time.monotonic() - started

    print(f"\nbrowser crawl: {len(crawl.pages)} pages in {elapsed:.0f} s; skipped {len(crawl.skipped)}")
    assert crawl.problems == [], f"{len(crawl.problems)} problems on {len(crawl.pages)} pages:\n" + "\n".join(
        crawl.problems
    )
    for role in ("moderator", "staff"):
        for screen in (
            "/admin/",
            "/admin/moderation/cases/",
            f"/admin/moderation/cases/edit/{samples.case.pk}/",
            "/admin/moderation/audit-log/",
        ):
            assert f"{role} {screen}" in crawl.pages, f"the {role} saw {screen}"
    assert f"member {samples.post.get_absolute_url()}" in crawl.pages
    assert len(crawl.pages) > 50
