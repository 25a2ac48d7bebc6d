"""reorg ensemble: a run on a Dask cluster, --json, --compare with its text histogram, --resume, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_kit import assert_refused, run
from distributed import LocalCluster
from store_kit import create_dataset, create_plan
from territory_kit import grid_apparatus

from reorg.io.ensembles import LOCAL_HTTP
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.store import Database

PICTURE = "\n".join("".join(str((r * 5 + c * 2) % 9 + 1) for c in range(6)) for r in range(6))


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=LOCAL_HTTP) as c:
        yield c.scheduler_address


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ens.db'}"
    with Database(url) as store:
        create_dataset(store, grid_apparatus(PICTURE), name="grid")
        rows = [[f"r{r}c{c}" for c in range(6)] for r in range(6)]
        ops = tuple(Merge(units=tuple(row), into=NewUnit(id=row[0], name=row[0])) for row in rows)
        create_plan(store, Plan(baseline="grid", operations=ops, name="rows"), name="rows")
    return url


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text("[minimums]\npopulation = 12000\n[maximums]\npopulation = 45000\n", encoding="utf-8")
    return path


def test_run_compare_and_resume(db: str, spec: Path, scheduler: str, tmp_path: Path) -> None:
    """A run prints its measures with R-hat; --compare places a stored plan with a marked histogram;
    --resume with more steps continues the run (JSON shows the steps done)."""
    out = tmp_path / "run"
    args = ["ensemble", "grid", "--level", "commune", "--spec", str(spec), "--steps", "30", "--chains", "2"]
    result = run(db, *args, "--batch", "10", "--out", str(out), "--scheduler", scheduler, "--compare", "rows")
    assert result.exit_code == 0, result.output
    assert "R-hat" in result.stdout
    assert "cut_edges" in result.stdout
    assert "rows in the ensemble (60 draws" in result.stdout
    assert "|" in result.stdout
    resumed = run(db, "ensemble", "--resume", str(out), "--steps", "40", "--scheduler", scheduler, "--json")
    assert resumed.exit_code == 0, resumed.output
    data = json.loads(resumed.stdout)
    assert data["manifest"]["done"] == [40, 40]
    assert len(list(out.glob("chain-*/batch-*.parquet"))) == 8


def test_errors(db: str, spec: Path, tmp_path: Path) -> None:
    """Unknown level, a spec nothing meets, a bad scheduler, and a missing --spec: one line, exit 2."""
    base = ["ensemble", "grid", "--steps", "5", "--chains", "1"]
    assert_refused(
        run(db, *base, "--level", "village", "--spec", str(spec), "--out", str(tmp_path / "a")),
        "unknown level",
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[minimums]\npopulation = 1e12\n", encoding="utf-8")
    assert_refused(
        run(db, *base, "--level", "commune", "--spec", str(bad), "--out", str(tmp_path / "b")),
        "valid division",
    )
    assert_refused(
        run(
            db,
            *base,
            "--level",
            "commune",
            "--spec",
            str(spec),
            "--out",
            str(tmp_path / "c"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ),
        "--scheduler",
    )
    assert_refused(run(db, *base, "--level", "commune"), "--spec")
