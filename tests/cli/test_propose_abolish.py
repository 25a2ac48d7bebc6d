"""reorg propose abolish: the table of tasks, the totals and invariants line, --json, --save, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import create_dataset, load_plan

from reorg.datasets import planted
from reorg.plan.operations import Plan
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the planted apparatus (seed 0) as dataset ``planted``."""
    url = f"sqlite:///{tmp_path / 'abolish.db'}"
    with Database(url) as store:
        create_dataset(store, planted.planted(0)[0], name="planted")
    return url


def test_summary_lists_tasks_and_invariants(db: str) -> None:
    """The table names the district tasks and the last lines say what went where and the violations."""
    result = run(db, "propose", "abolish", "planted", "district")
    assert result.exit_code == 0, result.output
    assert "DT.0" in result.stdout
    assert "structural violations before:" in result.stdout


def test_json_plan_ends_with_the_abolition(db: str) -> None:
    """--json prints a plan against the stored dataset holding one abolish_level."""
    out = run_json(db, "propose", "abolish", "planted", "district")
    plan = Plan.from_dict(out["plan"])
    assert plan.baseline == "planted"
    assert [op.op for op in plan.operations].count("abolish_level") == 1
    assert {t["task"] for t in out["explanation"]["tasks"]} >= {"DT.0", "DT.1"}


def test_save_stores_the_plan(db: str) -> None:
    """--save stores the plan under the name given."""
    result = run(db, "propose", "abolish", "planted", "district", "--save", "no-districts")
    assert result.exit_code == 0, result.output
    with Database(db) as store:
        assert load_plan(store, "no-districts").operations


@pytest.mark.parametrize(
    ("args", "message"), [(["galaxy"], "galaxy"), (["district", "--prefer", "sideways"], "prefer")]
)
def test_bad_level_or_option_is_a_one_line_error(db: str, args: list[str], message: str) -> None:
    """An unknown level or a bad option is refused in one line, exit 2."""
    assert_refused(run(db, "propose", "abolish", "planted", *args), message)
