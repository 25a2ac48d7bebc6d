"""A consultation round end to end in Chromium (Debian's, driven by Playwright): the analyst opens it
with the page's form, three groups answer with the per-operation form, the analyst closes it, and the
results (with comments shown as text) and the XLSX download are there."""

from __future__ import annotations

import io
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import uvicorn
from web_kit import PASSWORD

from reorg.web import WebSettings, create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(examplia_url: str) -> Iterator[str]:
    """The web app on Examplia served by uvicorn on a free loopback port, in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(WebSettings(db_url=examplia_url, secure_cookies=False))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _signed_in(browser: object, base: str, login: str) -> object:
    page = browser.new_context(accept_downloads=True).new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_a_round_in_the_browser(base_url: str) -> None:
    """Open, answer as committee, agencies and experts, close, read the results, download the workbook."""
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        ann = _signed_in(browser, base_url, "ann")
        ann.goto(f"{base_url}/consultations")
        ann.select_option("select[name=plan]", "merge-north")
        ann.fill("textarea[name=question]", "Merge Maple and Thorn?")
        ann.fill("input[name=deadline]", "2099-01-01T12:00")
        ann.fill("textarea[name=invite]", "rev=committee\noff=agencies\nexp=experts")
        ann.click("form[action='/consultations'] button[type=submit]")
        ann.wait_for_url(f"{base_url}/consultations/*")
        address = ann.url
        for login, stance, rating, comment in (
            ("rev", "agree", "5", "<i>good</i>"),
            ("off", "agree", "4", ""),
            ("exp", "disagree", "1", "too far"),
        ):
            page = _signed_in(browser, base_url, login)
            page.goto(address)
            page.check(f"input[name='stance-0'][value={stance}]")
            page.select_option("select[name='rating-0']", rating)
            page.fill("textarea[name='comment-0']", comment)
            page.click("text=Send my answers")
            page.wait_for_selector("text=Your answers are stored")
            assert page.is_checked(f"input[name='stance-0'][value={stance}]")
        ann.goto(address)
        ann.click("text=Close and freeze the results")
        ann.wait_for_selector("text=The consultation is closed")
        body = ann.inner_text("main")
        for heading in ("Results", "Most contested", "Opinion groups", "Comments"):
            assert heading in body
        assert "<i>good</i>" in body  # shown as text, not markup
        assert ann.locator("main i").count() == 0
        with ann.expect_download() as download:
            ann.click("text=Download the results (XLSX)")
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        rows = list(book["By group"].iter_rows(min_row=2, values_only=True))
        assert {(r[2], r[3], r[4]) for r in rows if r[0] == 0} == {
            ("agencies", 1, 0),
            ("committee", 1, 0),
            ("experts", 0, 1),
        }
        browser.close()
