"""Reading a workbook typed by a person: cells become the same text a CSV would hold, and bad
workbooks are refused naming the sheet, the sheet row and the column."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reorg.errors import InputError
from reorg.io import load
from reorg.io.workbook import cell_text, ooxml_escape, ooxml_unescape


def make_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with these sheets and rows, written the way a spreadsheet program would."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


UNITS = [["id", "name", "level", "parent_id", "population"], [1, "Nation", "nation", None, 1000]]


def test_typed_cells_read_as_text(tmp_path: Path) -> None:
    """Numbers typed into id columns, date cells, booleans and blank rows read as a CSV would."""
    path = make_book(
        tmp_path / "typed.xlsx",
        {
            "levels": [["level", "rank", "territorial"], ["nation", 0, True], ["commune", 1.0, False]],
            "units": [*UNITS, [], [2, "Commune", "commune", 1, 250.0]],
            "people": [
                ["id", "unit_id", "birth_date", "service_start"],
                ["p1", 2, datetime(1985, 6, 1), "2010-01-04"],
            ],
        },
    )
    app = load(path)
    assert app.units.id.tolist() == ["1", "2"]
    assert app.units.parent.tolist() == [-1, 0]
    assert app.levels.territorial.tolist() == [True, False]
    assert app.people.birth_date.tolist() == [date(1985, 6, 1)]
    assert app.info.name == "typed"


def test_errors_name_the_sheet_and_its_row(tmp_path: Path) -> None:
    """Blank rows are skipped, but the row named is the row the person sees in the sheet."""
    path = make_book(tmp_path / "b.xlsx", {"units": [*UNITS, [], [], [2, "C", "commune", 9, None]]})
    with pytest.raises(InputError) as caught:
        load(path)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("b.xlsx [units]", 5, "parent_id")


def test_unknown_sheet_is_refused(tmp_path: Path) -> None:
    """A sheet the bundle format does not know (a typo, a notes sheet) is refused by name."""
    path = make_book(tmp_path / "b.xlsx", {"units": UNITS, "Tasks": [["id", "name"], ["t", "T"]]})
    with pytest.raises(InputError, match="sheets named") as caught:
        load(path)
    assert (caught.value.file, caught.value.column) == ("b.xlsx", "Tasks")


@pytest.mark.parametrize(
    "content",
    [b"id,name,level\nvn,Nation,nation\n", b"", b"PK\x03\x04 not really a zip"],
    ids=["csv renamed", "empty", "broken zip"],
)
def test_file_that_is_not_a_workbook_is_refused(tmp_path: Path, content: bytes) -> None:
    """A CSV renamed to .xlsx, an empty file or a broken zip is refused as not a workbook."""
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match="not one") as caught:
        load(path)
    assert caught.value.file == "fake.xlsx"


def test_truncated_workbook_is_refused(tmp_path: Path) -> None:
    """A workbook cut short (an interrupted download) is refused, not half read."""
    whole = make_book(tmp_path / "whole.xlsx", {"units": UNITS})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputError, match="not one"):
        load(cut)


def test_damaged_sheet_is_refused(tmp_path: Path) -> None:
    """A zip whose sheet XML is broken is refused as not a workbook."""
    whole = make_book(tmp_path / "whole.xlsx", {"units": UNITS})
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(damaged, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(
                item, b"<worksheet><sheetData><row>" if "worksheets/sheet" in item.filename else data
            )
    with pytest.raises(InputError, match="not one"):
        load(damaged)


def test_zip_without_a_workbook_is_refused(tmp_path: Path) -> None:
    """A valid zip that holds no workbook (e.g. a renamed .docx or an archive) is refused."""
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hello")
    with pytest.raises(InputError, match="not one"):
        load(path)


def test_cells_beyond_the_header_are_refused(tmp_path: Path) -> None:
    """A value in a column with no header is a ragged row."""
    path = make_book(tmp_path / "b.xlsx", {"units": [*UNITS, [2, "C", "commune", 1, 5, "stray"]]})
    with pytest.raises(InputError, match="at most 5 cells") as caught:
        load(path)
    assert caught.value.row == 3


def test_header_only_sheet_is_refused(tmp_path: Path) -> None:
    """A sheet that is present must hold data rows, as a CSV file must."""
    path = make_book(tmp_path / "b.xlsx", {"units": UNITS, "tasks": [["id", "name"]]})
    with pytest.raises(InputError, match="leave the file out") as caught:
        load(path)
    assert caught.value.file == "b.xlsx [tasks]"


def test_dataset_sheet_gives_the_info(tmp_path: Path) -> None:
    """The dataset sheet names the dataset and lists its synthetic parts, comma-separated."""
    info = [["name", "description", "synthetic"], ["demo", "A demo", "people, results"]]
    app = load(make_book(tmp_path / "b.xlsx", {"units": UNITS, "dataset": info}))
    assert (app.info.name, app.info.description, app.info.synthetic) == (
        "demo",
        "A demo",
        ("people", "results"),
    )


def test_cell_values_become_csv_text() -> None:
    """Integral floats lose ".0", midnight datetimes are dates, booleans are true/false."""
    assert [cell_text(v) for v in (None, 3.0, 2.5, 7, True, datetime(2020, 1, 2), date(2020, 1, 3))] == [
        "",
        "3",
        "2.5",
        "7",
        "true",
        "2020-01-02",
        "2020-01-03",
    ]


@pytest.mark.parametrize("text", ["a\rb", "_x000D_", "_x005F_x0041_", "x\x01y", "plain", "_x12_", "_xZZZZ_"])
def test_ooxml_escaping_round_trips(text: str) -> None:
    """What the writer escapes for a cell the reader unescapes to the same text."""
    escaped = ooxml_escape(text)
    assert "\r" not in escaped
    assert ooxml_unescape(escaped) == text
