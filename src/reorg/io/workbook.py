"""An XLSX workbook as a bundle: one sheet per file (``units``, ``levels``...), plus ``dataset``.

Cells are turned into the same text a CSV file would hold (numbers as their shortest exact form, dates
as YYYY-MM-DD, booleans as true/false), so that one set of checks serves both forms. Formulas are read
as their last computed value; text is OOXML-unescaped (``_x000D_`` is a carriage return), the inverse
of what the writer does.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from reorg.errors import InputError
from reorg.io.schema import DATASET_FIELDS, FILES, ORDER, SHEETS
from reorg.io.sheets import Sheet, sheet_from_rows
from reorg.io.source import dataset_info
from reorg.model import DatasetInfo

__all__ = ["Workbook", "cell_text", "ooxml_escape", "ooxml_unescape"]

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: what XML 1.0 cannot hold (or would turn into "\n": a carriage return), and "_" before "xHHHH_"
_TO_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
#: what openpyxl raises for a file that is not a readable workbook (ParseError is a SyntaxError)
_NOT_A_WORKBOOK = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def ooxml_escape(text: str) -> str:
    """Text as an XLSX cell stores it: carriage returns, other control characters and U+FFFE/U+FFFF
    as ``_xHHHH_``, and a literal ``_xHHHH_`` protected as ``_x005F_xHHHH_`` (ECMA-376 ST_Xstring)."""
    return _TO_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """The inverse of ``ooxml_escape``."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def cell_text(value: Any) -> str:
    """The CSV text of a cell value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return ooxml_unescape(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Workbook:
    """The sheets of an .xlsx file, all read when it is opened (the file is closed at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.stem
        self._rows: dict[str, list[tuple[Any, ...]]] = {}
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except _NOT_A_WORKBOOK:
            raise self._not_a_workbook() from None
        try:
            for title in book.sheetnames:
                if title not in SHEETS:
                    raise InputError(
                        path.name, f"sheets named {', '.join(SHEETS)}", column=title, value=title
                    )
                self._rows[title] = list(book[title].iter_rows(values_only=True))
        except _NOT_A_WORKBOOK:  # a damaged sheet inside a readable zip
            raise self._not_a_workbook() from None
        finally:
            book.close()

    def _not_a_workbook(self) -> InputError:
        return InputError(self.path.name, "an .xlsx workbook (Excel 2007 or later); this file is not one")

    def present(self) -> list[str]:
        return [stem for stem in ORDER if stem in self._rows]

    def label(self, stem: str) -> str:
        return f"{self.path.name} [{stem}]"

    def _text_rows(self, stem: str) -> tuple[list[str], list[list[str]], list[int]]:
        """Header and data rows as text, empty rows skipped, and the sheet row of each data row."""
        label = self.label(stem)
        header: list[str] = []
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, raw in enumerate(self._rows[stem], start=1):
            cells = [cell_text(v) for v in raw]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            for k, text in enumerate(cells):
                if _CONTROL.search(text):
                    raise InputError(
                        label,
                        "text without control characters",
                        row=number,
                        column=header[k] if k < len(header) else None,
                    )
            if not header:
                header = cells
                continue
            if len(cells) > len(header):
                raise InputError(
                    label, f"at most {len(header)} cells as in the header, found {len(cells)}", row=number
                )
            rows.append(cells + [""] * (len(header) - len(cells)))
            numbers.append(number)
        if not header:
            raise InputError(label, "a header row and data rows; the sheet is empty, remove it instead")
        return header, rows, numbers

    def sheet(self, stem: str) -> Sheet:
        header, rows, numbers = self._text_rows(stem)
        return sheet_from_rows(self.label(stem), FILES[stem], header, rows, numbers)

    def info(self) -> DatasetInfo:
        if "dataset" not in self._rows:
            return DatasetInfo(name=self.name)
        label = self.label("dataset")
        header, rows, _ = self._text_rows("dataset")
        for name in header:
            if name not in DATASET_FIELDS:
                raise InputError(label, f"columns among {', '.join(DATASET_FIELDS)}", row=1, column=name)
        if len(rows) != 1:
            raise InputError(label, f"exactly one data row, found {len(rows)}")
        raw: dict[str, Any] = dict(zip(header, rows[0], strict=True))
        raw["synthetic"] = [p.strip() for p in raw.get("synthetic", "").split(",") if p.strip()]
        return dataset_info(label, raw, self.name)

    def territories(self) -> Path | None:
        return None
