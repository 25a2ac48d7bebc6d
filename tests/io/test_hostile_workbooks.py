"""Hostile workbooks are refused early and by name: a far cell, rows beyond the limit, a zip bomb,
formulas without a computed value, spreadsheet errors; the work done is bounded by the file's size."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reorg.errors import InputError
from reorg.io import load
from reorg.io.xlsx_rows import MAX_ROWS

UNITS = [["id", "name", "level"], ["r", "Root", "top"]]
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:XFD1048576"/><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is>'
    '</c><c r="C1" t="inlineStr"><is><t>level</t></is></c></row>'
)


def book(path: Path, rows: list[list[Any]], title: str = "units") -> Path:
    """A one-sheet workbook written by openpyxl (as pandas would write it)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def with_sheet_xml(path: Path, body: str, extra: dict[str, bytes] | None = None, head: str = HEAD) -> Path:
    """A copy of the workbook at ``path`` whose units sheet is ``head`` + ``body``, plus ``extra`` members."""
    out = path.with_name("hostile.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == SHEET:
                data = (head + body + "</sheetData></worksheet>").encode()
            dst.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out


def refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load(path)
    assert "\n" not in str(caught.value)
    return caught.value


def test_the_far_cell_is_refused_at_its_row(tmp_path: Path) -> None:
    """A 5 KB workbook with one value at XFD1048576 (it once hung the import) is refused at that row."""
    path = tmp_path / "far.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "units"
    for row in UNITS:
        ws.append(row)
    ws["XFD1048576"] = "x"
    wb.save(path)
    error = refusal(path)
    assert (error.file, error.row) == ("far.xlsx [units]", 1048576)
    assert "found a value in column XFD" in str(error)


def test_empty_cells_far_out_are_ignored(tmp_path: Path) -> None:
    """Cells without a value beyond the header (formatting, say) are no reason to refuse, nor to pad."""
    path = with_sheet_xml(
        book(tmp_path / "b.xlsx", UNITS),
        '<row r="2"><c r="A2" t="inlineStr"><is><t>r</t></is></c><c r="B2" t="inlineStr"><is><t>Root</t>'
        '</is></c><c r="C2" t="inlineStr"><is><t>top</t></is></c><c r="XFD2" s="1"/></row>',
    )
    assert load(path).units.id.tolist() == ["r"]


def test_a_row_beyond_the_sheet_limit_is_refused_when_met(tmp_path: Path) -> None:
    """A row numbered past 1,048,576 is refused as soon as it is read."""
    path = with_sheet_xml(book(tmp_path / "b.xlsx", UNITS), f'<row r="{MAX_ROWS + 1}"><c><v>1</v></c></row>')
    error = refusal(path)
    assert error.row == MAX_ROWS + 1
    assert "1,048,576 rows" in str(error)


def test_a_row_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    """Hundreds of thousands of identical tiny rows pack a thousand times smaller: refused unopened."""
    path = with_sheet_xml(book(tmp_path / "b.xlsx", UNITS), "<row><c><v>1</v></c></row>" * 200_000)
    assert "unpacks" in str(refusal(path))


def test_a_zip_bomb_member_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    """Any member that unpacks far beyond its packed size is refused, whatever its name."""
    path = with_sheet_xml(book(tmp_path / "b.xlsx", UNITS), "", {"xl/media/pad.bin": bytes(4 * 2**20)})
    error = refusal(path)
    assert "xl/media/pad.bin" in str(error)


def test_a_header_wider_than_the_column_limit_is_refused(tmp_path: Path) -> None:
    """A header of more than 1,024 columns is refused (units may have numeric attributes, not that many)."""
    header = ["id", "name", "level", *(f"a{k}" for k in range(1100))]
    error = refusal(book(tmp_path / "b.xlsx", [header, ["r", "Root", "top"]]))
    assert error.row == 1
    assert "at most 1,024 cells in a header" in str(error)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=4*2", "formula =4*2 but no computed value"), ("=1/0", "formula =1/0 but no computed value")],
)
def test_a_formula_without_a_computed_value_is_refused(tmp_path: Path, cell: str, expected: str) -> None:
    """A formula as openpyxl or pandas write it (no cached value) was read as an empty cell ("no quota")."""
    path = book(tmp_path / "b.xlsx", [["id", "name", "level", "quota"], ["r", "Root", "top", cell]])
    error = refusal(path)
    assert (error.row, error.column) == (2, "quota")
    assert expected in str(error)


def test_a_formula_with_a_computed_value_reads_as_that_value(tmp_path: Path) -> None:
    """A formula saved by a spreadsheet program carries its last value; that value is read."""
    head = HEAD.replace("</row>", '<c r="D1" t="inlineStr"><is><t>quota</t></is></c></row>')
    path = with_sheet_xml(
        book(tmp_path / "b.xlsx", UNITS),
        '<row r="2"><c r="A2" t="inlineStr"><is><t>r</t></is></c><c r="B2" t="str"><f>"Ro"&amp;"ot"</f>'
        '<v>Root</v></c><c r="C2" t="inlineStr"><is><t>top</t></is></c>'
        '<c r="D2"><f>4*2</f><v>8</v></c></row>',
        head=head,
    )
    app = load(path)
    assert (app.units.name[0], app.units.quota[0]) == ("Root", 8.0)


@pytest.mark.parametrize("value", ["#DIV/0!", "#REF!", "#N/A"])
def test_a_spreadsheet_error_value_is_refused(tmp_path: Path, value: str) -> None:
    """An error cell is not text: ``#DIV/0!`` is refused naming the cell instead of becoming a name."""
    path = with_sheet_xml(
        book(tmp_path / "b.xlsx", UNITS),
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>r</t></is></c><c r="B2" t="e"><f>1/0</f><v>{value}</v>'
        '</c><c r="C2" t="inlineStr"><is><t>top</t></is></c></row>',
    )
    error = refusal(path)
    assert (error.row, error.column) == (2, "name")
    assert value in str(error)


def test_a_damaged_cell_is_refused_naming_it(tmp_path: Path) -> None:
    """A number cell that holds no number is a refused cell, not a traceback."""
    path = with_sheet_xml(
        book(tmp_path / "b.xlsx", UNITS),
        '<row r="2"><c r="A2"><v>1.2.3</v></c><c r="B2" t="s"><v>99</v></c></row>',
    )
    error = refusal(path)
    assert (error.row, error.column) == (2, "id")
