"""Writing the rows of an Apparatus under a dataset id, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any

import numpy.typing as npt
from sqlalchemy import Connection

from reorg.model import Apparatus
from reorg.progress import Progress, report
from reorg.store import bulk, models
from reorg.store.columns import SPECS, Kind, to_db

__all__ = ["row_count", "write_outlines", "write_rows"]

STAGE = "import"


def row_count(app: Apparatus) -> int:
    """Database rows an import of ``app`` writes (every table, attributes and lineage included): one
    row per attribute and row of its table, absent values too, so that an attribute without any
    value keeps its name."""
    attributes = sum(len(t) * len(t.attributes) for t in (app.units, app.people))
    return sum(app.counts().values()) + attributes + len(app.lineage)


def _chunks(
    prefix: tuple[Any, ...], columns: Sequence[tuple[npt.NDArray[Any], Kind]], n: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Row tuples ``(*prefix, position, *values)``, ``bulk.CHUNK`` at a time."""
    for start in range(0, n, bulk.CHUNK):
        stop = min(n, start + bulk.CHUNK)
        values = [to_db(array[start:stop], kind) for array, kind in columns]
        yield list(zip(*(repeat(p) for p in prefix), range(start, stop), *values, strict=False))


def write_rows(conn: Connection, dataset_id: int, app: Apparatus, progress: Progress | None = None) -> None:
    """Insert every row of ``app`` under ``dataset_id``; reports rows written out of ``row_count``."""
    total = row_count(app)
    offset = 0

    def done(written: int) -> None:
        report(progress, offset + written, total, STAGE)

    report(progress, 0, total, STAGE)
    for spec in SPECS:
        table = getattr(app, spec.attr)
        columns = [(getattr(table, name), kind) for name, kind in spec.columns]
        names = ["dataset_id", "idx", *(name for name, _ in spec.columns)]
        if len(table):  # an empty table needs no statement (nor do its columns need to exist yet)
            chunks = _chunks((dataset_id,), columns, len(table))
            offset += bulk.bulk_insert(conn, spec.name, names, chunks, done=done)
        if spec.attributes is None:
            continue
        names = ["dataset_id", "key", spec.attributes.owner, "value"]
        for key, values in sorted(table.attributes.items()):
            chunks = _chunks((dataset_id, key), [(values, spec.attributes.kind)], len(table))
            offset += bulk.bulk_insert(conn, spec.attributes.name, names, chunks, done=done)
    lineage = [(e.source, e.target, e.kind, e.operation, float(e.share)) for e in app.lineage]
    chunks = iter([[(dataset_id, i, *edge) for i, edge in enumerate(lineage)]])
    names = ["dataset_id", "idx", "source", "target", "kind", "operation", "share"]
    offset += bulk.bulk_insert(conn, models.DbLineage.__tablename__, names, chunks, done=done)
    report(progress, offset, total, STAGE)


def write_outlines(conn: Connection, dataset_id: int, outlines: Mapping[int, str]) -> None:
    """Insert the outlines (unit row -> GeoJSON geometry text) of dataset ``dataset_id``."""
    rows = sorted(outlines.items())
    chunks = (
        [(dataset_id, unit, text) for unit, text in rows[start : start + bulk.CHUNK]]
        for start in range(0, len(rows), bulk.CHUNK)
    )
    bulk.bulk_insert(conn, models.DbOutline.__tablename__, ["dataset_id", "unit", "geojson"], chunks)
