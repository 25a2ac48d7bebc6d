"""The raw text of one file of a bundle, and strict CSV parsing into it.

A ``Sheet`` is what every reader produces before any conversion: its columns as sequences of str
(``""`` = empty cell), whatever the source (CSV file or workbook sheet). Rows are numbered as a person
sees them: 1-based, the header is row 1. Blank lines are skipped but keep their number.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from reorg.errors import InputError
from reorg.io.schema import FileSpec
from reorg.model.values import CONTROL, MAX_ATTRIBUTE_NAME, MAX_TEXT

#: columns of a header (CSV or XLSX); a data row may not be wider than its header
MAX_COLUMNS = 1_024

__all__ = ["MAX_COLUMNS", "Sheet", "parse_csv", "read_csv", "sheet_from_rows"]


@dataclasses.dataclass(frozen=True, eq=False)
class Sheet:
    """Columns of one file by name, ``n`` data rows each; ``row_numbers[i]`` is data row i's row in
    the file when blank rows were skipped (None: data row i is row i + 2)."""

    file: str
    spec: FileSpec
    columns: Mapping[str, Sequence[str]]
    n: int
    row_numbers: Sequence[int] | None = None

    def row(self, i: int) -> int:
        """The 1-based file row of data row ``i`` (the header is row 1)."""
        return self.row_numbers[i] if self.row_numbers is not None else i + 2

    def error(self, i: int, column: str | None, expected: str, value: str | None = None) -> InputError:
        """An InputError at data row ``i``."""
        return InputError(self.file, expected, row=self.row(i), column=column, value=value)

    def has(self, column: str) -> bool:
        return column in self.columns


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a byte order mark: every other byte of its (mostly ASCII) head is NUL."""
    head = data[:200]
    return len(head) >= 4 and (head[1::2].count(0) * 4 >= len(head) or head[0::2].count(0) * 4 >= len(head))


def _decode(data: bytes, file: str) -> str:
    """UTF-8 text of a CSV file (a BOM is dropped); refuses empty, binary and non-UTF-8 files."""
    if not data:
        raise InputError(
            file, "a header row and data rows; the file is empty (0 bytes), leave it out instead"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise InputError(file, 'UTF-8 text, found UTF-16 (save the file as "CSV UTF-8")')
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(file, "CSV text, found binary data (a NUL byte)", row=_line_of(data, nul))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(
            file,
            f"UTF-8 text; byte 0x{byte:02x} is not UTF-8 (save the file as UTF-8)",
            row=_line_of(data, exc.start),
        ) from None
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(file, f"text without control characters, found U+{ord(bad.group()):04X}", row=line)
    return text


def parse_csv(data: bytes, file: str, spec: FileSpec) -> Sheet:
    """A Sheet from the bytes of a CSV file (strict quoting, comma-separated, header row)."""
    text = _decode(data, file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise InputError(file, f"well-formed CSV ({exc}; an unclosed quote?)", row=len(records) + 1) from None
    while records and not records[-1]:
        records.pop()
    if not records:
        raise InputError(file, "a header row and data rows; the file holds only blank lines")
    numbers: list[int] | None = None
    body = records
    if [] in records:  # blank lines are skipped, their numbers kept
        numbers = [k + 1 for k, r in enumerate(records) if r][1:]
        body = [r for r in records if r]
    _check_separator(file, body[0])
    return sheet_from_rows(file, spec, body[0], body[1:], numbers)


def _check_separator(file: str, header: list[str]) -> None:
    """Refuse a header separated by semicolons or tabs (a spreadsheet's regional CSV), saying so."""
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if any(separator in h for h in header):
            raise InputError(
                file,
                f"comma-separated values; this header is separated by {name} (in a spreadsheet program, "
                'save as "CSV UTF-8 (comma delimited)")',
                row=1,
            )


def read_csv(path: Path, spec: FileSpec) -> Sheet:
    """The Sheet of CSV file ``path``."""
    return parse_csv(path.read_bytes(), path.name, spec)


def _check_header(file: str, spec: FileSpec, header: list[str]) -> list[str]:
    names = [h.strip() for h in header]
    if len(names) > MAX_COLUMNS:
        raise InputError(file, f"at most {MAX_COLUMNS:,} columns in a header, found {len(names):,}", row=1)
    seen: dict[str, int] = {}
    for k, name in enumerate(names):
        if not name:
            raise InputError(file, f"a name for column {k + 1} of the header", row=1)
        if name in seen:
            raise InputError(file, "each column once in the header", row=1, column=name)
        seen[name] = k
        if name not in spec.columns and spec.attributes is None:
            raise InputError(
                file, f"a known column name: one of {', '.join(spec.columns)}", row=1, column=name
            )
        if name not in spec.columns and len(name) > MAX_ATTRIBUTE_NAME:
            expected = f"an attribute name of at most {MAX_ATTRIBUTE_NAME} characters"
            raise InputError(file, expected, row=1, column=name[:MAX_ATTRIBUTE_NAME] + "…")
    for name in spec.required:
        if name not in seen:
            raise InputError(file, "this required column in the header", row=1, column=name)
    return names


def sheet_from_rows(
    file: str,
    spec: FileSpec,
    header: list[str],
    rows: list[list[str]],
    row_numbers: list[int] | None = None,
) -> Sheet:
    """A Sheet from a header and data rows of str; checks the header, the row widths, and that
    there is at least one data row."""
    names = _check_header(file, spec, header)
    if not rows:
        raise InputError(file, "at least one data row after the header; leave the file out instead")
    width = len(names)
    if len(set(map(len, rows))) != 1 or len(rows[0]) != width:
        for i, r in enumerate(rows):
            if len(r) != width:
                row = row_numbers[i] if row_numbers is not None else i + 2
                raise InputError(file, f"{width} fields as in the header, found {len(r)}", row=row)
    columns: dict[str, Sequence[str]] = dict(zip(names, zip(*rows, strict=True), strict=True))
    sheet = Sheet(file, spec, columns, len(rows), row_numbers)
    for name, values in columns.items():
        lengths = list(map(len, values))
        if max(lengths) > MAX_TEXT:
            i = next(k for k, n in enumerate(lengths) if n > MAX_TEXT)
            raise sheet.error(i, name, f"text of at most {MAX_TEXT:,} characters, found {lengths[i]:,}")
    return sheet
