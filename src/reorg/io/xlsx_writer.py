"""Writing a bundle as an XLSX workbook for people: one sheet per file, bold frozen header, widths
that fit the content, numbers as numbers, dates as dates, and text stored verbatim as text.

Text is always a string cell, even when it starts with ``=`` (a name like ``=1+1`` is never a formula).
Numbers are written in their shortest exact form (openpyxl alone would round to 16 digits).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reorg.errors import ReorgError
from reorg.io.layout import Column, layout
from reorg.io.workbook import ooxml_escape
from reorg.model import Apparatus, DatasetInfo

__all__ = ["write_xlsx"]

#: rows per sheet an .xlsx file can hold (the header takes one)
MAX_ROWS = 1_048_576
#: characters per cell an .xlsx file can hold
MAX_TEXT = 32_767
#: the first date an XLSX date cell holds faithfully; earlier dates are written as YYYY-MM-DD text
_FIRST_DATE = dt.date(1900, 3, 1)
_SAMPLE = 500
_BOLD = Font(bold=True)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _cells(ws: Any, column: Column) -> list[Any]:
    """The cells of ``column`` (None for an empty cell)."""
    out: list[Any] = []
    if column.kind == "text":
        for v in column.values.tolist():
            if not v:
                out.append(None)
                continue
            cell = WriteOnlyCell(ws, value=ooxml_escape(v))
            cell.data_type = "s"  # verbatim text, never a formula
            out.append(cell)
    elif column.kind == "number":
        for v in column.values.astype(np.float64).tolist():
            if v != v:
                out.append(None)
                continue
            cell = WriteOnlyCell(ws, value=_number(v))
            cell.data_type = "n"  # the exact decimal text goes into the file as a number
            out.append(cell)
    elif column.kind == "date":
        for d in column.values.astype("datetime64[D]").tolist():
            if d is None:
                out.append(None)
                continue
            if d < _FIRST_DATE:  # Excel has no dates before 1900 (and 1900-02-29 that never was)
                cell = WriteOnlyCell(ws, value=d.isoformat())
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(ws, value=d)
                cell.number_format = "yyyy-mm-dd"
            out.append(cell)
    else:
        out = [bool(v) for v in column.values.tolist()]
    return out


def _width(column: Column) -> float:
    """A column width (in characters) fitting the header and the first few hundred values."""
    sample = column.values[:_SAMPLE].tolist()
    if column.kind == "text":
        longest = max((max(len(line) for line in str(v).split("\n")) for v in sample), default=0)
    elif column.kind == "number":
        longest = max((len(_number(v)) for v in sample if v == v), default=0)
    elif column.kind == "date":
        longest = 10
    else:
        longest = 5
    return float(min(max(len(column.name) + 2, longest + 2, 8), 60))


def _check_fits(title: str, columns: list[Column]) -> None:
    """Refuse, before anything is written, a sheet or a text too large for the XLSX format."""
    rows = len(columns[0].values)
    if rows + 1 > MAX_ROWS:
        raise ReorgError(
            f"{title}: {rows} rows do not fit an XLSX sheet (at most {MAX_ROWS - 1}); "
            "write a CSV bundle instead"
        )
    for column in columns:
        if column.kind == "text":
            longest = max(map(len, column.values.tolist()), default=0)
            if longest > MAX_TEXT:
                raise ReorgError(
                    f"{title}, column {column.name!r}: a text of {longest} characters does not fit an "
                    f"XLSX cell (at most {MAX_TEXT}); write a CSV bundle instead"
                )


def _sheet(book: Any, title: str, columns: list[Column]) -> None:
    ws = book.create_sheet(title)
    ws.freeze_panes = "A2"
    for k, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = _width(column)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.name)
        cell.font = _BOLD
        header.append(cell)
    ws.append(header)
    for row in zip(*(_cells(ws, c) for c in columns), strict=True):
        ws.append(row)


def _dataset(info: DatasetInfo) -> list[Column]:
    """The one-row ``dataset`` sheet (synthetic parts comma-separated); none when all is empty."""
    values = [
        ("name", info.name),
        ("description", info.description),
        ("source", info.source),
        ("synthetic", ", ".join(info.synthetic)),
    ]
    if not any(value for _, value in values):
        return []
    return [Column(name, "text", np.array([value], dtype=object)) for name, value in values]


def write_xlsx(app: Apparatus, path: Path) -> None:
    """``app`` as an .xlsx workbook at ``path`` (sheets named as the CSV files, plus ``dataset``)."""
    tables = layout(app)
    dataset = _dataset(app.info)
    if dataset:
        tables["dataset"] = dataset
    for title, columns in tables.items():
        _check_fits(title, columns)
    book = openpyxl.Workbook(write_only=True)
    for title, columns in tables.items():
        _sheet(book, title, columns)
    book.save(path)
