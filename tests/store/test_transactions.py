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

from reorg.datasets.synthetic import generate
from reorg.model import Apparatus
from reorg.store import Store, bulk
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

    with Store(db_url) as store:
        before = snapshot(db_url)
        monkeypatch.setattr(bulk, "bulk_insert", failing)
        with pytest.raises(RuntimeError, match="injected"):
            store.import_apparatus(tiny, name="tiny")
        assert snapshot(db_url) == before
        assert all(n == 0 for n in before["counts"].values())
        monkeypatch.setattr(bulk, "bulk_insert", original)
        assert store.import_apparatus(tiny, name="tiny").version == 1
        assert_same_apparatus(tiny, store.load("tiny"))


def test_failure_keeps_earlier_datasets(
    db_url: str, tiny: Apparatus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed import of a new version leaves the earlier versions and the audit log exactly as they were."""
    with Store(db_url) as store:
        store.import_apparatus(tiny, name="tiny")
        before = snapshot(db_url)

        def failing(conn: Any, table: str, *args: Any, **kwargs: Any) -> int:
            raise RuntimeError(f"no room for {table}")

        monkeypatch.setattr(bulk, "bulk_insert", failing)
        with pytest.raises(RuntimeError, match="no room for levels"):
            store.import_apparatus(tiny, name="tiny")
        assert snapshot(db_url) == before
        assert [r.version for r in store.list_datasets()] == [1]


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from reorg.datasets.synthetic import generate
    from reorg.store import Store

    url, marker = sys.argv[1], Path(sys.argv[2])
    app = generate(units=2_000, tasks=200, duties=20_000, people=300_000, seed=11)
    store = Store(url)

    def progress(done, total, stage):
        # Half the rows are in the open transaction: say so, then wait to be killed.
        if done >= total // 2:
            marker.write_text(str(done))
            time.sleep(120)

    store.import_apparatus(app, name="big", progress=progress)
    """
)


@pytest.mark.slow
def test_killed_import_leaves_nothing(db_url: str, tiny: Apparatus, tmp_path: Path) -> None:
    """A process killed (SIGKILL) halfway through a large import leaves the database as it was, and the
    next import works."""
    with Store(db_url) as store:
        store.import_apparatus(tiny, name="tiny")
    before = snapshot(db_url)
    marker = tmp_path / "writing"
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, db_url, str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, f"the importing process ended early (status {child.returncode})"
            assert time.monotonic() < deadline, "the importing process never got halfway"
            time.sleep(0.02)
        if db_url.startswith("sqlite"):
            database = Path(db_url.removeprefix("sqlite:///"))
            assert Path(f"{database}-journal").exists(), "no write in progress on the SQLite file"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert snapshot(db_url) == before
    app = generate(units=300, tasks=30, duties=900, people=3_000, seed=11)
    with Store(db_url) as store:
        assert store.import_apparatus(app, name="big").version == 1
        assert_same_apparatus(app, store.load("big"))
        assert_same_apparatus(tiny, store.load("tiny"))
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA integrity_check")) == "ok"
        engine.dispose()
