"""Browser tests: Debian's Chromium, driven by Playwright, on the web app served over loopback.

The server is uvicorn in a background thread on the Examplia store of the web tests (two stored plans,
one user per role). Each test gets a fresh browser context (no cookies) and a ``Visit`` that fails the
test when the console shows a JavaScript error, a failed load or a CSP violation. Without Chromium the
tests are skipped locally and fail in CI ($CI or $REORG_TEST_PG set): ``make browser`` installs it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_kit import Visit, find_chromium, must_have_browser, serve
from playwright.sync_api import Browser, sync_playwright
from web_kit import store_examplia

from reorg.web import WebSettings, create_app


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of the system's Chromium."""
    found = find_chromium()
    if found is None:
        reason = "Chromium is not installed: run `make browser` (apt-get install chromium)"
        if must_have_browser():
            pytest.fail(f"{reason}; the browser tests are required in CI", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the web app on a fresh Examplia store (sign-in throttling out of the tests' way)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    store_examplia(url)
    app = create_app(WebSettings(db_url=url, secure_cookies=False, login_attempts=10_000))
    with serve(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """Headless Chromium for one test module: Playwright's sync API runs an event loop while it is open,
    so it is closed before a module that drives its own (test_report_screenshots) runs."""
    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield opened
        opened.close()


@pytest.fixture
def visit(browser: Browser, site: str, request: pytest.FixtureRequest) -> Iterator[Visit]:
    """A fresh page on the site (no cookies; reduced motion, so that charts are drawn at once for the
    screenshots); the test fails if its console showed any error."""
    context = browser.new_context(
        base_url=site, viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    seen = Visit(page, request.node.name)
    yield seen
    context.close()
    if seen.problems:
        pytest.fail("errors in the browser console:\n" + "\n".join(seen.problems), pytrace=False)
