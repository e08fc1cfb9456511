"""Browser tests: a real Chromium, driven by Playwright, against a live server.

Every test in this directory is marked ``browser`` (deselect with
``-m "not browser"``).  Chromium is Debian's ``/usr/bin/chromium``, never a
browser downloaded by Playwright.  Screenshots go to ``test-artifacts/``; a
failing test leaves one there too.
"""

import io
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on the main thread, which makes
# Django refuse ORM calls from test code ("cannot call this from an async
# context") although nothing runs concurrently.  Set before anything else.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = Path(os.environ.get("LINEAGE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_configure(config):
    from django.db import connection

    _track_live_server_requests(serial=connection.vendor == "sqlite")


class _InFlight:
    """The live server's requests being answered now.  A test's database is
    emptied (TRUNCATE) once it ends: a request still running then, such as a
    link preview fetched as the test's last key press moved the focus, holds
    locks the TRUNCATE waits for while it waits for the TRUNCATE's (PostgreSQL
    found a deadlock), so each test waits for its requests to end."""

    def __init__(self):
        import threading

        self.count = 0
        self.changed = threading.Condition()

    def begin(self) -> None:
        with self.changed:
            self.count += 1

    def end(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self, seconds: float = 15) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, seconds)


IN_FLIGHT = _InFlight()


def _track_live_server_requests(*, serial: bool) -> None:
    """Count the live server's requests (``IN_FLIGHT``), each answered whole
    (a streamed body read inside the count).  On SQLite the live server's
    threads share one in-memory connection, which breaks when a page makes
    requests in parallel (an edit form's previews do); there, requests are
    also answered one after another."""
    import contextlib
    import threading

    from django.test import testcases

    class TrackedApp:
        def __init__(self, app):
            self.app = app
            self.lock = threading.Lock() if serial else contextlib.nullcontext()

        def __call__(self, environ, start_response):
            IN_FLIGHT.begin()
            try:
                with self.lock:
                    result = self.app(environ, start_response)
                    try:
                        return [b"".join(result)]
                    finally:
                        if hasattr(result, "close"):
                            result.close()
            finally:
                IN_FLIGHT.end()

    class TrackedLiveServerThread(testcases.LiveServerThread):
        def _create_server(self, connections_override=None):
            server = super()._create_server(connections_override)
            set_app = server.set_app
            server.set_app = lambda app: set_app(TrackedApp(app))
            return server

    testcases.LiveServerThread = TrackedLiveServerThread


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be on the items before `-m` selects them.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors, uncaught exceptions and CSP violations seen by `page`."""
    return []


@pytest.fixture
def second_page(chromium, live_server, console_errors):
    """Another person's browser, at the same time."""
    context = chromium.new_context(base_url=live_server.url)
    other = context.new_page()
    other.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    yield other
    context.close()


@pytest.fixture
def page(request, chromium, live_server, console_errors):
    """A page in a fresh browser context, with `live_server` as its base URL."""
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            console_errors.append(f"console {message.type}: {message.text}")
            if message.type in {"error", "assert"}
            or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_screenshot(page, f"{request.node.name}-failed")
    context.close()
    IN_FLIGHT.wait_idle()  # before the database is emptied


@pytest.fixture
def seeded(transactional_db):
    """Load the seed pages; live-server tests flush the database after each test."""
    call_command("load_seed", stdout=io.StringIO())


@pytest.fixture
def screenshot(request, page):
    """Save a full-page screenshot to test-artifacts/<test>[-<label>].png."""

    def take(label: str = "") -> Path:
        name = request.node.name + (f"-{label}" if label else "")
        return save_screenshot(page, name)

    return take


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
