"""The plan commands: validate, apply and diff against a store in a temporary SQLite database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_kit import run
from store_kit import create_dataset, list_plans
from typer.testing import CliRunner

from reorg.cli import app
from reorg.model import Apparatus
from reorg.plan import Merge, NewUnit, Plan, Transfer
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path, tiny: Apparatus) -> str:
    """A database holding the tiny apparatus as dataset ``tiny``."""
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    with Database(url) as store:
        create_dataset(store, tiny, name="tiny")
    return url


def plan_file(tmp_path: Path, name: str, *ops: Any, title: str = "") -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(Plan(baseline="tiny", name=title, operations=ops).to_json(), encoding="utf-8")
    return path


MERGE = Merge(("c1", "c2"), NewUnit("c12", "C1+C2"))
DUPLICATE = Transfer("land", to_unit="c1")


def run_json(db: str, *args: str, code: int = 0) -> Any:
    result = run(db, *args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_validate_ok(db: str, tmp_path: Path) -> None:
    """A plan whose every operation applies is OK, exit 0."""
    result = run(db, "validate", str(plan_file(tmp_path, "merge", MERGE)))
    assert result.exit_code == 0, result.output
    assert "OK: 1 operations apply to tiny" in result.stdout


def test_validate_lists_every_refusal(db: str, tmp_path: Path) -> None:
    """Each refused operation is listed with its position and invariant, and the exit status is 2."""
    path = plan_file(tmp_path, "bad", DUPLICATE, MERGE, Merge(("c3", "zz"), NewUnit("x", "X")))
    result = run(db, "validate", str(path))
    assert result.exit_code == 2
    assert "operation 0 (transfer): one_lead" in result.stdout
    assert "operation 2 (merge): operation: unknown unit 'zz'" in result.stdout
    data = run_json(db, "validate", str(path), code=2)
    assert data["ok"] is False
    assert [(e["operation"], e["invariant"]) for e in data["errors"]] == [(0, "one_lead"), (2, "operation")]


def test_malformed_plan_is_one_line(db: str, tmp_path: Path) -> None:
    """A file that is not a plan gives one error line and exit 2."""
    path = tmp_path / "broken.json"
    path.write_text('{"operations": []}', encoding="utf-8")
    result = run(db, "validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        'error: plan: operation: a plan is an object with a "baseline" dataset id'
    ]


def test_apply_stores_the_plan_and_prints_the_change(db: str, tmp_path: Path) -> None:
    """apply prints units per level before and after and stores the plan under the file's stem."""
    result = run(db, "apply", str(plan_file(tmp_path, "merge-communes", MERGE)))
    assert result.exit_code == 0, result.output
    assert "Units per level" in result.stdout
    assert "stored plan merge-communes (version 1) against tiny" in result.stdout
    with Database(db) as store:
        assert [p.name for p in list_plans(store)] == ["merge-communes"]


def test_apply_json_and_no_save(db: str, tmp_path: Path) -> None:
    """--json gives the summary; --no-save stores nothing; the plan's own name wins over the stem."""
    data = run_json(db, "apply", str(plan_file(tmp_path, "f", MERGE, title="named")), "--no-save")
    assert data["plan"] == "named"
    assert data["saved"] is None
    assert data["summary"]["levels"]["commune"] == {"before": 3, "after": 2}
    assert data["summary"]["units_added"] == 1
    with Database(db) as store:
        assert list_plans(store) == []


def test_apply_refused_is_one_line(db: str, tmp_path: Path) -> None:
    """A plan with a refused operation is not stored; the error names operation and invariant."""
    result = run(db, "apply", str(plan_file(tmp_path, "dup", DUPLICATE)))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: operation 0 (transfer): one_lead: task land")
    with Database(db) as store:
        assert list_plans(store) == []


def test_diff_between_a_dataset_and_a_plan(db: str, tmp_path: Path) -> None:
    """diff resolves a dataset and a stored plan by name and lists what changed."""
    run(db, "apply", str(plan_file(tmp_path, "merged", MERGE)), "--name", "merged")
    data = run_json(db, "diff", "tiny", "merged")
    assert data["units_added"] == ["c12"]
    assert data["units_removed"] == ["c1", "c2"]
    assert data["levels"]["commune"] == {"before": 3, "after": 2}
    table = run(db, "diff", "tiny", "merged")
    assert table.exit_code == 0, table.output
    assert "c12" in table.stdout


def test_diff_unknown_name(db: str) -> None:
    """An unknown name is one error line and exit 2."""
    result = run(db, "diff", "tiny", "nothing-here")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_plan_file_that_is_not_json_is_one_line_naming_the_file(tmp_path: Path) -> None:
    """Broken JSON is refused with the file and line, exit 2, and nothing written."""
    bad = tmp_path / "broken.json"
    bad.write_text('{"baseline": "x",\n  oops}', encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path / 'r.db'}", "validate", str(bad)])
    assert result.exit_code == 2
    expected = f"{bad}: a JSON plan: valid JSON (Expecting property name enclosed in double quotes) at line 2"
    assert expected in result.output


def test_a_deeply_nested_plan_file_is_one_line(tmp_path: Path) -> None:
    """JSON nested 100,000 deep is refused in one line naming the file, not a RecursionError."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path / 'r.db'}", "validate", str(deep)])
    assert result.exit_code == 2
    assert f"{deep}: a JSON plan: JSON nested at most" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
