"""People workbooks an HR officer can filter: one sheet per list, a header row with an autofilter, text
kept as text (an id or a name starting with '=' is never a formula)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reorg.errors import ReorgError
from reorg.io.workbook import ooxml_escape
from reorg.report.findings import flat_summary

__all__ = ["write_people_xlsx"]


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding ``value``: text stays text (never a formula), escaped as Excel does."""
    cell = WriteOnlyCell(sheet, value=ooxml_escape(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet(
    book: openpyxl.Workbook, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    sheet: WriteOnlyWorksheet = book.create_sheet(title)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}1"
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, c, bold=True) for c in columns])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])


def write_people_xlsx(
    path: Path,
    summary: Mapping[str, Any],
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> Path:
    """Write a Summary sheet (``summary`` flattened to metric, value) and one sheet per (title, columns,
    rows) to ``path``; an unwritable path is a ReorgError naming it."""
    if path.is_dir():
        raise ReorgError(f"cannot write {path}: it is a folder (name a file ending in .xlsx)")
    book = openpyxl.Workbook(write_only=True)
    rows = []
    for key, value in flat_summary(summary):
        shown = value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        rows.append((key, shown))
    _sheet(book, "Summary", ("metric", "value"), rows)
    for title, columns, body in sheets:
        _sheet(book, title, columns, body)
    try:
        book.save(path)
    except OSError as exc:
        raise ReorgError(f"cannot write {path}: {exc.strerror}") from None
    return path
