"""The browser tests' machinery: Debian's Chromium found on this machine, the web app served by uvicorn
on a loopback port in a background thread, and a page that records console errors and takes screenshots.

Playwright drives the system's Chromium (``make browser`` installs the ``chromium`` package); it never
downloads a browser of its own. Screenshots go to ``artifacts/screenshots/`` (CI keeps them).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from playwright.sync_api import ConsoleMessage, Error, Page

__all__ = [
    "SCREENSHOTS",
    "Visit",
    "chart_marks",
    "find_chromium",
    "must_have_browser",
    "painted",
    "serve",
    "sign_in",
]

#: where every page visited is photographed (the CI artefacts)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

#: the Chromium executables of Debian and Ubuntu, in the order they are tried ($REORG_CHROMIUM first)
CANDIDATES = ("chromium", "chromium-browser")


def find_chromium() -> str | None:
    """The Chromium to drive: $REORG_CHROMIUM when set, else the first of CANDIDATES on the PATH."""
    chosen = os.environ.get("REORG_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def must_have_browser() -> bool:
    """True where a missing Chromium is a failure rather than a skip: in CI ($CI or $REORG_TEST_PG set)."""
    return bool(os.environ.get("CI") or os.environ.get("REORG_TEST_PG"))


@contextmanager
def serve(app: FastAPI, timeout_s: float = 30.0) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a background thread; yields its base URL, stops it after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the test server did not answer on {base} within {timeout_s} s")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout_s)
        sock.close()


class Visit:
    """A page under test: records JavaScript errors, failed loads and CSP violations from the console,
    and photographs each step into SCREENSHOTS as ``<test>-<nn>-<step>.png``."""

    def __init__(self, page: Page, test: str) -> None:
        self.page = page
        self.test = re.sub(r"[^A-Za-z0-9_.-]+", "_", test)
        self.problems: list[str] = []
        self.shots: list[Path] = []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            source = message.location.get("url") or "?"
            self.problems.append(f"{self.page.url}: console {message.type} from {source}: {text}")

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"{self.page.url}: uncaught {error.name}: {error.message}")

    def shot(self, step: str) -> Path:
        """Photograph the whole page now."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test}-{len(self.shots) + 1:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def go(self, path: str, step: str) -> Page:
        """Open ``path`` of the site, wait until the network is idle, photograph it."""
        answer = self.page.goto(path, wait_until="networkidle")
        assert answer is not None, f"{path}: no answer"
        assert answer.ok, f"{path}: HTTP {answer.status}"
        self.shot(step)
        return self.page


def chart_marks(page: Page) -> int:
    """How many filled shapes (bars, legend marks) the ECharts charts of the page have drawn."""
    fills: list[str | None] = page.eval_on_selector_all(
        ".chart svg path", "paths => paths.map(p => p.getAttribute('fill'))"
    )
    return sum(1 for fill in fills if fill and fill != "none")


def painted(page: Page, box: str) -> float:
    """The share of the pixels of the canvases under ``box`` that are drawn (Leaflet's canvas renderer
    paints the features there; an empty map leaves them transparent)."""
    share: float = page.eval_on_selector_all(
        f"{box} canvas",
        """canvases => {
          let drawn = 0, total = 0;
          for (const c of canvases) {
            if (!c.width || !c.height) continue;
            const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4) { total += 1; if (data[i] > 0) drawn += 1; }
          }
          return total ? drawn / total : 0;
        }""",
    )
    return share


def sign_in(visit: Visit, login: str, password: str) -> Page:
    """Sign in through the form of /login as ``login``; returns the page of the dashboard it leads to."""
    page = visit.page
    visit.go("/login", f"login-{login}")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/"), f"signing in as {login} led to {page.url}"
    return page
