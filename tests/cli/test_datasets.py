"""``reorg dataset build``: builds vietnam-2024, stores it with enacted-2025, writes a bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_kit import load_dataset, load_plan
from typer.testing import CliRunner

from reorg.cli import app
from reorg.store import Database

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database URL in the test's folder."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_build_stores_dataset_and_plan(db: str) -> None:
    """The dataset and its plan are stored; the JSON report names both and the synthetic parts."""
    result = runner.invoke(
        app, ["--db", db, "dataset", "build", "vietnam-2024", "--scale", "0.002", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stored"]["name"] == "vietnam-2024"
    assert report["plan"]["name"] == "enacted-2025"
    assert report["synthetic"] == ["people", "results"]
    with Database(db) as store:
        assert load_dataset(store, "vietnam-2024").units_per_level()["commune"] == 10_035
        assert load_plan(store, "enacted-2025").baseline == "vietnam-2024"
    shown = runner.invoke(app, ["--db", db, "show", "vietnam-2024", "--json"])
    assert shown.exit_code == 0, shown.output
    attached = {x["level"] for x in json.loads(shown.stdout)["units_per_level"] if x["attached"]}
    assert {"party_commune", "front_commune", "party_central", "na_body"} <= attached
    assert not attached & {"commune", "department", "district_office", "ministry"}


def test_diff_shows_the_official_counts(db: str) -> None:
    """After a build, ``reorg diff vietnam-2024 enacted-2025`` gives the official before/after counts."""
    built = runner.invoke(app, ["--db", db, "dataset", "build", "vietnam-2024", "--scale", "0.002", "--json"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(app, ["--db", db, "diff", "vietnam-2024", "enacted-2025", "--json"])
    assert result.exit_code == 0, result.output
    levels = json.loads(result.stdout)["levels"]
    counts = {k: (v["before"], v["after"]) for k, v in levels.items()}
    assert counts["province"] == (63, 34)
    assert counts["district"] == (696, 0)
    assert counts["commune"] == (10_035, 3_321)
    assert counts["ministry"] == (30, 22)


def test_build_writes_a_labelled_bundle(tmp_path: Path) -> None:
    """--out writes a bundle whose dataset.json says which parts are synthetic; --no-store stores nothing."""
    out = tmp_path / "bundle"
    result = runner.invoke(
        app,
        [
            "--db",
            f"sqlite:///{tmp_path / 'x.db'}",
            "dataset",
            "build",
            "vietnam-2024",
            "--scale",
            "0.002",
            "--out",
            str(out),
            "--no-store",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.stdout
    info = json.loads((out / "dataset.json").read_text(encoding="utf-8"))
    assert info["synthetic"] == ["people", "results"]
    assert (out / "people.csv").exists()
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dataset", "build", "atlantis"], "no built-in dataset"),
        (["dataset", "build", "vietnam-2024", "--scale", "0"], "--scale"),
        (["dataset", "build", "vietnam-2024", "--scale", "2"], "--scale"),
    ],
)
def test_bad_requests_are_one_line_errors(db: str, args: list[str], message: str) -> None:
    """An unknown dataset or a scale outside (0, 1] exits 2 with one line naming the problem."""
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
