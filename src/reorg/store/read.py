"""Reading the rows of a dataset back into an Apparatus: one ordered SELECT per table into numpy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Table, select

from reorg.errors import StoreError
from reorg.model import Apparatus, DatasetInfo, LineageEdge
from reorg.progress import Progress, report
from reorg.store import bulk, models
from reorg.store.columns import SPECS, AttributeSpec, TableSpec, day_number, from_db

__all__ = ["read_apparatus"]

STAGE = "load"


def _read_table(
    conn: Connection, spec: TableSpec, dataset_id: int, tick: Callable[[int], None]
) -> dict[str, Any]:
    """The columns of one table of a dataset, in row order."""
    table: Table = spec.row.__table__  # type: ignore[assignment]
    dialect = conn.dialect.name
    exprs = [
        day_number(table.c[name], dialect) if kind == "date" else table.c[name] for name, kind in spec.columns
    ]
    query = select(*exprs).where(table.c.dataset_id == dataset_id).order_by(table.c.idx)
    parts: list[list[npt.NDArray[Any]]] = [[] for _ in spec.columns]
    for chunk in bulk.select_columns(conn, query):
        for j, (part, (_, kind)) in enumerate(zip(parts, spec.columns, strict=True)):
            part.append(from_db(chunk[:, j], kind))
        tick(len(chunk))
    return {
        name: np.concatenate(part) if part else from_db(np.empty(0, dtype=object), kind)
        for part, (name, kind) in zip(parts, spec.columns, strict=True)
    }


def _read_attributes(
    conn: Connection, spec: AttributeSpec, dataset_id: int, n_rows: int
) -> dict[str, npt.NDArray[Any]]:
    """A table's attributes by name: numbers (NaN where a row has none) or text ("" where none)."""
    table: Table = spec.row.__table__  # type: ignore[assignment]
    owner = table.c[spec.owner]
    query = (
        select(table.c.key, owner, table.c.value)
        .where(table.c.dataset_id == dataset_id)
        .order_by(table.c.key, owner)
    )
    absent: object = "" if spec.kind == "text" else np.nan
    out: dict[str, npt.NDArray[Any]] = {}
    for chunk in bulk.select_columns(conn, query):
        key_array, rows_of, values = (
            chunk[:, 0],
            chunk[:, 1].astype(np.int64),
            from_db(chunk[:, 2], spec.kind),
        )
        for key in dict.fromkeys(key_array.tolist()):
            rows = key_array == key
            column = out.get(str(key))
            if column is None:
                column = out[str(key)] = np.full(n_rows, absent, dtype=values.dtype)
            column[rows_of[rows]] = values[rows]
    return out


def _read_lineage(conn: Connection, dataset_id: int) -> tuple[LineageEdge, ...]:
    table: Table = models.DbLineage.__table__  # type: ignore[assignment]
    columns = [table.c.source, table.c.target, table.c.kind, table.c.operation, table.c.share]
    query = select(*columns).where(table.c.dataset_id == dataset_id).order_by(table.c.idx)
    return tuple(
        LineageEdge(str(s), str(t), str(k), int(o), float(sh))
        for chunk in bulk.select_columns(conn, query)
        for s, t, k, o, sh in chunk.tolist()
    )


def read_apparatus(
    conn: Connection,
    dataset_id: int,
    counts: Mapping[str, int],
    info: DatasetInfo,
    progress: Progress | None = None,
) -> Apparatus:
    """The Apparatus stored under ``dataset_id``; ``counts`` (rows per table, as stored with the dataset)
    sizes the progress and is checked against what was read."""
    total = sum(counts.get(spec.attr, 0) for spec in SPECS)
    done = 0

    def tick(rows: int) -> None:
        nonlocal done
        done += rows
        report(progress, done, total, STAGE)

    report(progress, 0, total, STAGE)
    tables: dict[str, Any] = {}
    for spec in SPECS:
        columns = _read_table(conn, spec, dataset_id, tick)
        n = len(next(iter(columns.values())))
        if n != counts.get(spec.attr, n):
            raise StoreError(
                f"dataset row {dataset_id}: {spec.attr} holds {n} rows, {counts[spec.attr]} expected"
            )
        if spec.attributes is not None:
            columns["attributes"] = _read_attributes(conn, spec.attributes, dataset_id, n)
        tables[spec.attr] = spec.model(**columns)
    return Apparatus(**tables, info=info, lineage=_read_lineage(conn, dataset_id))
