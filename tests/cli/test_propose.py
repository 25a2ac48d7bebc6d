"""reorg propose territory: options, spec file, summary, --json, --save and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from store_kit import create_dataset, create_plan, load_plan
from territory_kit import grid_apparatus
from typer.testing import CliRunner, Result

from reorg.cli import app
from reorg.plan.operations import Plan
from reorg.store import Database

PICTURE = """
1231.2
2111..
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding a 2x6 grid of communes (with one island) as dataset ``grid``."""
    url = f"sqlite:///{tmp_path / 'propose.db'}"
    with Database(url) as store:
        create_dataset(store, grid_apparatus(PICTURE), name="grid")
    return url


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, "propose", "territory", "grid", "--level", "commune", *args])


def run_json(db: str, *args: str) -> Any:
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_summary_table(db: str) -> None:
    """The summary shows the group row, the binding constraints and the region count."""
    result = run(db, "--min", "population=3000")
    assert result.exit_code == 0, result.output
    assert "pA" in result.stdout
    assert "binding constraints: min population" in result.stdout
    assert "1 below a minimum" in result.stdout  # the island of 2,000 people
    assert "infeasible piece: r0c5" in result.stdout


def test_json_has_plan_and_explanation(db: str) -> None:
    """--json prints the plan (merges) and the explanation (groups, regions, objective)."""
    out = run_json(db, "--min", "population=3000", "--seed", "1")
    plan = Plan.from_dict(out["plan"])
    assert plan.baseline == "grid"
    assert all(op.op == "merge" for op in plan.operations)
    (group,) = out["explanation"]["groups"]
    assert group["status"] == "partly infeasible"
    assert group["infeasible"] == [["r0c5"]]
    members = sorted(u for r in out["explanation"]["regions"] for u in r["members"])
    assert len(members) == 9  # every land cell, once
    assert out["saved"] is None


def test_target_and_save(db: str, tmp_path: Path) -> None:
    """--target gives that many regions; --save stores the plan; --out writes its JSON."""
    path = tmp_path / "plan.json"
    out = run_json(db, "--target", "3", "--save", "grid-3", "--out", str(path))
    assert out["explanation"]["objective"]["regions"] == 3
    assert out["saved"]["name"] == "grid-3"
    assert Plan.from_json(path.read_text(encoding="utf-8")).to_dict() == out["plan"]
    with Database(db) as store:
        assert load_plan(store, "grid-3").to_dict() == out["plan"]


def test_spec_file_with_option_override(db: str, tmp_path: Path) -> None:
    """A TOML spec is read; an option given on the command line overrides it."""
    spec = tmp_path / "spec.toml"
    spec.write_text("target = 2\n[weights]\nhomogeneity = { income = 1.0 }\n", encoding="utf-8")
    assert run_json(db, "--spec", str(spec))["explanation"]["objective"]["regions"] == 2
    assert run_json(db, "--spec", str(spec), "--target", "4")["explanation"]["objective"]["regions"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--min", "people=3"), "unknown unit attribute 'people'"),
        (("--min", "population"), "KEY=NUMBER"),
        (("--min", "population=lots"), "KEY=NUMBER"),
        (("--target", "0"), "positive integer"),
        (("--method", "magic"), "heuristic"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db: str, args: tuple[str, ...], message: str) -> None:
    """Bad options give one error line and exit status 2."""
    result = run(db, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_nest_in_the_provinces_another_plan_makes(tmp_path: Path) -> None:
    """--nest-in PLAN --nest-by province solves inside the provinces that plan forms by merging: with
    pA and pB merged into pAB, regions may cross the old pA/pB border."""
    url = f"sqlite:///{tmp_path / 'nest.db'}"
    with Database(url) as store:
        create_dataset(store, grid_apparatus("11\n11", "AB\nAB"), name="grid")
        merge = {"op": "merge", "units": ["pA", "pB"], "into": {"id": "pAB", "name": "Province AB"}}
        create_plan(store, Plan.from_dict({"baseline": "grid", "operations": [merge]}), name="provinces")
    args = ["--db", url, "propose", "territory", "grid", "--level", "commune", "--min", "population=4000"]
    apart = CliRunner().invoke(app, [*args, "--json"])
    nested = CliRunner().invoke(app, [*args, "--nest-by", "province", "--nest-in", "provinces", "--json"])
    assert apart.exit_code == 0, apart.output
    assert nested.exit_code == 0, nested.output
    assert json.loads(apart.stdout)["explanation"]["objective"]["regions"] == 2  # each old province alone
    regions = json.loads(nested.stdout)["explanation"]["regions"]
    assert [sorted(r["members"]) for r in regions] == [["r0c0", "r0c1", "r1c0", "r1c1"]]


def test_nest_in_needs_a_level(db: str) -> None:
    """--nest-in without a level in --nest-by is refused on one line, exit 2."""
    result = run(db, "--nest-in", "some-plan")
    assert result.exit_code == 2
    assert "--nest-in" in result.output


def test_cohesion_option(db: str) -> None:
    """--cohesion KEY[=W] weighs keeping a former unit's members together; the explanation says which
    former units each region spans."""
    out = run_json(db, "--min", "population=3000", "--seed", "1", "--cohesion", "parent=2")
    assert out["explanation"]["objective"]["cohesion"] >= 0
    assert all(r["spans"] for r in out["explanation"]["regions"])
    bad = run(db, "--cohesion", "parent=x")
    assert bad.exit_code == 2
    assert "--cohesion" in bad.stderr
