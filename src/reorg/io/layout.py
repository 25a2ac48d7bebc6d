"""An Apparatus laid out as the files of a bundle: per file, typed columns ready to be written.

The columns come from the column registry (``reorg.model.columns``); row references become ids
again. Empty tables are left out (a present file must hold rows), and so are optional columns with no
value at all; attributes (units, people) are always kept, so that they survive a round trip even when
empty.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError
from reorg.io.schema import FILES
from reorg.model import Apparatus
from reorg.model.columns import DTYPES, REGISTRY, ColumnDef, TableDef, table_def

__all__ = ["Column", "Kind", "layout"]

Kind = Literal["text", "number", "date", "flag"]


@dataclasses.dataclass(frozen=True, eq=False)
class Column:
    """One column to write: its header, how its values are written, the values (numpy array)."""

    name: str
    kind: Kind
    values: npt.NDArray[np.generic]

    def empty(self) -> bool:
        """No value at all: every text empty, every number NaN, every date NaT."""
        v = self.values
        if self.kind == "text":
            return not any(v.tolist())
        if self.kind == "number":
            return bool(np.isnan(v).all())
        if self.kind == "date":
            return bool(np.isnat(v).all())
        return False


#: how a column of each registry kind is written
_WRITTEN: dict[str, Kind] = {
    "id": "text",
    "text": "text",
    "ref": "text",
    "choice": "text",
    "int": "number",
    "float": "number",
    "whole": "number",
    "date": "date",
    "flag": "flag",
}


def _ids(ids: npt.NDArray[np.object_], rows: npt.NDArray[np.int32]) -> npt.NDArray[np.object_]:
    """The ids at ``rows``, "" where a row is -1."""
    padded = np.empty(len(ids) + 1, dtype=object)
    padded[:-1] = ids
    padded[-1] = ""
    return padded[rows]


def _values(app: Apparatus, table: TableDef, column: ColumnDef) -> npt.NDArray[np.generic]:
    """The values of ``column`` as written: references as the ids (key column) of the table they
    point at, choices as their words, whole numbers as float64."""
    if table.model is None:  # lineage: a tuple of edges
        raw = [getattr(edge, column.name) for edge in app.lineage]
        return np.array(raw, dtype=object if DTYPES[column.kind] is object else np.float64)
    values: npt.NDArray[Any] = getattr(getattr(app, table.name), column.name)
    if column.kind == "ref":
        keys: npt.NDArray[np.object_] = getattr(getattr(app, column.to), table_def(column.to).key.name)
        return _ids(keys, values)
    if column.kind == "choice":
        words: npt.NDArray[np.object_] = np.array(column.choices, dtype=object)[values]
        return words
    if column.kind == "int":
        return values.astype(np.float64)
    return values


def _attributes(app: Apparatus, table: TableDef) -> list[Column]:
    """The attribute columns of ``table`` (numbers for units, text for people), by name."""
    if table.attributes is None:
        return []
    kind: Kind = "number" if table.attributes == "number" else "text"
    return [Column(name, kind, values) for name, values in getattr(app, table.name).attributes.items()]


def layout(app: Apparatus) -> dict[str, list[Column]]:
    """Per file stem (in writing order), the columns to write; empty tables are absent. Optional
    columns with no value at all are left out; attributes are always kept (so that they survive a
    round trip even when empty) and may not take the name of a column of their file."""
    out: dict[str, list[Column]] = {}
    for table in REGISTRY:
        spec = FILES[table.name]
        columns = [Column(c.file, _WRITTEN[c.kind], _values(app, table, c)) for c in table.columns]
        if len(columns[0].values) == 0:
            continue
        kept = [c for c in columns if c.name in spec.required or not c.empty()]
        for attribute in _attributes(app, table):
            if attribute.name in spec.columns:
                raise InputError(
                    spec.filename, "attribute names other than the standard columns", column=attribute.name
                )
            kept.append(attribute)
        out[table.name] = kept
    return out
