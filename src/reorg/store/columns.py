"""How each Apparatus column is written to and read from its database column.

An Apparatus table maps onto a row table column by column (``TableSpec``, derived from the column
registry ``reorg.model.columns``); each column has a kind that says how numpy values become DBAPI
values (``to_db``) and back (``from_db``): a row reference ``-1`` is NULL, a NaN number is NULL, a NaT
date is NULL, text stays text ("" = absent). Dates are written as ISO strings and read back as day
numbers since 1970-01-01 (``day_number``), which numpy turns into datetime64[D] without parsing text.
A table's attributes (units: numbers, people: text) live in a narrow table of (key, row, value).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import Column, ColumnElement, Date, Integer, cast, func, literal
from sqlalchemy.sql.expression import ColumnClause

from reorg.model.columns import REGISTRY, AttributeKind, ColumnDef
from reorg.model.tables import Table
from reorg.store import models

__all__ = ["SPECS", "AttributeSpec", "Kind", "TableSpec", "day_number", "from_db", "store_kind", "to_db"]

Kind = Literal["text", "int", "small", "ref", "float", "date", "bool"]


@dataclasses.dataclass(frozen=True)
class AttributeSpec:
    """Where a table's attributes are stored: the narrow row table, the column naming the row they
    belong to (``unit``, ``person``), and the kind of their values."""

    row: type[models.Base]
    owner: str
    kind: Kind

    @property
    def name(self) -> str:
        return str(self.row.__tablename__)


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """An Apparatus table (``attr`` on Apparatus, built by ``model``) and the row table it is stored in;
    ``columns`` are (name, kind) pairs, the same name on both sides."""

    attr: str
    model: type[Table]
    row: type[models.Base]
    columns: tuple[tuple[str, Kind], ...]
    attributes: AttributeSpec | None = None

    @property
    def name(self) -> str:
        return str(self.row.__tablename__)


def store_kind(column: ColumnDef) -> Kind:
    """How a registered column is stored: a required reference is a plain integer, an optional one
    NULL for none; whole numbers that may be absent are floats."""
    if column.kind == "ref":
        return "int" if column.required else "ref"
    kinds: dict[str, Kind] = {
        "id": "text",
        "text": "text",
        "int": "int",
        "float": "float",
        "whole": "float",
        "date": "date",
        "flag": "bool",
        "choice": "small",
    }
    return kinds[column.kind]


_ROWS: dict[str, type[models.Base]] = {str(m.__tablename__): m for m in models.ROW_TABLES}

_ATTRIBUTES: dict[str, tuple[type[models.Base], str]] = {
    "units": (models.DbUnitAttribute, "unit"),
    "people": (models.DbPersonAttribute, "person"),
}

_ATTRIBUTE_KINDS: dict[AttributeKind, Kind] = {"number": "float", "text": "text"}

SPECS: tuple[TableSpec, ...] = tuple(
    TableSpec(
        table.name,
        table.model,
        _ROWS[table.name],
        tuple((c.name, store_kind(c)) for c in table.columns),
        None
        if table.attributes is None
        else AttributeSpec(*_ATTRIBUTES[table.name], _ATTRIBUTE_KINDS[table.attributes]),
    )
    for table in REGISTRY
    if table.model is not None
)


def to_db(values: npt.NDArray[Any], kind: Kind) -> list[Any]:
    """DBAPI values of a numpy column: Python ints, floats, str, bool, ISO dates; None where absent."""
    if kind in ("text", "int", "small", "bool"):
        return values.tolist()  # type: ignore[no-any-return]
    if kind == "ref":
        out = values.astype(object)
        out[values < 0] = None
    elif kind == "float":
        out = values.astype(object)
        out[np.isnan(values)] = None
    else:  # date
        out = np.datetime_as_string(values, unit="D").astype(object)
        out[np.isnat(values)] = None
    return out.tolist()  # type: ignore[no-any-return]


def from_db(values: npt.NDArray[np.object_], kind: Kind) -> npt.NDArray[Any]:
    """A numpy column of the kind's dtype from a column of DBAPI values (an object array; dates as day
    numbers, see ``day_number``)."""
    if kind == "text":
        return np.array(values, dtype=object)
    if kind in ("int", "small", "bool"):
        return values.astype({"int": np.int32, "small": np.int8, "bool": bool}[kind])
    numbers = values.astype(np.float64)  # None -> NaN
    if kind == "float":
        return numbers
    absent = np.isnan(numbers)
    if kind == "ref":
        return np.where(absent, -1, numbers).astype(np.int32)
    days = np.where(absent, 0, numbers).astype(np.int64).astype("datetime64[D]")
    days[absent] = np.datetime64("NaT")
    return days


def day_number(column: Column[Any] | ColumnClause[Any], dialect: str) -> ColumnElement[Any]:
    """The SQL for a DATE column as days since 1970-01-01 (NULL stays NULL)."""
    if dialect == "sqlite":
        return func.julianday(column) - literal(2440587.5)
    return cast(column - cast(literal("1970-01-01"), Date), Integer)
