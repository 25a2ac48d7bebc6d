"""The roadmap and monitoring pages and their API: the Gantt data, continuity, status, and reporting
progress as a unit officer (access rules in the services, CSRF)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reorg.plan import Plan
from reorg.roadmap.monitor import ProgressReport
from reorg.services import Settings, open_database, plans, roadmaps


@pytest.fixture(scope="module", autouse=True)
def roadmap_stored(examplia_url: str) -> None:
    """The roadmap of plan merge-north, from 2025-03-01."""
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        roadmaps.build_roadmap(uow, plan="merge-north", start=dt.date(2025, 3, 1))


def _gantt(html: str) -> dict[str, Any]:
    found = re.search(r'data-gantt="1"[^>]*>\s*<script type="application/json">(.*?)</script>', html, re.S)
    assert found, "no Gantt data on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_roadmap_page_has_gantt_data_and_continuity(as_role: Any) -> None:
    """The page carries the Gantt bars as JSON (no inline script), the critical one marked, and the check."""
    c, _ = as_role("rev")
    page = c.get("/roadmap?plan=merge-north")
    assert page.status_code == 200
    data = _gantt(page.text)
    assert data["start"] == "2025-03-01"
    assert data["bars"][0]["critical"] is True
    assert data["bars"][0]["d"] == 30
    assert "No gap in time, place or field" in page.text
    assert "<script>" not in page.text
    listing = c.get("/roadmap")
    assert "merge-north" in listing.text


def test_roadmap_api(as_role: Any) -> None:
    """The API gives the same roadmap as JSON with its continuity."""
    c, _ = as_role("rev")
    body = c.get("/api/roadmaps/merge-north").json()
    assert body["continuity"]["ok"] is True
    assert body["steps"] == 1
    assert c.get("/api/roadmaps").json()[0]["plan"] == "merge-north"


def test_unit_officer_reports_progress_with_csrf(as_role: Any) -> None:
    """A unit officer reports on a step of their subtree through the form; the status shows it."""
    c, csrf = as_role("off")
    form = {
        "csrf": csrf,
        "plan": "merge-north",
        "step": "s1",
        "date": "2025-03-10",
        "share": "80",
        "notes": "ok",
    }
    answer = c.post("/monitor/report", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    status = c.get("/api/monitor/merge-north?as_of=2025-03-11").json()
    assert status["reports"] >= 1
    assert status["overall"]["share"] == 0.8
    assert [g["step"] for g in status["good_practices"]] == ["s1"]
    page = c.get("/monitor?plan=merge-north&as_of=2025-03-11")
    assert page.status_code == 200
    assert "Good practices" in page.text


def test_reporting_needs_csrf_and_the_right(as_role: Any) -> None:
    """Without the CSRF token the form is refused; a reviewer may not report; bad input stores nothing."""
    c, csrf = as_role("off")
    form = {"plan": "merge-north", "step": "s1", "date": "2025-03-10", "share": "10"}
    assert c.post("/monitor/report", data=form, follow_redirects=False).status_code == 403
    rev, rev_csrf = as_role("rev")
    refused = rev.post("/monitor/report", data={**form, "csrf": rev_csrf}, follow_redirects=False)
    assert refused.status_code == 403
    before = c.get("/api/monitor/merge-north?as_of=2025-12-31").json()["reports"]
    bad = c.post(
        "/api/monitor/merge-north/reports",
        json=[
            {"step": "s1", "date": "2025-03-10", "share": 0.2},
            {"step": "nope", "date": "2025-03-11", "share": 0.3},
        ],
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 422
    assert "nope" in bad.text
    assert c.get("/api/monitor/merge-north?as_of=2025-12-31").json()["reports"] == before


def test_unit_officer_outside_the_subtree_is_refused(examplia_url: str, as_role: Any) -> None:
    """A step owned outside the officer's subtree cannot be reported on (the service decides)."""
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        roadmaps.build_roadmap(uow, plan="merge-south", start=dt.date(2025, 3, 1))
    c, csrf = as_role("off")
    answer = c.post(
        "/api/monitor/merge-south/reports",
        json=[{"step": "s1", "date": "2025-03-10", "share": 0.2}],
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422
    assert "subtree" in answer.text


def test_pages_without_a_plan_list_roadmaps(client: TestClient, as_role: Any) -> None:
    """Both pages need a session; signed in, without a plan they list the roadmaps."""
    assert client.get("/monitor", follow_redirects=False).status_code in (303, 401)
    c, _ = as_role("exp")
    assert "merge-north" in c.get("/monitor").text


def test_monitor_page_shows_deviations_with_their_evidence(as_role: Any) -> None:
    """Long after the planned end, the step not done is shown late, with its evidence in words."""
    c, _ = as_role("ann")
    page = c.get("/monitor?plan=merge-north&as_of=2026-06-30")
    assert page.status_code == 200
    assert "late past its slack: the end moves" in page.text
    assert "days late" in page.text


def test_a_reported_state_breaking_an_invariant_shows_with_its_evidence(
    examplia_url: str, as_role: Any
) -> None:
    """The provinces reported merged while their finance departments' merge is not: the API and the
    page (in Vietnamese too) show the deviation with its step, rule, task and place."""
    ops = [
        {
            "op": "merge",
            "units": [f"d-north-{d}", f"d-east-{d}"],
            "into": {"id": f"d-ne-{d}", "name": d, "parent_id": "p-north"},
        }
        for d in ("fin", "agri")
    ]
    ops.append({"op": "merge", "units": ["p-north", "p-east"], "into": {"id": "p-ne", "name": "North-East"}})
    plan = Plan.from_dict({"baseline": "examplia", "require": [], "operations": ops})
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="test") as uow:
        plans.apply_plan(uow, plan=plan, name="merge-ne")
        roadmaps.build_roadmap(uow, plan="merge-ne", start=dt.date(2025, 3, 1))
        reports = [
            ProgressReport("s2", dt.date(2025, 4, 15), 1.0, "test"),
            ProgressReport("s3", dt.date(2025, 4, 20), 1.0, "test"),
            ProgressReport("s1", dt.date(2025, 4, 20), 0.5, "test"),
        ]
        roadmaps.report_progress(uow, plan="merge-ne", reports=reports)
    c, csrf = as_role("rev")
    body = c.get("/api/monitor/merge-ne?as_of=2025-04-21").json()
    found = [d for d in body["deviations"] if d["kind"] == "invariant"]
    assert [d["step"] for d in found] == ["s3"]
    assert found[0]["evidence"]["invariant"] == "one_lead"
    assert found[0]["evidence"]["waits_for"] == "s1"
    assert "p-ne" in found[0]["evidence"]["ids"]
    page = c.get("/monitor?plan=merge-ne&as_of=2025-04-21").text
    assert "the state reported breaks an invariant" in page
    assert "a task led twice in some place" in page
    c.post("/language", data={"lang": "vi", "csrf": csrf})
    page = c.get("/monitor?plan=merge-ne&as_of=2025-04-21").text
    assert "trạng thái được báo cáo vi phạm một bất biến" in page
    assert "một nhiệm vụ có hai đơn vị chủ trì ở một địa bàn" in page
