"""Ensemble runs through the service: two chains on a real Dask LocalCluster (two worker processes)
reached by its scheduler address, Parquet read back, resume gives the same chains, clear refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster
from store_kit import create_dataset, create_plan
from territory_kit import grid_apparatus

from reorg.errors import InputError, NotFoundError
from reorg.io.ensembles import LOCAL_HTTP, chain_measures, read_manifest
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.services.ensembles import compare_plan, resume_ensemble, run_ensemble
from reorg.store import Database, UnitOfWork

PICTURE = "\n".join("".join(str((r * 7 + c * 3) % 9 + 1) for c in range(8)) for r in range(6))
SPEC = {"minimums": {"population": 15000}, "maximums": {"population": 50000}}


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A real Dask cluster: two single-threaded worker processes."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=LOCAL_HTTP) as c:
        yield c


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    with Database(f"sqlite:///{tmp_path / 'ens.db'}") as db:
        create_dataset(db, grid_apparatus(PICTURE), name="grid")
        yield db


def _run(uow: UnitOfWork, out: Path, cluster: LocalCluster, steps: int = 60, **kw: object) -> object:
    return run_ensemble(
        uow,
        dataset="grid",
        level="commune",
        spec=SPEC,
        steps=steps,
        chains=2,
        out=out,
        seed=5,
        batch=20,
        scheduler=cluster.scheduler_address,
        **kw,  # type: ignore[arg-type]
    )


def test_two_chains_on_a_cluster(store: Database, cluster: LocalCluster, tmp_path: Path) -> None:
    """Two chains run through the scheduler address; each batch is a Parquet file with one row per
    step; the manifest records the steps; the summary has R-hat and acceptance per chain."""
    seen: list[int] = []
    with store.unit_of_work(actor="t") as uow:
        run = _run(uow, tmp_path / "run", cluster, progress=lambda d, t, s: seen.append(d))
    files = sorted((tmp_path / "run").glob("chain-*/batch-*.parquet"))
    assert len(files) == 6
    table = pq.read_table(files[0])
    assert table.num_rows == 20
    assert {"chain", "step", "accepted", "cut_edges"} <= set(table.column_names)
    manifest = read_manifest(tmp_path / "run")
    assert manifest.done == (60, 60)
    assert seen[-1] == 120
    assert len(run.acceptance) == 2
    assert all(0 < a <= 1 for a in run.acceptance)
    cut = next(m for m in run.measures if m.name == "cut_edges")  # type: ignore[attr-defined]
    assert np.isfinite(cut.rhat)
    assert cut.ess > 0


def test_resume_continues_the_same_chains(store: Database, cluster: LocalCluster, tmp_path: Path) -> None:
    """A run of 40 steps resumed to 60 records exactly what a run of 60 steps does."""
    with store.unit_of_work(actor="t") as uow:
        _run(uow, tmp_path / "straight", cluster)
        _run(uow, tmp_path / "resumed", cluster, steps=40)
        resume_ensemble(uow, folder=tmp_path / "resumed", steps=60, scheduler=cluster.scheduler_address)
    a = chain_measures(tmp_path / "straight", read_manifest(tmp_path / "straight"))
    b = chain_measures(tmp_path / "resumed", read_manifest(tmp_path / "resumed"))
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_compare_a_plan(store: Database, cluster: LocalCluster, tmp_path: Path) -> None:
    """A stored plan is placed per measure: its value, a percentile in 0-100, a histogram of all draws."""
    ids = [
        [f"r{r}c{c}", f"r{r}c{c + 1}", f"r{r + 1}c{c}", f"r{r + 1}c{c + 1}"]
        for r in (0, 2, 4)
        for c in (0, 2, 4, 6)
    ]
    plan = Plan(
        baseline="grid",
        operations=tuple(Merge(units=tuple(g), into=NewUnit(id=g[0], name=g[0])) for g in ids),
        name="blocks",
    )
    create_plan(store, plan, name="blocks")
    with store.unit_of_work(actor="t") as uow:
        _run(uow, tmp_path / "run", cluster, steps=40)
        placed = compare_plan(uow, folder=tmp_path / "run", plan="blocks")
    assert placed.draws == 80
    cut = next(r for r in placed.rows if r.name == "cut_edges")
    assert cut.value == 34  # 82 rook edges, 4 inside each of the 12 blocks
    assert all(0 <= r.percentile <= 100 and sum(r.counts) == 80 for r in placed.rows)


def test_refusals(store: Database, tmp_path: Path) -> None:
    """Unknown level, a spec no division meets, and a scheduler that is not there: clear errors."""
    with store.unit_of_work(actor="t") as uow:
        with pytest.raises(NotFoundError, match="unknown level 'village'"):
            run_ensemble(
                uow, dataset="grid", level="village", spec=SPEC, steps=5, chains=1, out=tmp_path / "a"
            )
        impossible = {"minimums": {"population": 10**9}}
        with pytest.raises(InputError, match="valid division to start from"):
            run_ensemble(
                uow, dataset="grid", level="commune", spec=impossible, steps=5, chains=1, out=tmp_path / "b"
            )
        with pytest.raises(InputError, match="--scheduler"):
            run_ensemble(
                uow,
                dataset="grid",
                level="commune",
                spec=SPEC,
                steps=5,
                chains=1,
                out=tmp_path / "c",
                scheduler="tcp://127.0.0.1:9",
            )
