"""reorg propose merge: summary, --json, options over --spec, --save and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import create_dataset, load_plan

from reorg.datasets.mergers import planted_mergers
from reorg.plan.operations import Plan
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the planted-mergers apparatus (seed 0) as dataset ``mergers``."""
    url = f"sqlite:///{tmp_path / 'merge.db'}"
    with Database(url) as store:
        create_dataset(store, planted_mergers(0)[0], name="mergers")
    return url


def test_summary_lists_operations_and_totals(db: str) -> None:
    """The table lists the planted pairs' operations and the totals line counts them."""
    result = run(db, "propose", "merge", "mergers", "--level", "department")
    assert result.exit_code == 0, result.output
    assert "merge" in result.stdout
    assert "52 units -> 48: 4 mergers" in result.stdout
    assert "exact (optimal)" in result.stdout


def test_json_has_plan_and_explanation(db: str) -> None:
    """--json prints a plan against the stored dataset and an explanation per operation."""
    out = run_json(db, "propose", "merge", "mergers", "--level", "ministry")
    plan = Plan.from_dict(out["plan"])
    assert plan.baseline == "mergers"
    assert {op.op for op in plan.operations} == {"merge"}
    ops = out["explanation"]["operations"]
    assert {frozenset(r["units"]) for r in ops} == {frozenset({"M2", "M2.C3"}), frozenset({"M5", "M5.D0"})}
    assert all(r["operations"] for r in ops)


def test_options_override_the_spec_file(db: str, tmp_path: Path) -> None:
    """--target on top of a spec file's min_similarity: 4 ministries are left of 10."""
    spec = tmp_path / "merge.toml"
    spec.write_text("min_similarity = 0.01\nfield_weight = 1.0\nmethod = 'greedy'\n")
    out = run_json(
        db, "propose", "merge", "mergers", "--level", "ministry", "--spec", str(spec), "--target", "4"
    )
    assert out["explanation"]["totals"]["units_after"] == 4
    assert out["explanation"]["groups"][0]["method"] == "greedy"


def test_save_stores_the_plan(db: str) -> None:
    """--save stores the plan under the name given."""
    result = run(db, "propose", "merge", "mergers", "--level", "ministry", "--save", "fewer-ministries")
    assert result.exit_code == 0, result.output
    assert "stored plan fewer-ministries (version 1)" in result.stdout
    with Database(db) as store:
        assert len(load_plan(store, "fewer-ministries").operations) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "galaxy"], "galaxy"),
        (["--level", "ministry", "--min-similarity", "2"], "min_similarity"),
        (["--level", "ministry", "--method", "magic"], "method"),
    ],
)
def test_bad_options_are_one_line_errors(db: str, args: list[str], message: str) -> None:
    """A bad level or option is refused in one line, exit 2."""
    assert_refused(run(db, "propose", "merge", "mergers", *args), message)
