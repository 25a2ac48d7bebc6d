"""XLSX export for people: text stays text (never a formula), numbers and dates are typed cells, and
each sheet has a bold frozen header and widths that fit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from reorg.errors import ReorgError
from reorg.io import write
from reorg.model import Apparatus, PersonRow, UnitRow, build_apparatus


@pytest.fixture
def tricky() -> Apparatus:
    """Units named like formulas, a person with dates, a number needing 17 digits."""
    return build_apparatus(
        units=[
            UnitRow("root", "=1+1", "nation", area_km2=0.1 + 0.2),
            UnitRow("u1", '=HYPERLINK("http://evil.example","x")', "province", parent_id="root", quota=12),
            UnitRow("u2", "@SUM(A1)", "province", parent_id="root"),
        ],
        people=[PersonRow("p1", "u1", birth_date=date(1980, 2, 29), service_start=date(2004, 9, 1))],
    )


def test_formula_like_text_is_stored_as_string_cells(tricky: Apparatus, tmp_path: Path) -> None:
    """A name starting with "=" is a string cell holding that text, not a formula."""
    path = tmp_path / "book.xlsx"
    write(tricky, path)
    sheet = openpyxl.load_workbook(path)["units"]
    header = [c.value for c in sheet[1]]
    names = [sheet.cell(row=r, column=header.index("name") + 1) for r in (2, 3, 4)]
    assert [(c.data_type, c.value) for c in names] == [
        ("s", "=1+1"),
        ("s", '=HYPERLINK("http://evil.example","x")'),
        ("s", "@SUM(A1)"),
    ]


def test_numbers_and_dates_are_typed_cells(tricky: Apparatus, tmp_path: Path) -> None:
    """Numbers are numeric cells with every digit; dates are date cells shown as yyyy-mm-dd."""
    path = tmp_path / "book.xlsx"
    write(tricky, path)
    book = openpyxl.load_workbook(path)
    units = book["units"]
    header = [c.value for c in units[1]]
    area = units.cell(row=2, column=header.index("area_km2") + 1)
    quota = units.cell(row=3, column=header.index("quota") + 1)
    assert (area.data_type, area.value) == ("n", 0.30000000000000004)
    assert (quota.data_type, quota.value) == ("n", 12)
    people = book["people"]
    header = [c.value for c in people[1]]
    born = people.cell(row=2, column=header.index("birth_date") + 1)
    assert born.value == datetime(1980, 2, 29)
    assert born.number_format == "yyyy-mm-dd"


def test_sheets_have_bold_frozen_headers_and_fitting_widths(tricky: Apparatus, tmp_path: Path) -> None:
    """Every sheet's header row is bold and frozen; widths fit the header and the values, capped at 60."""
    path = tmp_path / "book.xlsx"
    write(tricky, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["levels", "units", "people"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
    units = book["units"]
    widths = {c.value: units.column_dimensions[c.column_letter].width for c in units[1]}
    assert widths["id"] == 8
    assert widths["name"] == len('=HYPERLINK("http://evil.example","x")') + 2
    assert widths["area_km2"] == len("0.30000000000000004") + 2


def test_text_too_long_for_a_cell_is_refused(tmp_path: Path) -> None:
    """A text over 32,767 characters cannot be an XLSX cell: the writer says so instead of cutting it."""
    app = build_apparatus(units=[UnitRow("r", "x" * 40_000, "nation")])
    with pytest.raises(ReorgError, match="32767"):
        write(app, tmp_path / "long.xlsx")
