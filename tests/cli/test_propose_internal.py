"""reorg propose internal: a table per merged unit, --json, --level, options over --spec, --save, and
one-line refusals (a dataset given as the plan, a plan on another dataset, an unknown plan, a plan
that merges nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import create_dataset, create_plan, load_plan

from reorg.datasets.mergers import planted_internal
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database with the planted-internal apparatus (seed 0) as dataset ``ministries``, its merger
    plan stored as ``merge-ministries``, an empty plan as ``nothing`` and one merging two departments
    (which have no departments of their own) as ``merge-departments``."""
    url = f"sqlite:///{tmp_path / 'internal.db'}"
    app, merger, _ = planted_internal(0)
    with Database(url) as store:
        create_dataset(store, app, name="ministries")
        create_plan(
            store, Plan(baseline="ministries", operations=merger.operations, require=()), "merge-ministries"
        )
        create_plan(store, Plan(baseline="ministries", operations=(), require=()), "nothing")
        two = Merge(units=("M0.D0", "M0.D1"), into=NewUnit("M0.D01", "Departments 0 and 1"))
        create_plan(store, Plan(baseline="ministries", operations=(two,), require=()), "merge-departments")
    return url


def test_the_table_shows_each_merged_unit_and_the_totals(db: str) -> None:
    """Both merged ministries are listed with departments 12 -> 12 -> 10 and leadership posts
    30 -> 27 -> 23; the totals line counts the four department operations."""
    result = run(db, "propose", "internal", "ministries", "merge-ministries")
    assert result.exit_code == 0, result.output
    for unit in ("M01", "M23"):
        assert unit in result.stdout
    assert "12 -> 12 -> 10" in result.stdout
    assert "30 -> 27 -> 23" in result.stdout
    assert (
        "2 merged units, 2 with departments: 24 departments before -> 24 after the merger -> 20"
        in result.stdout
    )
    assert "from operation 3" in result.stdout


def test_json_has_the_plan_after_the_merger_and_the_explanation(db: str) -> None:
    """--json: the plan is the merger's two operations followed by the department operations, against
    the stored dataset; each merged unit has its departments, people, quota and posts."""
    out = run_json(db, "propose", "internal", "ministries", "merge-ministries")
    plan = Plan.from_dict(out["plan"])
    assert plan.baseline == "ministries"
    first = out["explanation"]["first"]
    assert first == 2
    assert [op.op for op in plan.operations[:first]] == ["merge", "merge"]
    assert len(plan.operations) > first
    units = out["explanation"]["units"]
    assert [u["unit"] for u in units] == ["M01", "M23"]
    assert all(u["headcount_after"] <= u["quota_after"] for u in units)
    assert all(op["operations"][0] >= first for u in units for op in u["operations"])


def test_options_override_the_spec_file_and_save_stores(db: str, tmp_path: Path) -> None:
    """--target on top of a spec file leaves 11 departments per merged ministry; --save stores it."""
    spec = tmp_path / "merge.toml"
    spec.write_text("min_similarity = 0.5\nmethod = 'greedy'\n")
    args = ("propose", "internal", "ministries", "merge-ministries", "--spec", str(spec), "--target", "11")
    out = run_json(db, *args)
    assert [u["departments_after"] for u in out["explanation"]["units"]] == [11, 11]
    assert {g["method"] for g in out["explanation"]["groups"]} == {"greedy"}
    result = run(db, "propose", "internal", "ministries", "merge-ministries", "--save", "ministries-internal")
    assert result.exit_code == 0, result.output
    assert "stored plan ministries-internal (version 1)" in result.stdout
    with Database(db) as store:
        assert len(load_plan(store, "ministries-internal").operations) == 6


def test_merged_units_without_departments_are_reported_in_one_line(db: str) -> None:
    """--level ministry keeps both merged ministries; a merger whose merged unit has no departments
    says so, and its plan is the merger alone."""
    out = run_json(db, "propose", "internal", "ministries", "merge-ministries", "--level", "ministry")
    assert out["explanation"]["totals"]["with_departments"] == 2
    result = run(db, "propose", "internal", "ministries", "merge-departments")
    assert result.exit_code == 0, result.output
    assert "1 merged units (department 1) in merge-departments; none has departments" in result.stdout
    out = run_json(db, "propose", "internal", "ministries", "merge-departments")
    assert len(out["plan"]["operations"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ministries", "ministries"], "a stored plan (not a dataset)"),
        (["ministries", "no-such-plan"], "no-such-plan"),
        (["ministries", "nothing"], "plan nothing: a plan that merges units"),
        (["ministries", "merge-ministries", "--level", "department"], "merges units of level department"),
        (["ministries", "merge-ministries", "--level", "galaxy"], "galaxy"),
        (["ministries", "merge-ministries", "--min-similarity", "2"], "min_similarity"),
    ],
)
def test_bad_input_is_a_one_line_error(db: str, args: list[str], message: str) -> None:
    """Each bad input is refused in one line, exit 2, naming what is wrong."""
    assert_refused(run(db, "propose", "internal", *args), message)
