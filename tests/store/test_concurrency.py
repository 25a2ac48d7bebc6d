"""Concurrent writers: two processes importing one name get versions 1 and 2, and two processes opening an
empty database both find it migrated; on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from store_kit import list_datasets

from reorg.store import Database

IMPORT = textwrap.dedent(
    """
    import sys
    from reorg.datasets.synthetic import generate
    from reorg.store import Database

    app = generate(units=300, tasks=30, duties=900, people=20_000, seed=int(sys.argv[2]))
    with Database(sys.argv[1]) as db, db.unit_of_work(actor="writer") as uow:
        print(uow.datasets.create(app, name="shared").version)
    """
)


def _together(url: str, seeds: tuple[int, ...]) -> list[subprocess.CompletedProcess[str]]:
    """Run the import script once per seed, all processes started before any is waited for."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT, url, str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in seeds
    ]
    out = []
    for child in children:
        stdout, stderr = child.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr))
    return out


@pytest.mark.slow
def test_two_imports_of_one_name_queue(db_url: str) -> None:
    """Two processes importing the same name into a fresh database at once: both succeed (migrating the
    empty database once), as versions 1 and 2."""
    done = _together(db_url, (1, 2))
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert sorted(int(d.stdout) for d in done) == [1, 2]
    with Database(db_url) as db:
        assert sorted(r.version for r in list_datasets(db)) == [1, 2]
