"""``reorg diagnose``: the table, JSON, the workbook, a TOML config, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from store_kit import create_dataset
from typer.testing import CliRunner, Result

from reorg.cli import app
from reorg.datasets.planted import planted
from reorg.model import DutyRow, LevelRow, TaskRow, UnitRow, build_apparatus
from reorg.store import Database


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding the planted apparatus of seed 0 as ``planted``, and ``formula`` whose idle
    unit is named like a spreadsheet formula."""
    url = f"sqlite:///{tmp_path / 'diag.db'}"
    formula = build_apparatus(
        levels=[LevelRow("org", 0), LevelRow("unit", 1)],
        units=[
            UnitRow("o", "Org", "org"),
            UnitRow("a", "A", "unit", parent_id="o"),
            UnitRow("b", "=1+1", "unit", parent_id="o"),
        ],
        tasks=[TaskRow("t", "Task")],
        duties=[DutyRow("a", "t")],
    )
    with Database(url) as store:
        create_dataset(store, planted(0)[0], name="planted")
        create_dataset(store, formula, name="formula")
    return url


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, "diagnose", *args])


def test_json_has_the_summary_and_the_ranked_findings(db: str) -> None:
    """--json prints summary and findings with the documented fields and kinds."""
    result = run(db, "planted", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["units"] > 100
    kinds = {f["kind"] for f in data["findings"]}
    assert {"multiple_leads", "no_lead", "overlap", "idle_unit", "level_mismatch"} <= kinds
    assert data["findings"][0]["severity"] == "high"


def test_top_limits_the_findings_printed(db: str) -> None:
    """--top 3 prints three findings."""
    data = json.loads(run(db, "planted", "--json", "--top", "3").stdout)
    assert len(data["findings"]) == 3


def test_the_table_shows_figures_and_explanations(db: str) -> None:
    """Without --json: the summary figures and each finding's explanation."""
    result = run(db, "planted")
    assert result.exit_code == 0, result.output
    assert "duplication index" in result.stdout
    assert "Ministry 0" in result.stdout


def test_a_toml_config_changes_the_thresholds(db: str, tmp_path: Path) -> None:
    """max_findings_per_kind = 1 in a config file leaves one finding per kind."""
    config = tmp_path / "d.toml"
    config.write_text("[diagnose]\nmax_findings_per_kind = 1\n")
    data = json.loads(run(db, "planted", "--json", "--config", str(config)).stdout)
    kinds = [f["kind"] for f in data["findings"]]
    assert len(kinds) == len(set(kinds))


def test_the_workbook_has_a_summary_and_findings_and_text_stays_text(db: str, tmp_path: Path) -> None:
    """--xlsx writes Summary and Findings sheets; an explanation starting with '=' is a string cell."""
    path = tmp_path / "report.xlsx"
    result = run(db, "formula", "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Findings"]
    rows = list(book["Findings"].iter_rows(values_only=False))
    assert [c.value for c in rows[0]][:3] == ["rank", "severity", "kind"]
    cell = next(r[6] for r in rows[1:] if r[2].value == "idle_unit")
    assert cell.value.startswith("=1+1")
    assert cell.data_type == "s"
    metrics = {r[0].value: r[1].value for r in book["Summary"].iter_rows(min_row=2)}
    assert metrics["units"] == 3
    assert metrics["units_per_level.unit"] == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["nowhere"], "nowhere"),
        (["planted", "--config", "missing.toml"], "missing.toml"),
    ],
)
def test_errors_are_one_line_and_exit_2(db: str, args: list[str], says: str) -> None:
    """An unknown dataset or an unreadable config is one line on stderr and exit status 2."""
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert says in lines[0]
