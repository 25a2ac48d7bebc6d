"""Import at scale: a synthetic bundle of 100,000 units, 20,000 tasks, 500,000 duties and 1,000,000
people written as CSV, then timed through reading (reorg.io.load), importing into a fresh SQLite file
(``uow.datasets.create``) and loading back (``uow.datasets.load``), each one unit of work.

Targets (issue 2): import into SQLite <= 60 s with peak memory <= 4 GB; load back <= 10 s. "Import" is
what ``reorg import`` does, read + store, run in a clean (spawned) process whose ru_maxrss is the peak;
the peak after reading alone is printed too, so the store step's share shows. With $REORG_TEST_PG set,
the same figures are printed for PostgreSQL (in a fresh schema, dropped afterwards).

The anchor, measured in the same run: the floor of getting these CSV files into SQLite at all —
``csv.reader`` rows inserted as text with ``sqlite3.executemany`` into untyped tables, one transaction,
no parsing, no checks, no ids resolved. The ratio says what reorg's validation, typing and reference
resolution cost on top of that floor.

Run: .venv/bin/python benchmarks/import_scale.py [--units N --tasks N --duties N --people N]
A benchmark, not a test: it prints its figures and always exits 0.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from reorg import io
from reorg.datasets.synthetic import generate
from reorg.store import Database

IMPORT_TARGET_S = 60.0
MEMORY_TARGET_GB = 4.0
LOAD_TARGET_S = 10.0


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def _import_child(url: str, bundle: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """What ``reorg import`` does, in a fresh process: read the bundle, store it. Reports the seconds of
    each step, the RSS high-water mark after reading and at the end (GB)."""
    start = time.perf_counter()
    app = io.load(bundle)
    read = time.perf_counter() - start
    after_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    with Database(url) as db, db.unit_of_work(actor="benchmark") as uow:
        start = time.perf_counter()
        uow.datasets.create(app, name="scale")
        stored = time.perf_counter() - start
    out.put((read, stored, after_read, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20))


def import_in_child(url: str, bundle: Path) -> tuple[float, float, float, float]:
    """(read seconds, store seconds, peak GB after reading, peak GB at the end) of a clean process."""
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    child = spawn.Process(target=_import_child, args=(url, str(bundle), queue))
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def measure(backend: str, url: str, bundle: Path, anchor: float | None = None) -> None:
    """Import (read + store, as ``reorg import``) in a clean process, then load back here."""
    read, stored, after_read, peak = import_in_child(url, bundle)
    total = read + stored
    print(f"[{backend}] import          {total:8.1f} s   = read CSV {read:.1f} s + store {stored:.1f} s "
          f"(target <= {IMPORT_TARGET_S:.0f} s: {verdict(total <= IMPORT_TARGET_S)})")  # fmt: skip
    if anchor is not None:
        print(f"[{backend}] anchor (raw csv -> sqlite3, no checks) {anchor:.1f} s; "
              f"reorg import / anchor = {total / anchor:.1f}x")  # fmt: skip
    print(f"[{backend}] import peak RSS {peak:8.2f} GB  (after reading: {after_read:.2f} GB; "
          f"target <= {MEMORY_TARGET_GB:.0f} GB: {verdict(peak <= MEMORY_TARGET_GB)})")  # fmt: skip
    with Database(url) as db, db.unit_of_work(actor="benchmark", readonly=True) as uow:
        start = time.perf_counter()
        loaded = uow.datasets.load(name="scale")
        seconds = time.perf_counter() - start
    print(f"[{backend}] load back       {seconds:8.1f} s   (target <= {LOAD_TARGET_S:.0f} s: "
          f"{verdict(seconds <= LOAD_TARGET_S)}); {len(loaded.people):,} people")  # fmt: skip


def anchor_seconds(bundle: Path, database: Path) -> float:
    """Seconds to put every CSV file of ``bundle`` into SQLite as raw text rows (the floor)."""
    start = time.perf_counter()
    conn = sqlite3.connect(database)
    with conn:
        for path in sorted(bundle.glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as f:
                rows = csv.reader(f)
                header = next(rows)
                columns = ", ".join(f'"c{i}"' for i in range(len(header)))
                conn.execute(f'CREATE TABLE "{path.stem}" ({columns})')
                marks = ", ".join("?" * len(header))
                conn.executemany(f'INSERT INTO "{path.stem}" VALUES ({marks})', rows)
    conn.close()
    return time.perf_counter() - start


def postgres_schema(server: str) -> tuple[str, str]:
    """A fresh schema on the server: (its name, a URL whose connections use it)."""
    schema = f"reorg_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def drop_schema(server: str, schema: str) -> None:
    engine = create_engine(server)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--duties", type=int, default=500_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reorg-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        app = generate(units=args.units, tasks=args.tasks, duties=args.duties, people=args.people, seed=2025)
        print(f"generate        {time.perf_counter() - start:8.1f} s   {app.counts()}")
        bundle = folder / "bundle"
        start = time.perf_counter()
        io.write(app, bundle)
        size = sum(f.stat().st_size for f in bundle.iterdir()) / 2**20
        print(f"write CSV       {time.perf_counter() - start:8.1f} s   ({size:,.0f} MB)")
        del app
        sqlite_file = folder / "scale.db"
        anchor = anchor_seconds(bundle, folder / "anchor.db")
        measure("sqlite", f"sqlite:///{sqlite_file}", bundle, anchor)
        print(f"[sqlite] database file {sqlite_file.stat().st_size / 2**20:,.0f} MB")
        server = os.environ.get("REORG_TEST_PG")
        if server:
            schema, url = postgres_schema(server)
            try:
                measure("postgresql", url, bundle)
            finally:
                drop_schema(server, schema)
        else:
            print("[postgresql] skipped: set REORG_TEST_PG to a postgresql+psycopg:// URL")


if __name__ == "__main__":
    main()
