"""An XLSX workbook as a bundle: one sheet per file (``units``, ``levels``...), plus ``dataset``.

Cells are turned into the same text a CSV file would hold (numbers as their shortest exact form, dates
as YYYY-MM-DD, booleans as true/false), so that one set of checks serves both forms. Formulas are read
as their last computed value; text is OOXML-unescaped (``_x000D_`` is a carriage return), the inverse
of what the writer does. The sheets are streamed with bounded work (``reorg.io.xlsx_rows``).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl.utils.exceptions import InvalidFileException

from reorg.errors import InputError
from reorg.io.schema import DATASET_FIELDS, FILES, ORDER, SHEETS
from reorg.io.sheets import Sheet, sheet_from_rows
from reorg.io.source import dataset_info
from reorg.io.xlsx_rows import XlsxBook, cell_text, ooxml_unescape
from reorg.model import DatasetInfo

__all__ = ["Workbook", "cell_text", "ooxml_escape", "ooxml_unescape"]

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
    TypeError,
    AttributeError,
    zlib.error,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    struct.error,
)


def ooxml_escape(text: str) -> str:
    """Text as an XLSX cell stores it: carriage returns, other control characters and U+FFFE/U+FFFF
    as ``_xHHHH_``, and a literal ``_xHHHH_`` protected as ``_x005F_xHHHH_`` (ECMA-376 ST_Xstring)."""
    return _TO_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


_Rows = tuple[list[str], list[list[str]], list[int]]


class Workbook:
    """The sheets of an .xlsx file, all read as text when it is opened (the file is closed at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.stem
        self._rows: dict[str, _Rows] = {}
        try:
            book = XlsxBook(path)
        except _NOT_A_WORKBOOK:
            raise self._not_a_workbook() from None
        try:
            for title in book.titles:
                if title not in SHEETS:
                    raise InputError(
                        path.name, f"sheets named {', '.join(SHEETS)}", column=title, value=title
                    )
                if book.is_chart(title):
                    raise InputError(self.label(title), "a worksheet of cells (not a chart)")
                self._rows[title] = self._read(book, title)
        except _NOT_A_WORKBOOK:  # a damaged sheet inside a readable zip
            raise self._not_a_workbook() from None
        finally:
            book.close()

    def _not_a_workbook(self) -> InputError:
        return InputError(self.path.name, "an .xlsx workbook (Excel 2007 or later); this file is not one")

    def _read(self, book: XlsxBook, title: str) -> _Rows:
        """Header and data rows as text, empty rows skipped, and the sheet row of each data row."""
        label = self.label(title)
        header: list[str] = []
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, cells in book.rows(title, label):
            if not header:
                header = cells
                continue
            rows.append(cells + [""] * (len(header) - len(cells)))
            numbers.append(number)
        if not header:
            raise InputError(label, "a header row and data rows; the sheet is empty, remove it instead")
        return header, rows, numbers

    def present(self) -> list[str]:
        return [stem for stem in ORDER if stem in self._rows]

    def label(self, stem: str) -> str:
        return f"{self.path.name} [{stem}]"

    def sheet(self, stem: str) -> Sheet:
        header, rows, numbers = self._rows[stem]
        return sheet_from_rows(self.label(stem), FILES[stem], header, rows, numbers)

    def info(self) -> DatasetInfo:
        if "dataset" not in self._rows:
            return DatasetInfo(name=self.name)
        label = self.label("dataset")
        header, rows, _ = self._rows["dataset"]
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
