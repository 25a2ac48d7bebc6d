"""Writing an Apparatus as a bundle: a folder of CSV files, or one XLSX workbook.

What is written reads back equal: numbers in their shortest exact form (integers without ``.0``), dates
as YYYY-MM-DD, text verbatim. A folder gets dataset.json beside the CSV files; CSV files of a bundle
already in the folder that this apparatus has no rows for are removed, so that nothing stale is read
back. territories.geojson is never written nor removed (the apparatus holds no outlines).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reorg.errors import ReorgError
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
    """``app`` as a folder of CSV files (UTF-8, comma-separated, CRLF rows, header row) and dataset.json."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = layout(app)
    for stem, spec in FILES.items():
        path = folder / spec.filename
        if stem not in tables:
            path.unlink(missing_ok=True)
            continue
        columns = tables[stem]
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)  # "\r\n" rows: a lone "\r" in text is then quoted too
            out.writerow([c.name for c in columns])
            out.writerows(zip(*(_cells(c) for c in columns), strict=True))
    (folder / "dataset.json").write_text(info_json(app.info), encoding="utf-8")


def write(app: Apparatus, path: str | Path) -> None:
    """Write ``app`` to ``path``: an .xlsx workbook when the name ends in .xlsx, else a folder of CSV."""
    target = Path(path)
    if target.exists() and not target.is_dir() and target.suffix.lower() != ".xlsx":
        raise ReorgError(f"{target}: a folder or a path ending in .xlsx to write to; this is a file")
    if target.suffix.lower() == ".xlsx":
        write_xlsx(app, target)
    else:
        write_csv(app, target)
