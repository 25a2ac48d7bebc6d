"""The ensembles pages and API: a run started as a job on the server's Dask cluster, the list of runs,
a run's page with a stored plan placed (ECharts histograms), and the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster
from fastapi.testclient import TestClient
from store_kit import create_dataset, create_plan
from territory_kit import grid_apparatus
from web_kit import add_users, sign_in, wait_for_job

from reorg.io.ensembles import LOCAL_HTTP
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.store import Database
from reorg.web import WebSettings, create_app

PICTURE = "\n".join("".join(str((r * 5 + c * 2) % 9 + 1) for c in range(6)) for r in range(6))
BODY = {
    "dataset": "grid",
    "level": "commune",
    "steps": 20,
    "chains": 2,
    "min_population": 12000,
    "max_population": 45000,
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The server's Dask cluster: two workers (threads, processes=False) reached by address."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=LOCAL_HTTP) as c:
        yield c.scheduler_address


@pytest.fixture
def client(tmp_path: Path, scheduler: str) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Database(url) as store:
        create_dataset(store, grid_apparatus(PICTURE), name="grid")
        rows = [[f"r{r}c{c}" for c in range(6)] for r in range(6)]
        ops = tuple(Merge(units=tuple(row), into=NewUnit(id=row[0], name=row[0])) for row in rows)
        create_plan(store, Plan(baseline="grid", operations=ops, name="rows"), name="rows")
    add_users(url, scope="pA")
    settings = WebSettings(
        db_url=url, secure_cookies=False, ensembles_dir=str(tmp_path / "runs"), dask_scheduler=scheduler
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        yield c


def test_start_list_and_place(client: TestClient) -> None:
    """An analyst starts a run through the API; the job names the run; the run is listed; its page
    and API place a stored plan per measure with a histogram."""
    token = sign_in(client, "ann")
    answer = client.post("/api/ensembles", json=BODY, headers={"X-CSRF-Token": token})
    assert answer.status_code == 202, answer.text
    job = wait_for_job(client, answer.json()["id"], timeout=120)
    assert job["state"] == "done", job
    run = job["result"]["run"]  # type: ignore[index]
    listed = client.get("/api/ensembles").json()
    assert [r["id"] for r in listed] == [run]
    assert listed[0]["done"] == 20
    body = client.get(f"/api/ensembles/{run}", params={"plan": "rows"}).json()
    assert body["manifest"]["done"] == [20, 20]
    rows = {r["name"]: r for r in body["placement"]["rows"]}
    assert rows["cut_edges"]["value"] == 30  # six rows of six: the 30 vertical neighbour pairs are cut
    assert all(0 <= r["percentile"] <= 100 for r in rows.values())
    page = client.get(f"/ensembles/{run}", params={"plan": "rows"})
    assert page.status_code == 200
    assert page.text.count('data-chart="histogram"') == len(rows)
    assert run in client.get("/ensembles").text


def test_form_errors_and_refusals(client: TestClient) -> None:
    """A bad field is shown on the form (422); a unit officer may not start a run (403); an unknown or
    malformed run id is not found (404)."""
    token = sign_in(client, "ann")
    page = client.post(
        "/ensembles", data={"csrf": token, "dataset": "grid", "level": "commune", "steps": "0"}
    )
    assert page.status_code == 422
    assert "steps" in page.text
    assert client.get("/ensembles/nope").status_code == 404
    assert client.get("/api/ensembles/..%2F..%2Fetc").status_code == 404
    officer = TestClient(client.app, base_url="http://testserver")
    officer_token = sign_in(officer, "off")
    refused = officer.post("/api/ensembles", json=BODY, headers={"X-CSRF-Token": officer_token})
    assert refused.status_code == 403
