"""The dataset commands: import, datasets, show, export — JSON, tables, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cli_kit import assert_refused, run, run_json
from store_kit import audit, create_plan, list_datasets, load_dataset
from typer.testing import CliRunner

from reorg import io
from reorg.cli import app
from reorg.datasets.synthetic import generate
from reorg.model import Apparatus
from reorg.plan.operations import Merge, NewUnit, Plan
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database URL in the test's folder."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def synthetic_bundle(tmp_path: Path) -> Path:
    """A small synthetic bundle written as a CSV folder named ``syn``."""
    path = tmp_path / "syn"
    io.write(generate(units=80, tasks=12, duties=300, people=400, results_per_person=1, seed=3), path)
    return path


@pytest.fixture
def tiny_bundle(tmp_path: Path, tiny: Apparatus) -> Path:
    """The tiny apparatus (observed, nothing synthetic) as a CSV folder named ``tiny``."""
    path = tmp_path / "tiny"
    io.write(tiny, path)
    return path


def test_import_stores_what_the_bundle_holds(db: str, synthetic_bundle: Path) -> None:
    """import stores the bundle as read by reorg.io, under the folder's name, version 1."""
    record = run_json(db, "import", str(synthetic_bundle))
    assert (record["name"], record["version"]) == ("syn", 1)
    read = io.load(synthetic_bundle)
    assert record["counts"] == {**read.counts(), "lineage": 0}
    with Database(db) as store:
        stored = load_dataset(store, "syn")
    assert stored.units.id.tolist() == read.units.id.tolist()
    np.testing.assert_array_equal(stored.people.birth_date, read.people.birth_date)
    np.testing.assert_array_equal(stored.duties.task, read.duties.task)


def test_import_again_adds_a_version(db: str, synthetic_bundle: Path) -> None:
    """Importing under the same --name again gives version 2; datasets lists both, newest first."""
    run_json(db, "import", str(synthetic_bundle), "--name", "data")
    assert run_json(db, "import", str(synthetic_bundle), "--name", "data")["version"] == 2
    listed = run_json(db, "datasets")
    assert [(d["name"], d["version"]) for d in listed] == [("data", 2), ("data", 1)]


def test_import_bad_name(db: str, synthetic_bundle: Path) -> None:
    """A bad --name is one line and exit 2; nothing is stored."""
    assert_refused(run(db, "import", str(synthetic_bundle), "--name", "two words"), "--name")
    assert run_json(db, "datasets") == []


def test_import_bad_bundle(db: str, tiny_bundle: Path) -> None:
    """A bundle reorg.io refuses is one line naming the file and exit 2; nothing is stored."""
    units = tiny_bundle / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    units.write_text("\n".join([lines[0].replace("name", "label"), *lines[1:]]) + "\n", encoding="utf-8")
    assert_refused(run(db, "import", str(tiny_bundle)), "units.csv")
    assert run_json(db, "datasets") == []


def test_datasets_table(db: str, synthetic_bundle: Path) -> None:
    """datasets prints a table naming each dataset, or says there are none."""
    assert "No datasets yet" in run(db, "datasets").stdout
    run(db, "import", str(synthetic_bundle))
    out = run(db, "datasets").stdout
    assert "syn" in out
    assert "80" in out


def test_show_dataset(db: str, synthetic_bundle: Path) -> None:
    """show gives rows per table, units per level top first, and labels synthetic data."""
    run(db, "import", str(synthetic_bundle))
    summary = run_json(db, "show", "syn")
    per_level = {x["level"]: x["units"] for x in summary["units_per_level"]}
    assert sum(per_level.values()) == summary["counts"]["units"] == 80
    nation = {"level": "nation", "rank": 0, "territorial": True, "units": 1, "attached": False}
    assert summary["units_per_level"][0] == nation
    assert "people" in summary["synthetic"]
    text = run(db, "show", "syn").stdout
    assert "SYNTHETIC" in text
    assert "commune" in text


def test_show_observed_dataset_has_no_synthetic_label(db: str, tiny_bundle: Path) -> None:
    """A dataset with no synthetic part carries no SYNTHETIC label."""
    run(db, "import", str(tiny_bundle))
    assert "SYNTHETIC" not in run(db, "show", "tiny").stdout
    assert run_json(db, "show", "tiny")["synthetic"] == []


