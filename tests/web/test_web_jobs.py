"""Proposals run as background jobs: they store a plan under the user's name, show their progress, are
seen by their owner and admins only, and are refused to roles that may not propose."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from web_kit import same_app_client, sign_in, wait_for_job

from reorg.services import Settings, audit, open_database
from reorg.services.access import Principal
from reorg.services.jobs import MAX_PENDING

TERRITORY = {"dataset": "examplia", "level": "commune", "min_population": 16000, "save": "web-communes"}


def _start(c: Any, token: str, body: dict[str, Any], kind: str = "territory") -> dict[str, Any]:
    answer = c.post(f"/api/proposals/{kind}", json=body, headers={"X-CSRF-Token": token})
    assert answer.status_code == 202, answer.text
    job: dict[str, Any] = answer.json()
    assert answer.headers["location"] == f"/api/jobs/{job['id']}"
    return job


def test_a_territorial_proposal_runs_to_done_and_stores_its_plan(as_role: Any, examplia_url: str) -> None:
    """POST /api/proposals/territory answers 202 with a queued job that ends done, having stored the
    plan on Examplia's communes under the analyst's name in the audit log."""
    c, token = as_role("ann")
    job = _start(c, token, TERRITORY)
    assert job["state"] in ("queued", "running")
    assert job["owner"] == "ann"
    assert job["kind"] == "territory"
    assert len(job["id"]) >= 20
    done = wait_for_job(c, job["id"])
    assert done["state"] == "done", done
    assert done["result"]["plan"] == "web-communes"
    assert done["result"]["baseline"] == "examplia"
    assert done["result"]["regions"] >= 1
    assert done["result"]["operations"] >= 1
    assert done["progress"]["total"]
    assert done["progress"]["done"] == done["progress"]["total"]
    assert done["started_at"] <= done["finished_at"]
    plan = c.get("/api/plans/web-communes").json()
    assert plan["baseline"] == "examplia"
    assert plan["operations_by_kind"].get("merge", 0) >= 1
    with open_database(Settings(db_url=examplia_url)) as db, db.unit_of_work(actor="t", readonly=True) as uow:
        actors = {e.actor for e in audit.list_audit(uow, dataset="examplia", limit=1000)}
    assert "web:ann" in actors
    assert next(j["id"] for j in c.get("/api/jobs").json()) == job["id"]


def test_the_page_form_starts_a_job_and_its_fragment_links_to_the_plan_and_the_map(as_role: Any) -> None:
    """The territorial form redirects to the page of its job, which polls /jobs/{id} every second with a
    <progress> bar until the fragment links to the stored plan and its map."""
    c, token = as_role("ada")
    form = {"csrf": token, "dataset": "examplia", "level": "commune", "target": "6", "save": "web-six"}
    answer = c.post("/proposals/territory", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].split("job=")[1]
    page = c.get(answer.headers["location"]).text
    assert f'id="job-{job_id}"' in page
    assert wait_for_job(c, job_id)["state"] == "done"
    fragment = c.get(f"/jobs/{job_id}").text
    assert 'href="/plans/web-six?version=1"' in fragment
    assert 'href="/map?plan=web-six"' in fragment
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert "<html" not in fragment


def test_a_running_job_shows_its_progress_moving(as_role: Any) -> None:
    """While a job runs, its API answer and its fragment show the progress the use case reports, and the
    fragment keeps polling; then it ends done."""
    c, _ = as_role("ann")
    runner = c.app.state.jobs
    step, seen = threading.Event(), threading.Event()

    def work(uow: Any, progress: Any) -> dict[str, Any]:
        progress(1, 3, "groups")
        seen.set()
        assert step.wait(10)
        progress(3, 3, "groups")
        return {"plan": "x", "version": 1, "baseline": "examplia", "operations": 0}

    job = runner.submit(
        owner=Principal("ann", "analyst"), actor="web:ann", kind="territory", title="t", work=work
    )
    assert seen.wait(10)
    running = c.get(f"/api/jobs/{job.id}").json()
    assert running["state"] == "running"
    assert running["progress"] == {"done": 1, "total": 3, "stage": "groups"}
    fragment = c.get(f"/jobs/{job.id}").text
    assert 'hx-get="/jobs/' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert re.search(r'<progress max="3" value="1"', fragment)
    step.set()
    done = wait_for_job(c, job.id)
    assert done["state"] == "done"
    assert done["progress"]["done"] == 3


def test_a_job_is_invisible_to_another_user_but_not_to_an_admin(as_role: Any) -> None:
    """Another user gets 404 on the job (API and fragment) exactly as for a job that does not exist, and
    does not list it; an admin sees it."""
    c, token = as_role("ann")
    job = _start(c, token, {**TERRITORY, "save": "web-hidden"})
    other = same_app_client(c)
    sign_in(other, "rev")
    for url in (f"/api/jobs/{job['id']}", f"/jobs/{job['id']}"):
        assert other.get(url).status_code == 404, url
    assert other.get(f"/api/jobs/{job['id']}").json()["message"].replace(job["id"], "X") == (
        other.get("/api/jobs/nope").json()["message"].replace("nope", "X")
    )
    assert other.get("/api/jobs").json() == []
    admin = same_app_client(c)
    sign_in(admin, "ada")
    assert admin.get(f"/api/jobs/{job['id']}").status_code == 200
    wait_for_job(c, job["id"])


@pytest.mark.parametrize("login", ["rev", "exp"])
def test_reviewers_and_experts_may_not_propose(as_role: Any, login: str) -> None:
    """A reviewer and an expert get 403 on the page, both forms and both APIs."""
    c, token = as_role(login)
    assert c.get("/proposals").status_code == 403
    form = {"csrf": token, "dataset": "examplia", "level": "commune", "target": "3", "save": "no"}
    assert c.post("/proposals/territory", data=form).status_code == 403
    assert (
        c.post("/proposals/leads", data={"csrf": token, "dataset": "examplia", "save": "no"}).status_code
        == 403
    )
    headers = {"X-CSRF-Token": token}
    assert (
        c.post("/api/proposals/territory", json={**TERRITORY, "save": "no"}, headers=headers).status_code
        == 403
    )
    leads = {"dataset": "examplia", "save": "no"}
    assert c.post("/api/proposals/leads", json=leads, headers=headers).status_code == 403
    assert c.get("/api/jobs").json() == []


def test_a_unit_officer_is_told_why_a_proposal_cannot_be_held_to_their_subtree(as_role: Any) -> None:
    """A unit officer may propose, but neither optimizer can be held to a subtree: 403 saying so."""
    c, token = as_role("off")
    answer = c.post("/api/proposals/territory", json=TERRITORY, headers={"X-CSRF-Token": token})
    assert answer.status_code == 403
    assert "subtree" in answer.json()["message"]


def test_a_proposal_without_the_csrf_token_is_refused(as_role: Any) -> None:
    """No CSRF token (API header or form field), or a wrong one: 403, and no job starts."""
    c, token = as_role("ann")
    assert c.post("/api/proposals/territory", json=TERRITORY).status_code == 403
    bad = c.post("/api/proposals/territory", json=TERRITORY, headers={"X-CSRF-Token": token + "x"})
    assert bad.status_code == 403
    form = {"dataset": "examplia", "level": "commune", "target": "3", "save": "no-csrf"}
    assert c.post("/proposals/territory", data=form).status_code == 403
    assert c.get("/api/jobs").json() == []


def test_bad_fields_are_named_on_the_form_and_a_bad_level_fails_the_job(as_role: Any) -> None:
    """A field that is not a number, or a form with neither target nor minimum, is shown on the page with
    the field named (422); an unknown level fails the job with the optimizer's InputError."""
    c, token = as_role("ann")
    form = {"csrf": token, "dataset": "examplia", "level": "commune", "target": "six", "save": "bad"}
    page = c.post("/proposals/territory", data=form)
    assert page.status_code == 422
    assert "target" in page.text
    assert "a whole number" in page.text
    page = c.post("/proposals/territory", data={**form, "target": ""})
    assert page.status_code == 422
    assert "a target number of regions" in page.text
    api = c.post(
        "/api/proposals/territory", json={**TERRITORY, "save": "bad name!"}, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == 422
    assert api.json()["file"] == "plan name"
    job = _start(c, token, {**TERRITORY, "level": "galaxy", "save": "bad-level"})
    failed = wait_for_job(c, job["id"])
    assert failed["state"] == "failed"
    assert "galaxy" in failed["error"]["message"]
    assert c.get("/api/plans/bad-level").status_code == 404


def test_a_leads_proposal_runs_to_done(as_role: Any) -> None:
    """The leads form stores a plan of transfers and links to it."""
    c, token = as_role("ann")
    job = _start(c, token, {"dataset": "examplia", "save": "web-leads"}, kind="leads")
    done = wait_for_job(c, job["id"])
    assert done["state"] == "done", done
    assert done["result"]["plan"] == "web-leads"
    assert done["result"]["cells"] >= 1
    assert c.get("/api/plans/web-leads").status_code == 200


def test_a_user_may_have_only_a_few_jobs_pending(as_role: Any) -> None:
    """With MAX_PENDING jobs queued or running, another proposal or upload is refused with 429 until one
    ends; another user is not held back."""
    c, token = as_role("ann")
    runner = c.app.state.jobs
    release = threading.Event()

    def work(uow: Any, progress: Any) -> dict[str, Any]:
        assert release.wait(10)
        return {}

    ann = Principal("ann", "analyst")
    held = [
        runner.submit(owner=ann, actor="web:ann", kind="leads", title="t", work=work)
        for _ in range(MAX_PENDING)
    ]
    try:
        answer = c.post("/api/proposals/territory", json=TERRITORY, headers={"X-CSRF-Token": token})
        assert answer.status_code == 429
        files = {"bundle": ("b.zip", b"PK", "application/zip")}
        assert (
            c.post(
                "/api/datasets", data={"name": "x"}, files=files, headers={"X-CSRF-Token": token}
            ).status_code
            == 429
        )
        other = same_app_client(c)
        other_token = sign_in(other, "ada")
        leads = {"dataset": "examplia", "save": "web-other"}
        assert (
            other.post("/api/proposals/leads", json=leads, headers={"X-CSRF-Token": other_token}).status_code
            == 202
        )
    finally:
        release.set()
    for job in held:
        assert wait_for_job(c, job.id)["state"] == "done"
