"""The summary report in headless Chromium, in English, Vietnamese and Ukrainian: every section is
visible (the roadmap with its Gantt chart, the consultation rounds and the monitoring status among
them), no template key shows, and a full-page screenshot of each lands in artifacts/screenshots/.

Needs Playwright and Debian's Chromium at /usr/bin/chromium; skipped without them, except on CI or
when REORG_TEST_PG is set (the full runs), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_kit import SECTIONS, store_examplia, store_reform

from reorg.diagnose.findings import TEMPLATES
from reorg.services import Settings, access, open_database
from reorg.services.report import write_reform_report

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
#: the title of the apparatus section in each language (what a reader sees first under the overview)
APPARATUS = {"en": "The apparatus before and after", "vi": "Bộ máy trước và sau", "uk": "Апарат до і після"}


def _browser_or_skip() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright is not installed")
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("CI") or os.environ.get("REORG_TEST_PG"):
            pytest.fail(f"browser tests must run here: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report of reform (compared with merge-south) in each language, as files."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("report-browser")
    url = f"sqlite:///{root / 'b.db'}"
    store_examplia(url)
    store_reform(url)
    out = {}
    with open_database(Settings(db_url=url)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        for lang in APPARATUS:
            written = write_reform_report(
                uow,
                dataset="examplia",
                plan="reform",
                compare=["merge-south"],
                lang=lang,
                out=root / lang,
                viewer=access.Principal("t", "admin"),
                formats=("html",),
            )
            out[lang] = written.file("html")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(APPARATUS))
def test_report_in_chromium(reports: dict[str, Path], lang: str) -> None:
    """Opened from its file in headless Chromium, the report shows every section and its map and charts
    as drawn SVG, no template key in its visible text, and is saved as a full-page screenshot."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"report-{lang}.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(reports[lang].as_uri())
            for section in SECTIONS:
                assert page.locator(f"section#{section}").is_visible(), section
            assert page.locator("section#apparatus h2").inner_text().startswith(APPARATUS[lang])
            box = page.locator("section#map svg").bounding_box()
            assert box is not None
            assert box["width"] > 100
            assert box["height"] > 100
            assert page.locator("svg.chart").count() == 2
            gantt = page.locator("section#roadmap svg.gantt").bounding_box()
            assert gantt is not None
            assert gantt["width"] > 300
            assert page.locator("section#consultation table").count() >= 3
            assert page.locator("section#monitoring table").count() >= 3
            text = page.locator("body").inner_text()
            assert not [key for key in TEMPLATES if key in text]
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
