"""``reorg people place DATASET PLAN``: totals, lists, JSON, workbook, --save, personal data on request."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from cli_kit import assert_refused, run, run_json

from reorg.plan import Plan
from reorg.services import Settings, datasets, open_database, plans

EXAMPLE = Path(str(files("reorg.datasets") / "example"))
MERGE = {"units": ["d-north-fin", "d-north-agri"], "into": {"id": "d-north", "name": "Northvale Department"}}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Examplia with plan ``depts``: the two Northvale departments (3 people each) merged."""
    url = f"sqlite:///{tmp_path_factory.mktemp('place') / 'p.db'}"
    with open_database(Settings(db_url=url)) as store, store.unit_of_work(actor="test") as uow:
        datasets.import_bundle(uow, path=EXAMPLE, name="examplia")
        plan = Plan.from_dict({"baseline": "examplia", "operations": [{"op": "merge", **MERGE}]})
        plans.apply_plan(uow, plan=plan, name="depts")
    return url


def test_place_prints_totals_and_lists(db: str) -> None:
    """The table shows candidates, placed and surplus; no salary data without --personal."""
    result = run(db, "people", "place", "examplia", "depts", "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert "Placement of depts on examplia" in result.stdout
    assert "surplus" in result.stdout
    assert "salary_coefficient" not in result.stdout


def test_place_json_quotas_and_personal(db: str, tmp_path: Path) -> None:
    """--quotas sets the posts; the surplus has a regime; --personal adds amounts and birth dates."""
    quotas = tmp_path / "q.csv"
    quotas.write_text("unit_id,position,quota\nd-north,director,1\nd-north,officer,2\n", encoding="utf-8")
    data = run_json(db, "people", "place", "examplia", "depts", "--quotas", str(quotas), "--personal")
    t = data["totals"]
    assert (t["candidates"], t["slots"], t["placed"], t["surplus"]) == (6, 3, 3, 3)
    assert [u["filled_of_posts"] for u in data["units"]] == [{"director": [1, 1], "officer": [2, 2]}]
    assert all("amount" in r and "birth_date" in r for r in data["surplus"])
    assert t["cost"] == sum(r["amount"] for r in data["surplus"])
    released = [op for op in data["operations"] if op["op"] == "release_people"]
    assert sorted(p for op in released for p in op["people"]) == sorted(r["id"] for r in data["surplus"])
    plain = run_json(db, "people", "place", "examplia", "depts", "--quotas", str(quotas))
    assert not any("amount" in r or "birth_date" in r for r in plain["surplus"])


def test_place_saves_the_extended_plan_and_writes_a_workbook(db: str, tmp_path: Path) -> None:
    """--save stores the plan with the placement's operations (it applies); --xlsx has a sheet per list."""
    out = tmp_path / "placement.xlsx"
    result = run(db, "people", "place", "examplia", "depts", "--save", "depts-placed", "--xlsx", str(out))
    assert result.exit_code == 0, result.output
    assert "stored plan depts-placed" in result.stdout
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Summary", "Placed", "Surplus", "By unit"]
    diff = run_json(db, "diff", "examplia", "depts-placed")
    assert diff["people_events"]["moved"] == {"merge": 6}
    assert "released" not in diff["people_events"]  # derived posts: 1 director, 1 deputy, 22 officers


def test_place_refusals(db: str, tmp_path: Path) -> None:
    """A dataset given as the plan, a plan on another dataset and a bad quota file are one-line errors."""
    assert_refused(run(db, "people", "place", "examplia", "examplia"), "a stored plan")
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_id,position,quota\nd-north,director,two\n", encoding="utf-8")
    assert_refused(run(db, "people", "place", "examplia", "depts", "--quotas", str(bad)), "row 2")
    assert_refused(run(db, "people", "place", "other", "depts"), "a plan on other")
