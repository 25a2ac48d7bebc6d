"""The public page of an approved plan in Chromium, without signing in: the map is drawn from the public
GeoJSON route, the language selector switches language, and the Content-Security-Policy is kept."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from reorg.services import Settings, open_database, publish
from reorg.services.access import Principal
from reorg.web import WebSettings, create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(examplia_url: str) -> Iterator[str]:
    """The web app on Examplia, merge-north approved, served by uvicorn on a free loopback port."""
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        publish.approve_plan(uow, name="merge-north", viewer=Principal("rev", "reviewer"))
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


def test_the_public_page_draws_its_map_and_switches_language(base_url: str) -> None:
    """Without a session the commune map is drawn, the selector turns the page Ukrainian, and no script
    is refused by the Content-Security-Policy."""
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{base_url}/public/merge-north")
        page.wait_for_selector("#maps[data-drawn]", timeout=20_000)
        assert page.get_attribute("#maps", "data-drawn") == "yes"
        assert page.locator("#map-before canvas").count() >= 1
        assert page.text_content("#caption-before") == "The approved structure · 11 units"  # communes after
        page.select_option("select[name=lang]", "uk")
        page.wait_for_url("**lang=uk**")
        assert page.get_attribute("html", "lang") == "uk"
        assert "Затверджена структура" in page.content()
        page.goto(f"{base_url}/public")
        assert page.get_attribute("html", "lang") == "uk"  # kept in the cookie
        browser.close()
    assert problems == []
