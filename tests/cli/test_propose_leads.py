"""reorg propose leads: summary, --json, --max-per-unit, --spec, --save/--out and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import create_dataset, load_dataset, load_plan

from reorg.datasets import planted
from reorg.plan import apply, check
from reorg.plan.operations import Plan
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the planted apparatus (seed 0) as dataset ``planted``."""
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    with Database(url) as store:
        create_dataset(store, planted.planted(0)[0], name="planted")
    return url


def test_summary_names_tasks_and_totals(db: str) -> None:
    """The table lists each task fixed and the totals line counts cells and transfers."""
    result = run(db, "propose", "leads", "planted")
    assert result.exit_code == 0, result.output
    assert "T.orphan" in result.stdout
    assert "4 cells fixed (2 duplicated, 2 unled)" in result.stdout
    assert "no capacity limit" in result.stdout


def test_json_plan_fixes_every_cell(db: str) -> None:
    """--json prints a plan of transfers against the stored dataset that, applied, leaves one lead per
    task and place."""
    out = run_json(db, "propose", "leads", "planted")
    plan = Plan.from_dict(out["plan"])
    assert plan.baseline == "planted"
    assert {op.op for op in plan.operations} == {"transfer"}
    assert out["explanation"]["totals"]["cells"] == 4
    assert all(cell["operations"] for cell in out["explanation"]["cells"])
    only = [c for c in out["explanation"]["cells"] if c["binds"] == "only candidate"]
    assert only
    assert all(c["runner_up"] == "" and c["runner_up_cost"] is None for c in only)  # JSON has no NaN
    with Database(db) as store:
        app = load_dataset(store, "planted")
    assert check(apply(app, plan), ["one_lead", "coverage"]) == []


def test_spec_file_with_option_override(db: str, tmp_path: Path) -> None:
    """A TOML spec is read; --max-per-unit overrides its capacity."""
    spec = tmp_path / "leads.toml"
    spec.write_text("max_per_unit = 1\n[weights]\nload = 0.5\n")
    out = run_json(db, "propose", "leads", "planted", "--spec", str(spec), "--max-per-unit", "50")
    assert out["explanation"]["max_per_unit"] == 50


def test_save_and_out(db: str, tmp_path: Path) -> None:
    """--save stores the plan; --out writes the same JSON."""
    path = tmp_path / "leads.json"
    out = run_json(db, "propose", "leads", "planted", "--save", "leads-0", "--out", str(path))
    assert out["saved"]["name"] == "leads-0"
    assert Plan.from_json(path.read_text(encoding="utf-8")).to_dict() == out["plan"]
    with Database(db) as store:
        assert load_plan(store, "leads-0").to_dict() == out["plan"]


def test_bad_capacity_is_one_line(db: str) -> None:
    """--max-per-unit 0 is refused with one line naming the option."""
    assert_refused(run(db, "propose", "leads", "planted", "--max-per-unit", "0"), "--max-per-unit")


def test_capacity_too_tight_is_one_line(db: str) -> None:
    """A capacity no assignment fits is refused with one line saying to raise it."""
    assert_refused(run(db, "propose", "leads", "planted", "--max-per-unit", "1"), "raise max_per_unit")


def test_bad_spec_file_is_one_line(db: str, tmp_path: Path) -> None:
    """A spec with an unknown key is refused naming the file."""
    spec = tmp_path / "bad.toml"
    spec.write_text("speed = 3\n")
    assert_refused(run(db, "propose", "leads", "planted", "--spec", str(spec)), "bad.toml")


def test_unknown_dataset_is_one_line(db: str) -> None:
    """An unknown dataset is refused with one line."""
    assert_refused(run(db, "propose", "leads", "nope"), "nope")
