"""``reorg people evaluate|benefits``: tables, JSON, workbooks, personal data on request, one-line errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from store_kit import create_dataset
from typer.testing import CliRunner, Result

from reorg.cli import app
from reorg.model import DatasetInfo, LevelRow, PersonRow, ResultRow, UnitRow, build_apparatus
from reorg.store import Database

COMPANY = Path(__file__).parents[2] / "src/reorg/people/rulesets/company-severance.toml"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database holding ``staff``: org o with units a and b; a1 (the worked example of Decree 178) and
    a2 in a, b1 (named like a formula) and b2 (no results) in b. People and results are synthetic."""
    url = f"sqlite:///{tmp_path / 'people.db'}"
    people = [
        PersonRow("a1", "a", "head", "A1", dt.date(1985, 3, 1), "nam", dt.date(2010, 6, 1), 3.66),
        PersonRow("a2", "a", "", "A1", dt.date(1964, 1, 10), "nam", dt.date(1990, 1, 1), 3.66),
        PersonRow("=b1", "b", "", "A1", dt.date(1980, 1, 1), "nữ", dt.date(2005, 1, 1), 2.34),
        PersonRow("b2", "b", "", "A1", dt.date(1990, 1, 1), "nữ", dt.date(2015, 1, 1), 2.34),
    ]
    results = [
        ResultRow("a1", "2024", "tasks", 10, 10),
        ResultRow("a2", "2024", "tasks", 10, 4),
        ResultRow("=b1", "2024", "tasks", 10, 8),
    ]
    staff = build_apparatus(
        levels=[LevelRow("org", 0), LevelRow("unit", 1)],
        units=[
            UnitRow("o", "Org", "org"),
            UnitRow("a", "A", "unit", parent_id="o"),
            UnitRow("b", "B", "unit", parent_id="o"),
        ],
        people=people,
        results=results,
    ).with_info(DatasetInfo(name="staff", synthetic=("people", "results")))
    with Database(url) as store:
        create_dataset(store, staff, name="staff")
    return url


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, "people", *args])


