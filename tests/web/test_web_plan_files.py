"""Checking and storing a plan file through the web app: every refusal shown, stored only when asked."""

from __future__ import annotations

import json
from typing import Any

GOOD = {
    "baseline": "examplia",
    "description": "<b>east</b> merge",
    "operations": [
        {"op": "merge", "units": ["c-east-1", "c-east-2"], "into": {"id": "c-east-12", "name": "Salt Cherry"}}
    ],
}
BAD = {
    "baseline": "examplia",
    "operations": [{"op": "merge", "units": ["c-east-1", "p-east"], "into": {"id": "odd", "name": "Odd"}}],
}


def _file(doc: dict[str, Any]) -> dict[str, tuple[str, bytes, str]]:
    return {"plan": ("plan.json", json.dumps(doc).encode(), "application/json")}


def test_a_good_plan_file_is_checked_and_not_stored(as_role: Any) -> None:
    """The check says every operation applies, shows the description escaped, and stores nothing."""
    c, csrf = as_role("ann")
    page = c.post("/plans/check", files=_file(GOOD), data={"csrf": csrf})
    assert page.status_code == 200
    assert "Every operation applies" in page.text
    assert "&lt;b&gt;east&lt;/b&gt;" in page.text
    assert c.get("/api/plans/plan").status_code == 404


def test_a_bad_plan_file_lists_its_refusals(as_role: Any) -> None:
    """A merge across levels is refused, naming the operation, on the page and through the API."""
    c, csrf = as_role("rev")
    page = c.post("/plans/check", files=_file(BAD), data={"csrf": csrf})
    assert "operation is refused" in page.text
    answer = c.post("/api/plans/check", files=_file(BAD), headers={"X-CSRF-Token": csrf}).json()
    assert answer["ok"] is False
    assert answer["errors"][0]["operation"] == 0


def test_storing_needs_save_plan_and_the_csrf_token(as_role: Any) -> None:
    """An analyst stores the plan; a reviewer may not; without the token nothing happens."""
    reviewer, token = as_role("rev")
    refused = reviewer.post(
        "/api/plans", files=_file(GOOD), data={"name": "east-1"}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403
    analyst, csrf = as_role("ann")
    assert analyst.post("/api/plans", files=_file(GOOD), data={"name": "east-1"}).status_code == 403
    stored = analyst.post(
        "/api/plans", files=_file(GOOD), data={"name": "east-1"}, headers={"X-CSRF-Token": csrf}
    )
    assert stored.status_code == 201
    assert analyst.get("/api/plans/east-1").json()["operations"] == 1


def test_not_json_is_a_clear_error(as_role: Any) -> None:
    """A file that is not JSON is a 422 naming the file."""
    c, csrf = as_role("ann")
    answer = c.post(
        "/api/plans/check",
        files={"plan": ("x.json", b"{nope", "application/json")},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 422
    assert answer.json()["file"] == "x.json"


def test_unit_officer_cannot_check_national_plans(as_role: Any) -> None:
    """Trying a plan on the whole apparatus is national work: 403 for a unit officer."""
    c, csrf = as_role("off")
    assert c.post("/api/plans/check", files=_file(GOOD), headers={"X-CSRF-Token": csrf}).status_code == 403
