"""Merge and abolition proposals from the web app: background jobs that store their plan, forms that
show bad fields, and the same refusals as the other proposals."""

from __future__ import annotations

from typing import Any

from web_kit import wait_for_job


def _start(c: Any, token: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = c.post(f"/api/proposals/{kind}", json=body, headers={"X-CSRF-Token": token})
    assert answer.status_code == 202, answer.text
    job: dict[str, Any] = answer.json()
    assert job["kind"] == kind
    return job


def test_a_merge_proposal_runs_to_done_and_stores_its_plan(as_role: Any) -> None:
    """POST /api/proposals/merge on Examplia's departments ends done with the plan stored and the
    units before and after."""
    c, token = as_role("ann")
    body = {"dataset": "examplia", "level": "department", "save": "web-merge", "min_similarity": 0.05}
    done = wait_for_job(c, _start(c, token, "merge", body)["id"])
    assert done["state"] == "done", done
    assert done["result"]["plan"] == "web-merge"
    assert done["result"]["units"] == 8
    assert done["result"]["units_after"] <= done["result"]["units"]
    assert c.get("/api/plans/web-merge").status_code == 200


def test_an_abolition_proposal_runs_to_done(as_role: Any) -> None:
    """POST /api/proposals/abolish of Examplia's provinces stores a plan with one abolish_level."""
    c, token = as_role("ann")
    body = {"dataset": "examplia", "level": "province", "save": "web-abolish"}
    done = wait_for_job(c, _start(c, token, "abolish", body)["id"])
    assert done["state"] == "done", done
    plan = c.get("/api/plans/web-abolish").json()
    assert plan["operations_by_kind"]["abolish_level"] == 1
    assert done["result"]["tasks_up"] + done["result"]["tasks_down"] >= 1


def test_the_forms_start_jobs_and_show_bad_fields(as_role: Any) -> None:
    """The merge form redirects to its job; a bad similarity and a bad direction come back on the form
    (422) naming the field."""
    c, token = as_role("ada")
    page = c.get("/proposals")
    assert 'action="/proposals/merge"' in page.text
    assert 'action="/proposals/abolish"' in page.text
    form = {"csrf": token, "dataset": "examplia", "level": "department", "save": "web-m2"}
    answer = c.post("/proposals/merge", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/proposals?job=")
    bad = c.post("/proposals/merge", data={**form, "min_similarity": "3"})
    assert bad.status_code == 422
    assert "min_similarity" in bad.text
    bad = c.post("/proposals/abolish", data={**form, "level": "province", "prefer": "sideways"})
    assert bad.status_code == 422
    assert "prefer" in bad.text


def test_a_viewer_and_a_unit_officer_may_not_propose(as_role: Any) -> None:
    """A reviewer (no propose) and a unit officer (a whole level cannot be held to a subtree) get 403."""
    for login in ("rev", "off"):
        c, token = as_role(login)
        headers = {"X-CSRF-Token": token}
        merge = {"dataset": "examplia", "level": "department", "save": "no"}
        assert c.post("/api/proposals/merge", json=merge, headers=headers).status_code == 403
        abolish = {"dataset": "examplia", "level": "province", "save": "no"}
        assert c.post("/api/proposals/abolish", json=abolish, headers=headers).status_code == 403
