"""Browser tests: the site served live by uvicorn, driven by a real headless Chromium.

A pytest plugin (registered in the root conftest.py). It provides:

``live_server_url``
    The base URL (``http://127.0.0.1:<port>``) of the project's ASGI application, served
    by ``uvicorn.Server`` in a daemon thread for the whole session. Requesting it makes
    the test transactional (the server's threads only see committed rows); the flush
    after each one puts the migrated content (the Wagtail home page and its Site) back
    (``site_core/tests/flush``).
``browser``
    Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``) driven by
    Playwright. Tests are skipped, with the reason, when it is not installed.
``new_page``
    A factory: ``new_page(**context_options)`` opens a page in a fresh browser context
    (e.g. ``viewport={"width": 360, "height": 740}, is_mobile=True``).
``page``
    A page in a fresh context, for a Korean-speaking visitor on a desktop screen.
``admin_page``
    A factory: ``admin_page(user)`` opens a page signed in as a staff member who has
    completed the second factor that /admin/ requires.

Every page gets axe-core injected (``node_modules/axe-core``, installed by ``npm ci``);
``assert_accessible(page)`` runs it and fails on serious or critical violations. A page
also fails its test when a script on it throws, the server answers 5xx, or a static
file is missing.

Mark browser tests with ``@pytest.mark.browser``; run them on PostgreSQL.

Playwright's sync API keeps an asyncio event loop running in the main thread while it
is started. So that this does not leak into other tests (``asyncio.run()`` and
``async_to_sync`` refuse to run inside a running loop, and Django refuses ORM calls),
Playwright is started for the first test that needs a browser and stopped as soon as
the next test does not; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only in between.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PROJECT_DIR = Path(__file__).resolve().parents[2]  # Read no settings at import: this is a plugin.
AXE_PATH = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
FAILURE_ARTIFACTS = PROJECT_DIR / "var" / "browser-failures"
SERVER_START_TIMEOUT = 20.0
DEFAULT_TIMEOUT_MS = 10_000

# A Korean-speaking visitor: the site is Korean first.
DEFAULT_CONTEXT_OPTIONS: dict[str, Any] = {
    "locale": "ko-KR",
    "timezone_id": "Asia/Seoul",
    "viewport": {"width": 1280, "height": 800},
    # axe-core is injected into every page, whatever Content-Security-Policy it has.
    "bypass_csp": True,
}
BROWSER_FIXTURES = frozenset({"browser", "page", "new_page"})


# --------------------------------------------------------------------------- server


class AsgiLiveServer:
    """The project's ASGI application served by uvicorn on a free 127.0.0.1 port (``options``
    override uvicorn's settings, as a command line's flags would)."""

    def __init__(self, application: Any, **options: Any) -> None:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.host, self.port = self._socket.getsockname()
        self.url = f"http://{self.host}:{self.port}"
        options = {"proxy_headers": False, **options}  # as in production: the site reads them itself
        config = uvicorn.Config(
            application,
            host=self.host,
            port=self.port,
            lifespan="off",  # Django does not speak the lifespan protocol.
            access_log=False,
            log_level="warning",
            timeout_graceful_shutdown=5,
            **options,
        )
        self._server = uvicorn.Server(config)
        # uvicorn installs no signal handlers outside the main thread.
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"uvicorn-live-server-{self.port}",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("The live server stopped while starting; see the log above.")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The live server did not start within {SERVER_START_TIMEOUT:.0f} s.")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


def build_application() -> Any:
    """``site_core.asgi.application`` for the settings pytest configured, plus static files.

    Importing ``site_core.asgi`` is safe here: Django is already set up, and the module
    only *setdefaults* DJANGO_SETTINGS_MODULE. With the test settings (DEBUG off, no
    collectstatic) WhiteNoise has nothing to serve, so static files come from the
    finders through Django's own handler, as in Django's and Channels' live servers.
    """
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from site_core.asgi import application

    return ASGIStaticFilesHandler(application)


@pytest.fixture(scope="session")
def _asgi_live_server(django_db_setup: None) -> Iterator[AsgiLiveServer]:
    server = AsgiLiveServer(build_application())
    server.start()
    yield server
    server.stop()


def ensure_home_page() -> None:
    """Recreate the site's home page and default Site if a flush removed them.

    On PostgreSQL the flush has already put them back exactly as the migrations left
    them (``site_core/tests/flush``); this is the safety net for a database without
    that snapshot (SQLite, where Django's own flush empties every table).
    """
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    from home.models import HomePage

    if not Collection.objects.exists():
        Collection.add_root(name="Root")

    if HomePage.objects.exists() and Site.objects.filter(is_default_site=True).exists():
        return
    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first() or root.add_child(instance=HomePage(title="Petrasche", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Petrasche"},
    )


@pytest.fixture
def live_server_url(
    _asgi_live_server: AsgiLiveServer,
    transactional_db: None,
) -> str:
    """The live server's base URL, for a test whose rows the server can see."""
    ensure_home_page()
    return _asgi_live_server.url


@pytest.fixture
def asgi_server_url(_asgi_live_server: AsgiLiveServer, transactional_db: None) -> str:
    """The live server's base URL, for a test that needs only the rows it makes itself."""
    return _asgi_live_server.url


# --------------------------------------------------------------------------- browser


class _Playwright:
    """Playwright and one Chromium, alive only while consecutive tests need them."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None
        self._saved_async_unsafe: str | None = None

    @property
    def running(self) -> bool:
        return self._playwright is not None

    def browser(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import expect, sync_playwright

            expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

            self._saved_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            # From here on the main thread has a running event loop (Playwright's), in
            # which Django would refuse the test's own ORM calls.
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
                )
            except Exception:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None
                if self._saved_async_unsafe is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._saved_async_unsafe


_playwright = _Playwright()


def _needs_browser(item: pytest.Item | None) -> bool:
    return item is not None and bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))


def _chromium_missing_reason() -> str | None:
    if os.path.exists(CHROMIUM_PATH):
        return None
    return f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install chromium)."


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Decide before any fixture (the test database, the server) is set up for nothing.
    reason = _chromium_missing_reason()
    if reason and any(_needs_browser(item) for item in items):
        from site_core.tests.requirements import HINTS, STRICT

        if STRICT:
            raise pytest.UsageError(f"{reason} {HINTS['chromium']}")
        for item in items:
            if _needs_browser(item):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        # After this test's fixtures (and its database flush) are torn down.
        if _playwright.running and not _needs_browser(nextitem):
            _playwright.stop()


_call_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[_call_failed_key] = report.failed
    return report


@pytest.fixture
def browser() -> Any:
    """Headless Chromium (Debian's), shared by consecutive browser tests."""
    from site_core.tests.requirements import require

    require("chromium", _chromium_missing_reason() is None, CHROMIUM_PATH)
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` in {PROJECT_DIR}.")
    return _playwright.browser()


class _PageProblems:
    """What went wrong on a page that the test itself might not notice."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.problems: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("response", self._on_response)

    def _on_response(self, response: Any) -> None:
        if not response.url.startswith(self.base_url):
            return
        path = response.url[len(self.base_url) :]
        if response.status >= 500 or (response.status >= 400 and path.startswith(settings.STATIC_URL)):
            self.problems.append(f"HTTP {response.status} for {response.request.method} {path}")


@pytest.fixture
def new_page(
    browser: Any, live_server_url: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts: ``new_page(viewport=..., is_mobile=True)``."""
    contexts: list[Any] = []
    pages: list[Any] = []
    watcher = _PageProblems(live_server_url)

    def open_page(**context_options: Any) -> Any:
        options = {**DEFAULT_CONTEXT_OPTIONS, "base_url": live_server_url, **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(path=str(AXE_PATH))
        contexts.append(context)
        page = context.new_page()
        watcher.watch(page)
        pages.append(page)
        return page

    yield open_page

    if request.node.stash.get(_call_failed_key, False):
        _save_failure_artifacts(request.node, pages)
    for context in contexts:
        context.close()
    if watcher.problems:
        pytest.fail("Problems seen in the browser:\n  " + "\n  ".join(watcher.problems), pytrace=False)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh browser context (desktop size, Korean locale)."""
    return new_page()


@pytest.fixture
def admin_page(new_page: Callable[..., Any], live_server_url: str) -> Callable[..., Any]:
    """``admin_page(user, **context_options)``: a page signed in as ``user`` with a completed
    second factor (TOTP), as staff need for /admin/."""
    from django.test import Client

    from accounts.tests.second_factor import admin_login

    def open_page(user: Any, **context_options: Any) -> Any:
        client = admin_login(Client(), user)
        page = new_page(**context_options)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}]
        )
        return page

    return open_page


def _save_failure_artifacts(item: pytest.Item, pages: list[Any]) -> None:
    FAILURE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    for number, page in enumerate(pages):
        if page.is_closed():
            continue
        target = FAILURE_ARTIFACTS / f"{stem}-{number}"
        try:
            page.screenshot(path=f"{target}.png", full_page=True)
            target.with_suffix(".html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # Best effort: never hide the test's own failure.
            item.warn(pytest.PytestWarning(f"Could not save the browser page: {error!r}"))


# --------------------------------------------------------------------------- accessibility

FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE = """
async ({context, options}) => {
    // As a person sees the page: with its fonts. axe tells an icon font's ligature ("format_bold")
    // from words by drawing it in the element's font, which must have loaded.
    await document.fonts.ready;
    const results = await axe.run(context || document, options);
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
            target: node.target.map(String).join(" "),
            summary: node.failureSummary || "",
        })),
    }));
}
"""


def axe_violations(
    page: Any, *, context: Any = None, disable_rules: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """All axe-core violations on the page as it is now (any impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    return page.evaluate(_RUN_AXE, {"context": context, "options": options})


def format_violations(violations: list[dict[str, Any]], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            for summary_line in node["summary"].splitlines():
                lines.append(f"       {summary_line.strip()}")
    return "\n".join(lines)


def assert_accessible(
    page: Any,
    *,
    context: Any = None,
    disable_rules: tuple[str, ...] = (),
    impacts: tuple[str, ...] = FAILING_IMPACTS,
) -> None:
    """Fail if axe-core finds violations of the given impact on the page as it is now.

    ``context`` limits the check (an axe context: a selector or include/exclude
    object); ``disable_rules`` turns rules off by id, for a reason stated at the call.
    """
    violations = [
        violation
        for violation in axe_violations(page, context=context, disable_rules=disable_rules)
        if violation["impact"] in impacts
    ]
    if violations:
        pytest.fail(format_violations(violations, page.url), pytrace=False)
