"""Moving many rows in and out quickly, below the ORM.

Writing uses the DBAPI directly inside the caller's transaction: ``executemany`` on tuples in chunks for
SQLite, ``COPY ... FROM STDIN`` (psycopg ``cursor.copy``) for PostgreSQL. Reading runs one plain
``SELECT ... ORDER BY idx`` per table and hands back the rows chunk by chunk as 2-d object arrays (numpy
transposes far faster than ``zip``), so that a caller turns columns into typed arrays without holding
every row tuple at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import psycopg
from sqlalchemy import Connection, Select

__all__ = ["CHUNK", "DIALECTS", "bulk_insert", "select_columns"]

#: rows per executemany / per progress step
CHUNK = 50_000

#: the database backends reorg stores data in
DIALECTS = ("sqlite", "postgresql")


def _dbapi_cursor(conn: Connection) -> Any:
    """The driver's own cursor on the connection's current transaction."""
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def bulk_insert(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    chunks: Iterable[list[tuple[Any, ...]]],
    *,
    done: Callable[[int], None] | None = None,
) -> int:
    """Insert the rows of ``chunks`` into ``table`` (its ``columns`` in that order) in the transaction of
    ``conn``; ``done`` is told the number of rows written after each chunk. Returns the rows written."""
    prep = conn.dialect.identifier_preparer
    names = ", ".join(prep.quote(c) for c in columns)
    target = prep.quote(table)
    written = 0
    cursor = _dbapi_cursor(conn)
    try:
        if conn.dialect.name == "postgresql":
            pg = cast(psycopg.Cursor[Any], cursor)
            with pg.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for chunk in chunks:
                    for row in chunk:
                        copy.write_row(row)
                    written += len(chunk)
                    if done is not None:
                        done(written)
        else:
            sql = f"INSERT INTO {target} ({names}) VALUES ({', '.join('?' for _ in columns)})"
            for chunk in chunks:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                if done is not None:
                    done(written)
    finally:
        cursor.close()
    return written


def select_columns(
    conn: Connection, query: Select[Any], *, chunk: int = CHUNK
) -> Iterator[npt.NDArray[np.object_]]:
    """The result of ``query``, ``chunk`` rows at a time, each chunk a 2-d object array (rows x
    columns) whose columns a caller converts with ``astype``: None becomes NaN in a float conversion.

    The query's parameters are rendered inline, so it must only hold trusted literals (ids, numbers)."""
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    width = len(query.selected_columns)
    cursor = _dbapi_cursor(conn)
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk):
            out = np.empty((len(rows), width), dtype=object)
            out[:] = rows
            yield out
    finally:
        cursor.close()
