"""The quota file of a placement: posts per new unit and position type (docs/people.md, "Placement").

A CSV file (UTF-8, header row) with the columns ``unit_id``, ``position`` and ``quota`` (a whole
number ≥ 0); each (unit, position) once. Every bad cell is an InputError naming the file, row and column.
"""

from __future__ import annotations

import csv
from pathlib import Path

from reorg.errors import InputError

__all__ = ["read_quotas"]

COLUMNS = ("unit_id", "position", "quota")


def read_quotas(path: Path) -> dict[str, dict[str, int]]:
    """unit id -> position -> posts, as the file gives them."""
    where = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"a readable UTF-8 CSV file ({exc})") from None
    if not rows:
        raise InputError(where, "a header row: " + ", ".join(COLUMNS))
    header = [h.strip() for h in rows[0]]
    for name in COLUMNS:
        if name not in header:
            raise InputError(where, "a column named " + name, column=name)
    at = {name: header.index(name) for name in COLUMNS}
    out: dict[str, dict[str, int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(where, f"{len(header)} cells, as in the header", row=number)
        unit, position, text = (row[at[name]].strip() for name in COLUMNS)
        if not unit:
            raise InputError(where, "a unit id", row=number, column="unit_id")
        if not position:
            raise InputError(where, "a position type", row=number, column="position")
        if not text.isdigit():
            raise InputError(where, "a whole number of posts, ≥ 0", row=number, column="quota", value=text)
        per = out.setdefault(unit, {})
        if position in per:
            raise InputError(
                where, "each (unit, position) once", row=number, column="position", value=position
            )
        per[position] = int(text)
    return out
