"""The summary report from the plan page: a download in the viewer's language for those who may read
national figures, refused to a unit officer, its temporary folder gone once it is sent."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from reorg.report.words import words
from reorg.report.workbook import SHEETS


def temp_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("reorg-report-*"))


def test_a_reviewer_downloads_the_page_and_the_workbook(as_role: object) -> None:
    """A reviewer gets the page (HTML, as an attachment, every section) and the workbook (opens with
    openpyxl); no temporary folder is left behind."""
    before = temp_folders()
    client, _ = as_role("rev")  # type: ignore[operator]
    page = client.get("/plans/merge-north/report.html")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "attachment" in page.headers["content-disposition"]
    assert "merge-north-report-en.html" in page.headers["content-disposition"]
    for section in ("apparatus", "findings", "plan", "people", "map", "compared", "roadmap", "monitoring"):
        assert f'<section id="{section}">' in page.text
    book = client.get("/plans/merge-north/report.xlsx?compare=merge-south")
    assert book.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(book.content), read_only=True)
    titles = words("en").sheets
    assert sheets.sheetnames[:14] == [titles[k] for k in SHEETS[:14]]
    # then the roadmap's, consultation's and monitoring's (more of them once a roadmap is built)
    assert {titles["roadmap"], titles["consultation"], titles["monitoring"]} <= set(sheets.sheetnames[14:])
    assert temp_folders() <= before


def test_the_report_speaks_the_viewers_language(as_role: object) -> None:
    """After choosing Ukrainian, the download is the Ukrainian report."""
    client, csrf = as_role("ann")  # type: ignore[operator]
    chosen = client.post("/language", data={"lang": "uk", "csrf": csrf}, follow_redirects=False)
    assert chosen.status_code in (200, 303)
    page = client.get("/plans/merge-north/report.html")
    assert '<html lang="uk">' in page.text
    assert "Апарат до і після" in page.text
    client.post("/language", data={"lang": "en", "csrf": csrf}, follow_redirects=False)


def test_the_plan_page_offers_the_report(as_role: object) -> None:
    """The plan page links both downloads for a reviewer, and not for a unit officer."""
    reviewer, _ = as_role("rev")  # type: ignore[operator]
    assert "/plans/merge-north/report.xlsx" in reviewer.get("/plans/merge-north").text
    officer, _ = as_role("off")  # type: ignore[operator]
    assert "/plans/merge-north/report.html" not in officer.get("/plans/merge-north").text


def test_a_unit_officer_may_not_download_it(as_role: object, client: TestClient) -> None:
    """A unit officer gets 403 for both formats (national figures), and leaves no temporary folder;
    someone not signed in is sent to sign in."""
    before = temp_folders()
    officer, _ = as_role("off")  # type: ignore[operator]
    for fmt in ("html", "xlsx"):
        assert officer.get(f"/plans/merge-north/report.{fmt}").status_code == 403
    assert temp_folders() <= before
    anonymous = client.get("/plans/merge-north/report.html", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401)


def test_an_unknown_plan_is_404(as_role: object) -> None:
    """The report of a plan that is not stored is not found, and leaves no temporary folder."""
    before = temp_folders()
    client, _ = as_role("rev")  # type: ignore[operator]
    assert client.get("/plans/nothing/report.html").status_code == 404
    assert temp_folders() <= before
