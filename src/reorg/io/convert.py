"""Column conversions from text to numpy arrays, vectorized, naming the first bad row when one fails.

Each function takes a Sheet and a column name and returns a full-length array (the column's default
when the column is absent) or raises InputError at the first bad cell. The fast path converts the whole
column at once; only when that fails does a row-by-row pass run to find the row to name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import repeat

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.io.sheets import Sheet
from reorg.model.values import FIRST_DATE, LAST_DATE, Range, number_problem

__all__ = [
    "choice",
    "dates",
    "flags",
    "numbers",
    "refs",
    "texts",
    "unique_index",
]

TextArray = npt.NDArray[np.object_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
DateArray = npt.NDArray[np.datetime64]

#: a character no number holds: a column without one is converted at once (ASCII digits only, no "_")
_NOT_NUMERIC = re.compile(r"[^0-9+\-.eE \t]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def texts(sheet: Sheet, column: str, *, required: bool = False) -> TextArray:
    """Text kept verbatim; a required column may not hold an empty cell."""
    values = sheet.columns.get(column)
    out = np.empty(sheet.n, dtype=object)
    if values is None:
        out[:] = ""
        return out
    if required and "" in values:
        raise sheet.error(list(values).index(""), column, "a value (this column is required)")
    out[:] = values
    return out


def unique_index(sheet: Sheet, column: str) -> dict[str, int]:
    """id -> data row, refusing an id that occurs twice."""
    values = sheet.columns[column]
    index = dict(zip(values, range(sheet.n), strict=False))
    if len(index) != sheet.n:
        first: dict[str, int] = {}
        for i, v in enumerate(values):
            if v in first:
                shown = sheet.row(first[v])
                raise sheet.error(i, column, f"a unique id; this one is already at row {shown}", v)
            first[v] = i
    return index


def numbers(sheet: Sheet, column: str, rule: Range, *, required: bool = False) -> FloatArray:
    """Numbers ``rule`` accepts (see reorg.model.values: ASCII decimal notation, finite, in range, whole
    when the rule says so); empty cells are NaN (absent) unless ``required``."""
    values = sheet.columns.get(column)
    if values is None:
        return np.full(sheet.n, np.nan)
    arr = None
    if not _NOT_NUMERIC.search("".join(values)):
        try:
            arr = np.array([v or "nan" for v in values] if "" in values else values, dtype=np.float64)
        except ValueError:
            arr = None
    if arr is None:
        raise _first_bad_number(sheet, column, values, rule)
    for i in np.flatnonzero(~np.isfinite(arr)).tolist():
        if values[i]:
            raise sheet.error(i, column, f"{rule.what}, not NaN or infinite", values[i])
        if required:
            raise sheet.error(i, column, f"{rule.what} (this column is required)")
    with np.errstate(invalid="ignore"):
        outside = (arr < rule.low) | (arr > rule.high)
        if rule.open_low:
            outside |= arr == rule.low
        if rule.whole:
            outside |= np.isfinite(arr) & (arr != np.floor(arr))
    if outside.any():
        i = int(np.argmax(outside))
        raise sheet.error(i, column, rule.expected(), values[i])
    return arr


def _first_bad_number(sheet: Sheet, column: str, values: Sequence[str], rule: Range) -> InputError:
    for i, v in enumerate(values):
        if v:
            problem = number_problem(v, rule)
            if problem:
                return sheet.error(i, column, problem, v)
    return InputError(sheet.file, rule.what, column=column)


def _date_shaped(values: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Per cell: empty, or exactly ten characters DDDD-DD-DD (checked on the code points, vectorized)."""
    codes = np.array(values, dtype="U11").view(np.uint32).reshape(len(values), 11)
    digits = (codes >= ord("0")) & (codes <= ord("9"))
    dash = codes == ord("-")
    shaped = digits[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & dash[:, 4] & dash[:, 7] & (codes[:, 10] == 0)
    return np.asarray(shaped | (codes[:, 0] == 0))


def dates(sheet: Sheet, column: str, *, today: date | None = None) -> DateArray:
    """Dates written YYYY-MM-DD (NaT where empty); with ``today``, none may lie after it."""
    values = sheet.columns.get(column)
    if values is None:
        return np.full(sheet.n, np.datetime64("NaT"), dtype="datetime64[D]")
    shaped = _date_shaped(values)
    if not shaped.all():
        raise _first_bad_date(sheet, column, values, start=int(np.argmin(shaped)))
    try:
        arr = np.array(values, dtype="datetime64[D]")
    except ValueError:  # a day that does not exist, such as 2024-02-30
        raise _first_bad_date(sheet, column, values) from None
    if today is not None:
        late = arr > np.datetime64(today, "D")
        if late.any():
            i = int(np.argmax(late))
            raise sheet.error(i, column, f"a date not after today ({today.isoformat()})", values[i])
    outside = (arr < np.datetime64(FIRST_DATE)) | (arr > np.datetime64(LAST_DATE))
    if outside.any():
        i = int(np.argmax(outside))
        raise sheet.error(i, column, f"a date from {FIRST_DATE} to {LAST_DATE}", values[i])
    return arr


def _first_bad_date(sheet: Sheet, column: str, values: Sequence[str], start: int = 0) -> InputError:
    for i in range(start, len(values)):
        v = values[i]
        if not v:
            continue
        if not _DATE.fullmatch(v):
            return sheet.error(i, column, "a date written YYYY-MM-DD", v)
        try:
            date.fromisoformat(v)
        except ValueError:
            return sheet.error(i, column, "a date that exists (YYYY-MM-DD)", v)
    return InputError(sheet.file, "dates written YYYY-MM-DD", column=column)


def flags(sheet: Sheet, column: str) -> npt.NDArray[np.bool_]:
    """true/false (also 1/0, yes/no, any case); empty = false."""
    values = sheet.columns.get(column)
    if values is None:
        return np.zeros(sheet.n, dtype=bool)
    out = np.zeros(sheet.n, dtype=bool)
    for i, v in enumerate(values):
        key = v.strip().lower()
        if key in _TRUE:
            out[i] = True
        elif key not in _FALSE:
            raise sheet.error(i, column, "true or false", v)
    return out


def choice(sheet: Sheet, column: str, options: Sequence[str]) -> npt.NDArray[np.int8]:
    """The position of each cell's value in ``options`` (a required column)."""
    codes = {name: k for k, name in enumerate(options)}
    values = sheet.columns[column]
    arr = np.array([codes.get(v, -1) for v in values], dtype=np.int8)
    if (arr < 0).any():
        i = int(np.argmax(arr < 0))
        raise sheet.error(i, column, " or ".join(options), values[i])
    return arr


def refs(
    sheet: Sheet, column: str, index: Mapping[str, int], *, expected: str, optional: bool = False
) -> IntArray:
    """Row indexes of the ids in ``column`` (-1 where an optional cell is empty); refuses an id not in
    ``index``, saying ``expected`` (e.g. "the id of a unit in units")."""
    values = sheet.columns.get(column)
    if values is None:
        return np.full(sheet.n, -1, dtype=np.int32)
    arr = np.array(list(map(index.get, values, repeat(-2))), dtype=np.int32)
    for i in np.flatnonzero(arr == -2).tolist():
        v = values[i]
        if v or not optional:
            raise sheet.error(
                i, column, expected if v else f"{expected} (this column is required)", v or None
            )
        arr[i] = -1
    return arr