def test_evaluate_json_lists_everyone_with_the_unrated_too(db: str) -> None:
    """--json: counts, every person (b2 without results listed as unrated), the lists."""
    result = run(db, "evaluate", "staff", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["synthetic"] == ["people", "results"]
    assert [p["id"] for p in data["people"]] == ["a1", "a2", "=b1", "b2"]
    assert {p["id"]: p["rating"] for p in data["people"]} == {
        "a1": "good",  # 100 points, but one person in a unit: the 20 % cap leaves no excellent
        "a2": "not_completed",
        "=b1": "good",
        "b2": "unrated",
    }
    assert [p["id"] for p in data["unrated"]] == ["b2"]
    assert data["counts"]["capped"] == 1


def test_evaluate_table_is_labelled_synthetic_and_shows_the_vietnamese_labels(db: str) -> None:
    """The table carries the SYNTHETIC label and the labels of Decree 90/2020."""
    result = run(db, "evaluate", "staff")
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.stdout
    assert "Hoàn thành xuất sắc nhiệm vụ" in result.stdout
    assert "Unrated (1)" in result.stdout


def test_evaluate_workbook_has_one_sheet_per_list_and_text_stays_text(db: str, tmp_path: Path) -> None:
    """--xlsx: Summary, Ratings, Unrated, Screening, Talent pool, By unit; '=b1' is a string cell."""
    path = tmp_path / "ev.xlsx"
    result = run(db, "evaluate", "staff", "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Ratings", "Unrated", "Screening", "Talent pool", "By unit"]
    cells = [c for row in book["Ratings"].iter_rows() for c in row if c.value == "=b1"]
    assert cells
    assert cells[0].data_type == "s"


def test_evaluate_config_and_units(db: str, tmp_path: Path) -> None:
    """--config changes the rules (cap 100 % lets a1 be excellent); --units limits the people."""
    config = tmp_path / "e.toml"
    config.write_text("[evaluation]\nexcellent_cap = 1.0\n")
    data = json.loads(run(db, "evaluate", "staff", "--json", "--config", str(config), "--units", "a").stdout)
    assert {p["id"]: p["rating"] for p in data["people"]} == {"a1": "excellent", "a2": "not_completed"}


def test_benefits_default_shows_regimes_and_aggregates_only(db: str) -> None:
    """Without --personal, people show id, unit and regime; the worked example's amount is in the total."""
    result = run(
        db,
        "benefits",
        "staff",
        "--units",
        "a",
        "--as-of",
        "2025-06-01",
        "--decision-date",
        "2025-01-15",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["people"][0] == {"id": "a1", "unit": "a", "regime": "resignation", "missing": []}
    assert "amount" not in data["people"][1]
    assert data["total"]["people"] == 2
    assert data["total"]["by_regime"] == {"resignation": 1, "none": 1}  # a2 is at retirement age
    assert data["total"]["cost"] == 786_854_250


def test_benefits_personal_shows_amounts_and_breakdowns(db: str, tmp_path: Path) -> None:
    """--personal adds each amount and its terms; a people file picks people by id."""
    ids = tmp_path / "ids.txt"
    ids.write_text("# leavers\na1\n")
    args = ["benefits", "staff", "--people-file", str(ids), "--as-of", "2025-06-01", "--personal", "--json"]
    data = json.loads(run(db, *args).stdout)
    (person,) = data["people"]
    assert person["amount"] == 786_854_250
    assert person["breakdown"] == {
        "severance": 513_864_000,
        "si_allowance": 240_873_750,
        "job_search": 32_116_500,
    }


def test_benefits_table_and_workbook(db: str, tmp_path: Path) -> None:
    """The table shows cost, saving and payback; the workbook has People and By unit sheets."""
    path = tmp_path / "b.xlsx"
    result = run(db, "benefits", "staff", "--units", "o", "--as-of", "2025-06-01", "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    assert "payback (years)" in result.stdout
    assert "SYNTHETIC" in result.stdout
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "People", "By unit"]
    header = [c.value for c in next(book["People"].iter_rows())]
    assert header == ["id", "unit", "regime", "missing"]


def test_benefits_under_the_illustrative_company_ruleset(db: str) -> None:
    """--ruleset takes another policy; its illustrative label is printed."""
    result = run(db, "benefits", "staff", "--units", "b", "--ruleset", str(COMPANY), "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert "ILLUSTRATIVE" in result.stdout
    assert "EUR" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["benefits", "staff"], "the people who leave"),
        (
            ["benefits", "staff", "--units", "zz"],
            "--units, row 1: the id of a unit of the dataset (got 'zz')",
        ),
        (["benefits", "staff", "--units", "a", "--as-of", "June"], "--as-of: a date as YYYY-MM-DD"),
        (["evaluate", "nothing"], "nothing"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db: str, args: list[str], message: str) -> None:
    """Unknown units, bad dates, nobody named, an unknown dataset: one line on stderr, exit 2."""
    result = run(db, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_person_in_the_people_file_names_file_and_line(db: str, tmp_path: Path) -> None:
    """A people file with an unknown id is refused with the file and the line."""
    ids = tmp_path / "ids.txt"
    ids.write_text("a1\nghost\n")
    result = run(db, "benefits", "staff", "--people-file", str(ids))
    assert result.exit_code == 2
    assert f"{ids}, row 2: the id of a person of the dataset (got 'ghost')" in result.stderr


def test_benefits_personal_workbook_has_amounts_and_terms(db: str, tmp_path: Path) -> None:
    """With --personal the People sheet adds amount, saving and one column per regime term."""
    path = tmp_path / "p.xlsx"
    args = ["benefits", "staff", "--units", "a", "--as-of", "2025-06-01", "--personal", "--xlsx", str(path)]
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(path)["People"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert {"amount", "annual_saving", "resignation.severance", "early_retirement.pension_lump_sum"} <= set(
        header
    )
    assert first["id"] == "a1"
    assert first["amount"] == 786_854_250
    assert first["resignation.severance"] == 513_864_000
    assert first["early_retirement.pension_lump_sum"] is None
