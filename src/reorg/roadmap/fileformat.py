"""The roadmap file: TOML that people export, edit and re-import (docs/roadmap.md).

::

    plan = "enacted-2025"
    start = 2025-03-01
    derive = true            # add the dependencies derived from the plan

    [[step]]
    id = "s1"
    name = "merge MOF and MPI"
    operations = [0]         # 0-based positions in the plan
    owner = "vn"
    level = "ministry"
    duration = 30            # days
    earliest = 2025-03-01
    deadline = 2025-06-30    # optional
    depends = []             # step ids, added by the user
    targets = { headcount = 120 }

A bad value is an InputError naming the file, the step (row, 1-based) and the field.

Progress reports come as CSV (``reports_from_csv``): ``step,date,share,unit,notes`` and one column per
indicator (``headcount``, ``tasks_handed_over``...).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.errors import InputError
from reorg.roadmap.monitor import ProgressReport
from reorg.roadmap.steps import Roadmap, Step

__all__ = ["REPORT_COLUMNS", "dumps", "loads", "read", "reports_from_csv", "write"]


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _step(s: Step) -> list[str]:
    lines = [
        "[[step]]",
        f"id = {_string(s.id)}",
        f"name = {_string(s.name)}",
        f"operations = [{', '.join(str(i) for i in s.operations)}]",
        f"owner = {_string(s.owner)}",
        f"level = {_string(s.level)}",
        f"duration = {s.duration}",
    ]
    if s.earliest:
        lines.append(f"earliest = {s.earliest.isoformat()}")
    if s.deadline:
        lines.append(f"deadline = {s.deadline.isoformat()}")
    lines.append(f"depends = [{', '.join(_string(d) for d in s.depends)}]")
    targets = ", ".join(f"{_string(k)} = {v!r}" for k, v in s.targets)
    lines.append(f"targets = {{{' ' + targets + ' ' if targets else ''}}}")
    return lines


def dumps(roadmap: Roadmap) -> str:
    """The roadmap as TOML text (``loads`` reads it back to an equal roadmap)."""
    lines = [
        "# reorg roadmap: edit and re-import with `reorg roadmap build --from FILE` (docs/roadmap.md)",
        f"plan = {_string(roadmap.plan)}",
        f"start = {roadmap.start.isoformat()}",
        f"derive = {'true' if roadmap.derive else 'false'}",
    ]
    for s in roadmap.steps:
        lines.append("")
        lines.extend(_step(s))
    return "\n".join(lines) + "\n"


def loads(text: str, *, source: str = "roadmap") -> Roadmap:
    """The roadmap in TOML ``text``; InputError naming ``source``, the step (row) and the field."""
    try:
        data: Mapping[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"a roadmap in valid TOML ({exc})") from None
    known = {"plan", "start", "derive", "step"}
    for key in data:
        if key not in known:
            raise InputError(source, "one of " + ", ".join(sorted(known)), field=str(key))
    return Roadmap.from_dict(data, source=source)


def read(path: str | Path) -> Roadmap:
    """The roadmap file at ``path``."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(name, f"a readable roadmap file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(name, "a roadmap file in UTF-8") from None
    return loads(text, source=name)


def write(roadmap: Roadmap, path: str | Path) -> None:
    """Write the roadmap file at ``path``."""
    Path(path).write_text(dumps(roadmap), encoding="utf-8")


#: the columns of a progress-report CSV file; any other column is an indicator (a number or empty)
REPORT_COLUMNS = ("step", "date", "share", "unit", "notes")


def reports_from_csv(text: str, *, source: str = "reports") -> list[ProgressReport]:
    """Progress reports from CSV ``text`` (header: step, date, share[, unit, notes, indicators...]).
    A bad value is an InputError naming ``source``, the row (the header is row 1) and the column."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError(source, "a header row: step, date, share, ...")
    header = [h.strip() for h in rows[0]]
    for need in ("step", "date", "share"):
        if need not in header:
            raise InputError(source, f"a column {need!r}", row=1, column=need)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(source, f"{len(header)} cells", row=number, value=str(len(row)))
        cell = dict(zip(header, (c.strip() for c in row), strict=True))
        try:
            day = dt.date.fromisoformat(cell["date"])
        except ValueError:
            raise InputError(
                source, "a date (YYYY-MM-DD)", row=number, column="date", value=cell["date"]
            ) from None
        share = _number(cell["share"], source, number, "share")
        indicators = []
        for name in header:
            if name not in REPORT_COLUMNS and cell[name] != "":
                indicators.append((name, _number(cell[name], source, number, name)))
        out.append(
            ProgressReport(
                cell["step"],
                day,
                share,
                cell.get("unit", ""),
                cell.get("notes", ""),
                tuple(sorted(indicators)),
            )
        )
    return out


def _number(text: str, source: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(source, "a number", row=row, column=column, value=text) from None
    if not math.isfinite(value):
        raise InputError(source, "a finite number", row=row, column=column, value=text)
    return value
