"""Fixtures shared by the whole suite. App-specific factories live in tests/<app>/factories.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL's locking; on SQLite they are skipped with a reason."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# --- Real-browser fixtures (helpers in tests/browser_support.py) -----------------------------------


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """A request to a Welsh page activates Welsh in the thread that served it, and Django leaves it
    active after the response; through the test client that thread is the test's own. Without this a
    test that reads lazy text (timeline words, labels) after some earlier test fetched a /cy/ page would
    read it in Welsh."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def forgiving_redis_cache(settings):
    """Point the default cache at a Redis URL through the project's cache (`config.cache`), with short
    timeouts; call it with the URL, it returns the cache."""
    from django.core.cache import caches

    def use(location: str):
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.ForgivingRedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        return caches["default"]

    return use


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time_on_sqlite():
    """On SQLite the test database is one in-memory connection that the live server's threads share.

    A browser sends requests in parallel (favicon, the admin's preview and editing-session pings), which
    then collide with "database table is locked"; a single-threaded server takes them in turn.
    PostgreSQL (CI) keeps Django's threaded server.
    """
    if connection.vendor != "sqlite":
        yield
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        # LiveServerThread.run() already shares the test connection with the server thread.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright's sync API, shared by the session's browser tests."""
    import os

    from tests.browser_support import CHROMIUM_ARGS, chromium_path, skip_or_fail

    executable = chromium_path()
    if executable is None:
        skip_or_fail("Chromium is not installed at /usr/bin/chromium")
    # Playwright's sync API runs an event loop; Django's live server ORM calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser):
    """A page with JavaScript switched off, for checking pages work without it."""
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_check():
    """`axe_check(page)` fails the test with a readable list if axe-core finds WCAG 2.2 AA violations."""
    from tests.browser_support import axe_violations, describe_violations

    def check(page) -> None:
        violations = axe_violations(page)
        assert not violations, f"axe-core found violations on {page.url}:\n{describe_violations(violations)}"

    return check


@pytest.fixture
def html_check():
    """`html_check({"name": html, ...})` fails the test with vnu's errors if any document is invalid HTML."""
    from tests.browser_support import vnu_errors

    def check(documents: dict[str, str]) -> None:
        errors = vnu_errors(documents)
        assert not errors, f"The Nu HTML Checker found errors:\n{errors}"

    return check
