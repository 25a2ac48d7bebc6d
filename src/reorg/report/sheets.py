"""A workbook of plain tables, one sheet per view, as bytes: for exports built by the services (the
results of a consultation). Text stays text (never a formula), headers are bold."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import openpyxl

from reorg.report.findings import _text_cell

__all__ = ["Cell", "tables_xlsx"]

Cell = str | int | float | bool | None


def tables_xlsx(tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook with one sheet per entry of ``tables`` (sheet name -> (headers, rows))."""
    book = openpyxl.Workbook(write_only=True)
    for name, (headers, rows) in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([_text_cell(sheet, h, bold=True) for h in headers])
        for row in rows:
            sheet.append([_text_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
