"""The rows of an XLSX sheet as CSV text, streamed from the sheet's XML with bounded work and memory.

A workbook is a zip of XML files, so a few kilobytes can describe a sheet of a billion cells. Before
anything is opened, ``check_archive`` refuses a zip whose members would unpack too large or too far
beyond their compressed size (``MAX_UNPACKED``, ``MAX_RATIO``). Then ``XlsxBook.rows`` reads a sheet row by
row as the XML goes by, never padding a row to the sheet's declared dimension: a cell beyond the
header's width is refused as soon as its row is met, and so is a row beyond ``MAX_ROWS``; only the
cells within the width are converted to text. Work is linear in the unpacked XML, memory in the rows
kept.

Each cell becomes the text a CSV file would hold (see ``cell_text``); a formula is read as the value it
last computed, and a formula with no computed value (as openpyxl and pandas write them) or an error
value (``#DIV/0!``) is refused, naming the cell, rather than read as an empty cell.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from reorg.errors import InputError
from reorg.io.sheets import MAX_COLUMNS
from reorg.model.values import CONTROL

__all__ = [
    "MAX_COLUMNS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "XlsxBook",
    "cell_text",
    "check_archive",
    "ooxml_unescape",
]

#: rows of a sheet (row numbers beyond are refused): the most an XLSX sheet holds
MAX_ROWS = 1_048_576
#: bytes the members of a workbook may unpack to, in all
MAX_UNPACKED = 2 * 2**30
#: how many times larger than its compressed size a member may unpack (members over RATIO_FLOOR bytes);
#: spreadsheets written by Excel, LibreOffice or openpyxl unpack 5 to 15 times
MAX_RATIO = 100
RATIO_FLOOR = 2**20
#: members (files) in a workbook's zip
MAX_MEMBERS = 10_000

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_LETTERS = re.compile(r"[A-Z]{1,3}")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def check_archive(path: Path) -> None:
    """Refuse, before it is opened, a workbook whose zip would unpack beyond the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
        raise InputError(path.name, "an .xlsx workbook (Excel 2007 or later); this file is not one") from None
    if len(members) > MAX_MEMBERS:
        raise InputError(path.name, f"a workbook of at most {MAX_MEMBERS:,} parts, found {len(members):,}")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise InputError(
                path.name,
                f"a workbook whose parts unpack at most {MAX_RATIO} times their packed size; "
                f"{member.filename} unpacks {ratio:,.0f} times (a zip bomb?)",
            )
        if total > MAX_UNPACKED:
            raise InputError(
                path.name, f"a workbook unpacking to at most {MAX_UNPACKED // 2**30} GiB (a zip bomb?)"
            )


def ooxml_unescape(text: str) -> str:
    """``_xHHHH_`` escapes as the characters they stand for (ECMA-376 ST_Xstring)."""
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


class _NoValue:
    """A cell that holds no usable value, and what it should have held."""

    def __init__(self, expected: str) -> None:
        self.expected = expected


def _inline_text(inline: Any) -> str:
    """The text of an ``<is>`` element: its ``<t>`` and the ``<t>`` of its rich-text runs (not the
    phonetic ``<rPh>`` runs), as Excel shows it."""
    parts: list[str] = []
    for child in inline:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            t = child.find(_TEXT)
            parts.append("" if t is None else t.text or "")
    return "".join(parts)


_COLUMNS: dict[str, int] = {}


def _column(coordinate: str) -> int:
    """The 1-based column of a cell coordinate such as ``B7``."""
    letters = coordinate.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        if not _LETTERS.fullmatch(letters) or letters == coordinate:
            raise ValueError(f"cell coordinate {coordinate!r}")
        column = _COLUMNS[letters] = column_index_from_string(letters)
    return column


