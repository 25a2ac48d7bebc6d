"""Writing an Apparatus as a bundle: a folder of CSV files, or one XLSX workbook.

What is written reads back equal: numbers in their shortest exact form (integers without ``.0``), dates
as YYYY-MM-DD, text verbatim. A folder gets dataset.json beside the CSV files.

Writing is all or nothing: the bundle is written into a new temporary folder (or file) beside the
target and renamed into place, so a failure (a full disk) leaves the target as it was, and nothing in
the target is followed or overwritten in place (a symbolic link planted in it stays untouched). An
existing target folder is replaced whole, and only when it holds nothing but a bundle's files (the
CSV files, dataset.json, territories.geojson): nothing stale can be read back, and nothing else is
deleted. A target that is not a plain folder or file (a symbolic link, a device) is refused.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reorg.errors import ReorgError
from reorg.io.geo import territories_json
from reorg.io.layout import Column, layout
from reorg.io.schema import FILES
from reorg.io.xlsx_writer import write_xlsx
from reorg.model import Apparatus, DatasetInfo

__all__ = ["number_text", "write", "write_csv"]


def number_text(values: npt.NDArray[np.float64]) -> list[str]:
    """Each number as the shortest text that reads back equal: whole numbers without ``.0``, NaN as ""."""
    return [
        "" if v != v else str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
        for v in values.astype(np.float64).tolist()
    ]


def _cells(column: Column) -> list[str]:
    values = column.values
    if column.kind == "number":
        return number_text(values.astype(np.float64))
    if column.kind == "date":
        shown = np.datetime_as_string(values.astype("datetime64[D]"))
        return [("" if s == "NaT" else s) for s in shown.tolist()]
    if column.kind == "flag":
        return ["true" if v else "false" for v in values.tolist()]
    return [str(v) for v in values.tolist()]


def info_json(info: DatasetInfo) -> str:
    """dataset.json text for ``info``."""
    raw = {
        "name": info.name,
        "description": info.description,
        "source": info.source,
        "synthetic": list(info.synthetic),
    }
    return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"


def write_csv(app: Apparatus, folder: Path) -> None:
    """``app`` as CSV files (UTF-8, comma-separated, CRLF rows, header row) and dataset.json in the new,
    empty ``folder``."""
    tables = layout(app)
    for stem, columns in tables.items():
        with (folder / FILES[stem].filename).open("x", encoding="utf-8", newline="") as f:
            out = csv.writer(f)  # "\r\n" rows: a lone "\r" in text is then quoted too
            out.writerow([c.name for c in columns])
            out.writerows(zip(*(_cells(c) for c in columns), strict=True))
    with (folder / "dataset.json").open("x", encoding="utf-8") as f:
        f.write(info_json(app.info))


#: the files a bundle folder may hold; a folder holding anything else is not replaced
BUNDLE_FILES = frozenset({*(spec.filename for spec in FILES.values()), "dataset.json", "territories.geojson"})


def _replaceable(target: Path) -> None:
    """Refuse a target that is not a plain folder holding only a bundle's files (absent is fine)."""
    if target.is_symlink():
        raise ReorgError(f"{target}: a plain folder to write to; this is a symbolic link")
    if not target.exists():
        return
    if not target.is_dir():
        raise ReorgError(f"{target}: a folder or a path ending in .xlsx to write to; this is a file")
    for entry in sorted(target.iterdir()):
        if entry.name not in BUNDLE_FILES or entry.is_symlink() or not entry.is_file():
            raise ReorgError(
                f"{target}: a new folder, or one holding only a bundle's files, to replace; "
                f"it also holds {entry.name!r}"
            )


def _write_folder(app: Apparatus, target: Path, outlines: Mapping[str, str]) -> None:
    _replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    try:
        write_csv(app, fresh)
        if outlines:
            text = territories_json(outlines)
            (fresh / "territories.geojson").write_text(text, encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old)  # onto the empty directory just made
            os.replace(fresh, target)
            shutil.rmtree(old)
        else:
            os.replace(fresh, target)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)


def _write_workbook(app: Apparatus, target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise ReorgError(f"{target}: a plain file to write the workbook to; this is not one")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx", dir=target.parent)
    os.close(handle)
    fresh = Path(name)
    try:
        write_xlsx(app, fresh)
        os.replace(fresh, target)
    finally:
        fresh.unlink(missing_ok=True)


def write(app: Apparatus, path: str | Path, *, outlines: Mapping[str, str] | None = None) -> None:
    """Write ``app`` to ``path``: an .xlsx workbook when the name ends in .xlsx, else a folder of CSV,
    all or nothing (see the module docstring). ``outlines`` (unit id -> GeoJSON geometry text) go into
    the folder's territories.geojson; a workbook has no place for them. Raises ReorgError naming the
    path when it cannot."""
    target = Path(path)
    try:
        if target.suffix.lower() == ".xlsx":
            _write_workbook(app, target)
        else:
            _write_folder(app, target, outlines or {})
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = exc.filename if isinstance(exc.filename, str) and exc.filename else str(target)
        raise ReorgError(f"{target}: cannot write the bundle ({reason}: {where})") from None
