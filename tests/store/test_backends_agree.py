"""Hostile bundles given to `reorg import` end the same way on SQLite and PostgreSQL: stored and read back
alike, or refused with the same one-line error, and a refusal stores nothing."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from cli_kit import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VALID = Path(__file__).parents[1] / "data" / "valid"

#: values that broke or were silently changed by one backend and not the other, and their neighbours
HOSTILE = st.sampled_from(
    [
        "0000-01-01",
        "1799-12-31",
        "9999-12-31",
        "1e12",
        "99999999999999999999",
        "-0",
        "nan",
        "inf",
        "1_000",
        "١٢",
        "１２",
        "x" * 300,
        "\x00",
        "\x1b[2J",
        "Office [/] A",
        "'; DROP TABLE units; --",
        "\\N",
        "",
        " ",
        "Sở Tài chính [cũ]",
    ]
)
FILES = st.sampled_from(["units.csv", "people.csv", "tasks.csv", "duties.csv", "levels.csv"])


def _mutated(file: str, row: int, column: int, value: str) -> Path:
    """A copy of the valid bundle with one cell of ``file`` replaced by ``value`` (quoted CSV)."""
    folder = Path(tempfile.mkdtemp(prefix="bundle-"))
    for source in VALID.glob("*.csv"):
        shutil.copy(source, folder / source.name)
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    r = 1 + row % (len(lines) - 1)
    cells = lines[r].split(",")
    cells[column % len(cells)] = json.dumps(value, ensure_ascii=False)  # a JSON string is a valid CSV quote
    lines[r] = ",".join(cells)
    (folder / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.postgres
@settings(max_examples=40, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=FILES, row=st.integers(0, 50), column=st.integers(0, 20), value=HOSTILE)
def test_import_ends_alike_on_both_backends(
    tmp_path: Path, pg_url: str, file: str, row: int, column: int, value: str
) -> None:
    """The same hostile bundle: both backends store it (and show the same counts) or both refuse it with
    the same one-line message, storing nothing."""
    bundle = _mutated(file, row, column, value)
    try:
        outcomes = []
        for url in (f"sqlite:///{tempfile.mkdtemp(dir=tmp_path)}/r.db", pg_url):
            done = run(url, "import", str(bundle), "--name", "b")
            shown = run(url, "datasets", "--json")
            datasets = [(d["name"], d["counts"]) for d in json.loads(shown.stdout)]
            outcomes.append((done.exit_code, done.stderr.strip(), datasets))
            if done.exit_code == 0:
                assert run(url, "datasets", "delete", "b").exit_code == 0
        assert outcomes[0] == outcomes[1]
        code, message, datasets = outcomes[0]
        assert code in (0, 2), message
        if code == 2:
            assert len(message.splitlines()) == 1
            assert message.startswith("error: ")
            assert datasets == []
    finally:
        shutil.rmtree(bundle)