class XlsxBook:
    """An open workbook: its sheet titles, and the rows of each as text (``rows``). The zip is checked
    (``check_archive``) before anything in it is parsed; ``close`` releases the file."""

    def __init__(self, path: Path) -> None:
        check_archive(path)
        reader = ExcelReader(path, read_only=True, data_only=True)
        self._archive = reader.archive
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.parts: dict[str, str | None] = {}
            for sheet, rel in reader.parser.find_sheets():
                if rel.target in reader.valid_files:
                    self.parts[sheet.name] = None if "chartsheet" in rel.Type else rel.target
        except BaseException:
            self.close()
            raise
        self.titles = list(self.parts)
        self._shared: list[Any] = reader.shared_strings
        self._date_styles: set[int] = reader.wb._date_formats
        self._duration_styles: set[int] = reader.wb._timedelta_formats
        self._epoch: Any = reader.wb.epoch

    def close(self) -> None:
        self._archive.close()

    def is_chart(self, title: str) -> bool:
        """Whether sheet ``title`` is a chart sheet (no cells)."""
        return self.parts[title] is None

    def rows(self, title: str, label: str) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, cells as text with trailing empty cells dropped) for each non-empty row
        of sheet ``title``; the first such row is the header. Refuses (InputError, naming ``label``) a
        row number over MAX_ROWS, a header over MAX_COLUMNS, a value beyond the header's width, a
        control character, and a cell without a value as described in the module docstring."""
        width = MAX_COLUMNS
        header: list[str] | None = None
        row_number = 0
        with self._archive.open(str(self.parts[title])) as source:
            data: Any = None
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == _DATA:
                        data = element
                    continue
                if element.tag != _ROW:
                    continue
                given = element.get("r")
                row_number = int(given) if given and given.isdigit() else row_number + 1
                if row_number > MAX_ROWS:
                    raise InputError(label, f"at most {MAX_ROWS:,} rows in a sheet", row=row_number)
                texts = self._row_texts(element, row_number, width, header, label)
                if data is not None:
                    data.clear()  # rows already read are dropped, so memory does not grow with the sheet
                if not texts:
                    continue
                if header is None:
                    header = texts
                    width = len(texts)
                yield row_number, texts

    def _row_texts(
        self, row: Any, number: int, width: int, header: list[str] | None, label: str
    ) -> list[str]:
        """The text of the cells of one ``<row>`` within ``width`` columns, trailing empty ones dropped."""
        found: dict[int, str] = {}
        column = 0
        for cell in row:
            if cell.tag != _CELL:
                continue
            ref = cell.get("r")
            try:
                column = _column(ref) if ref else column + 1
                value = self._value(cell)
            except (ValueError, OverflowError, IndexError, TypeError):  # a number, date, string index
                value = _NoValue("a readable value (a number, a date, text or a boolean)")
            if isinstance(value, _NoValue):
                raise InputError(label, value.expected, row=number, column=_column_name(header, column))
            text = value if type(value) is str else cell_text(value)
            if not text:
                continue
            if "_x" in text:
                text = ooxml_unescape(text)
            if column > width:
                where = "as in the header" if header is not None else "in a header"
                raise InputError(
                    label,
                    f"at most {width:,} cells {where}, found a value in column {_column_name(None, column)}",
                    row=number,
                )
            bad = CONTROL.search(text)
            if bad:
                raise InputError(
                    label,
                    f"text without control characters, found U+{ord(bad.group()):04X}",
                    row=number,
                    column=_column_name(header, column),
                )
            found[column] = text
        if not found:
            return []
        out = [""] * max(found)
        for k, text in found.items():
            out[k - 1] = text
        return out

    def _value(self, cell: Any) -> Any:
        """The value of a ``<c>`` element, or _NoValue saying what it should have held."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return None if inline is None else _inline_text(inline)
        raw = cell.findtext(_VALUE)
        if not raw and kind != "str" and cell.find(_FORMULA) is not None:
            formula = cell.findtext(_FORMULA) or ""
            return _NoValue(
                f"a value; the cell holds the formula ={formula} but no computed value (open and save "
                "the workbook in a spreadsheet program, or type the value)"
            )
        if raw is None or (raw == "" and kind not in ("str", "s")):
            return None
        if kind == "n":
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
            style = cell.get("s")
            if style and int(style) in self._date_styles:
                return from_excel(number, self._epoch, timedelta=int(style) in self._duration_styles)
            return number
        if kind == "s":
            return self._shared[int(raw)]
        if kind == "str":
            return raw
        if kind == "b":
            return raw.strip() not in ("0", "false")
        if kind == "d":
            return from_ISO8601(raw)
        if kind == "e":
            return _NoValue(f"a value, found the spreadsheet error {raw}")
        return _NoValue(f"a cell of a known type, found type {kind!r}")


def _column_name(header: list[str] | None, column: int) -> str:
    """How a column is named in a message: its header, else its letter."""
    if header is not None and column <= len(header):
        return header[column - 1]
    return str(get_column_letter(column))