def test_show_unit(db: str, tiny_bundle: Path, tiny: Apparatus) -> None:
    """show DATASET UNIT gives the unit's fields, parent chain, children per level, duties, headcount."""
    run(db, "import", str(tiny_bundle))
    unit = run_json(db, "show", "tiny", "p1")
    assert unit["unit"]["name"] == "Province 1"
    assert unit["unit"]["area_km2"] == 30
    assert unit["unit"]["lat"] is None
    assert [p["id"] for p in unit["parents"]] == ["vn"]
    assert unit["children"] == {"department": 1, "commune": 2}
    assert unit["duties"] == []
    assert (unit["headcount"], unit["quota"]) == (0, None)
    dept = run_json(db, "show", "tiny", "d1")
    assert dept["duties"] == [{"task": "land", "name": "Land administration", "role": "lead", "scope": "p1"}]
    assert [p["id"] for p in dept["parents"]] == ["p1", "vn"]
    text = run(db, "show", "tiny", "c1").stdout
    assert "support" in text
    assert "headcount 0" in text


def test_show_unknowns(db: str, tiny_bundle: Path) -> None:
    """An unknown dataset or unit is one line and exit 2, suggesting names that exist."""
    run(db, "import", str(tiny_bundle))
    assert_refused(run(db, "show", "tinny"), "no dataset or plan 'tinny' (known: tiny)")
    assert_refused(run(db, "show", "tiny", "p9"), "no unit 'p9' (e.g. p1, p2)")
    assert_refused(run(db, "show", "tiny", "--version", "4"), "no version 4")


@pytest.mark.parametrize("target", ["copy", "copy.xlsx"])
def test_export_reimports_equal(db: str, synthetic_bundle: Path, tmp_path: Path, target: str) -> None:
    """export writes a folder or workbook that imports back to the same data."""
    run(db, "import", str(synthetic_bundle))
    out = run_json(db, "export", "syn", str(tmp_path / target))
    assert out["path"] == str(tmp_path / target)
    again = run_json(db, "import", str(tmp_path / target), "--name", "again")
    assert again["counts"] == run_json(db, "show", "syn")["counts"]
    with Database(db) as store:
        first, second = load_dataset(store, "syn"), load_dataset(store, "again")
    assert second.units.id.tolist() == first.units.id.tolist()
    np.testing.assert_array_equal(second.people.salary_coefficient, first.people.salary_coefficient)
    assert second.info == first.info


def test_db_from_environment(tmp_path: Path, synthetic_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --db the commands use $REORG_DB."""
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("REORG_DB", url)
    assert CliRunner().invoke(app, ["import", str(synthetic_bundle)]).exit_code == 0
    with Database(url) as store:
        assert [r.name for r in list_datasets(store)] == ["syn"]


def test_show_and_export_a_plan(db: str, tiny_bundle: Path, tmp_path: Path) -> None:
    """show and export take a stored plan's name: its baseline with the plan applied."""
    run(db, "import", str(tiny_bundle))
    with Database(db) as store:
        create_plan(store, Plan("tiny", (Merge(("c1", "c2"), NewUnit("c12", "C1-2")),)), name="merge")
    summary = run_json(db, "show", "merge")
    assert (summary["baseline"], summary["baseline_version"], summary["operations"]) == ("tiny", 1, 1)
    assert summary["counts"]["units"] == 7
    assert summary["counts"]["lineage"] == 2
    assert run_json(db, "show", "merge", "c12")["children"] == {}
    run_json(db, "export", "merge", str(tmp_path / "after"))
    assert "c12" in io.load(tmp_path / "after").units.index


def test_import_is_audited(db: str, synthetic_bundle: Path) -> None:
    """An import from the command line is in the audit log under a cli actor."""
    run_json(db, "import", str(synthetic_bundle))
    with Database(db) as store:
        (entry,) = audit(store)
    assert (entry.action, entry.target) == ("import", "syn@1")
    assert entry.actor.startswith("cli")
