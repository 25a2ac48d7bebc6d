"""An import is one transaction: a failure midway or a killed process leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from same_apparatus import assert_same_apparatus
from sqlalchemy import create_engine, func, select, text
from store_kit import create_dataset, list_datasets, load_dataset

from reorg.datasets.synthetic import generate
from reorg.model import Apparatus
from reorg.store import Database, bulk
from reorg.store.models import Base

TABLES = sorted(Base.metadata.tables)


def snapshot(url: str) -> dict[str, Any]:
    """Rows per table, and every dataset and audit row, read outside the store."""
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {t: conn.scalar(select(func.count()).select_from(Base.metadata.tables[t])) for t in TABLES}
        datasets = conn.execute(text("SELECT id, name, version FROM datasets ORDER BY id")).all()
        audit = conn.execute(text("SELECT id, action, target FROM audit_log ORDER BY id")).all()
    engine.dispose()
    return {"counts": counts, "datasets": [tuple(r) for r in datasets], "audit": [tuple(r) for r in audit]}


def test_failure_after_units_leaves_nothing(
    db_url: str, tiny: Apparatus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure right after the units table is written leaves no dataset, data or audit row; the next
    import then works as version 1."""
    original = bulk.bulk_insert

    def failing(conn: Any, table: str, *args: Any, **kwargs: Any) -> int:
        written = original(conn, table, *args, **kwargs)
        if table == "units":
            raise RuntimeError("injected failure")
        return written

    with Database(db_url) as store:
        before = snapshot(db_url)
        monkeypatch.setattr(bulk, "bulk_insert", failing)
        with pytest.raises(RuntimeError, match="injected"):
            create_dataset(store, tiny, name="tiny")
        assert snapshot(db_url) == before
        assert all(n == 0 for n in before["counts"].values())
        monkeypatch.setattr(bulk, "bulk_insert", original)
        assert create_dataset(store, tiny, name="tiny").version == 1
        assert_same_apparatus(tiny, load_dataset(store, "tiny"))


def test_failure_keeps_earlier_datasets(
    db_url: str, tiny: Apparatus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed import of a new version leaves the earlier versions and the audit log exactly as they were."""
    with Database(db_url) as store:
        create_dataset(store, tiny, name="tiny")
        before = snapshot(db_url)

        def failing(conn: Any, table: str, *args: Any, **kwargs: Any) -> int:
            raise RuntimeError(f"no room for {table}")

        monkeypatch.setattr(bulk, "bulk_insert", failing)
        with pytest.raises(RuntimeError, match="no room for levels"):
            create_dataset(store, tiny, name="tiny")
        assert snapshot(db_url) == before
        assert [r.version for r in list_datasets(store)] == [1]


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reorg.datasets.synthetic import generate
    from reorg.store import Database

    url, marker = sys.argv[1], Path(sys.argv[2])
    app = generate(units=2_000, tasks=200, duties=20_000, people=300_000, seed=11)

    def progress(done, total, stage):
        # Half the rows are in the open transaction: say so, then wait to be killed.
        if done >= total // 2:
            marker.write_text(str(done))
            time.sleep(120)

    with Database(url) as db, db.unit_of_work(actor="killed") as uow:
        uow.datasets.create(app, name="big", progress=progress)
    """
)


def kill_when_marked(script: str, db_url: str, tmp_path: Path) -> None:
    """Run ``script`` (argv: the URL and a marker path) in a child process and SIGKILL it as soon as it
    writes the marker, checking that a write is then in progress on a SQLite file."""
    marker = tmp_path / "writing"
    child = subprocess.Popen([sys.executable, "-c", script, db_url, str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, f"the writing process ended early (status {child.returncode})"
            assert time.monotonic() < deadline, "the writing process never reached its marker"
            time.sleep(0.02)
        if db_url.startswith("sqlite"):
            database = Path(db_url.removeprefix("sqlite:///"))
            assert Path(f"{database}-journal").exists(), "no write in progress on the SQLite file"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL


KILLED_BETWEEN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reorg.datasets.synthetic import generate
    from reorg.plan import Plan
    from reorg.services.builtin import store_built
    from reorg.store import Database
    from reorg.store.plans import PlanRepository

    url, marker = sys.argv[1], Path(sys.argv[2])
    app = generate(units=300, tasks=30, duties=900, people=3_000, seed=11)

    def stuck(self, plan, *, name):
        # The dataset is written in the open transaction: say so, then wait to be killed.
        marker.write_text("dataset stored")
        time.sleep(120)

    PlanRepository.create = stuck
    with Database(url) as db, db.unit_of_work(actor="killed") as uow:
        store_built(uow, app, Plan("built", name="reference"))
    """
)


@pytest.mark.slow
def test_killed_between_dataset_and_plan(db_url: str, tmp_path: Path) -> None:
    """Storing a built dataset and its reference plan is one transaction: a process killed after the
    dataset is written and before the plan is leaves neither stored."""
    Database(db_url).close()
    before = snapshot(db_url)
    kill_when_marked(KILLED_BETWEEN, db_url, tmp_path)
    assert snapshot(db_url) == before
    assert before["datasets"] == []


def test_failed_plan_leaves_no_dataset(db_url: str, tiny: Apparatus) -> None:
    """A reference plan that cannot be stored (its baseline is named otherwise) takes its dataset with it."""
    from reorg.errors import NotFoundError
    from reorg.plan import Plan
    from reorg.services.builtin import store_built

    def store_then_fail(db: Database) -> None:
        with db.unit_of_work(actor="tester") as uow:
            store_built(uow, tiny, Plan("tiny", name="tiny-plan"))
            uow.plans.create(Plan("elsewhere"), name="other")

    with Database(db_url) as db:
        before = snapshot(db_url)
        with pytest.raises(NotFoundError, match="no dataset 'elsewhere'"):
            store_then_fail(db)
        assert snapshot(db_url) == before


@pytest.mark.slow
def test_killed_import_leaves_nothing(db_url: str, tiny: Apparatus, tmp_path: Path) -> None:
    """A process killed (SIGKILL) halfway through a large import leaves the database as it was, and the
    next import works."""
    with Database(db_url) as store:
        create_dataset(store, tiny, name="tiny")
    before = snapshot(db_url)
    kill_when_marked(KILLED_IMPORT, db_url, tmp_path)
    assert snapshot(db_url) == before
    app = generate(units=300, tasks=30, duties=900, people=3_000, seed=11)
    with Database(db_url) as store:
        assert create_dataset(store, app, name="big").version == 1
        assert_same_apparatus(app, load_dataset(store, "big"))
        assert_same_apparatus(tiny, load_dataset(store, "tiny"))
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA integrity_check")) == "ok"
        engine.dispose()
