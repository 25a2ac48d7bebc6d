"""How each Apparatus column is written to and read from its database column.

An Apparatus table maps onto a row table column by column (``TableSpec``); each column has a kind that
says how numpy values become DBAPI values (``to_db``) and back (``from_db``): a row reference ``-1`` is
NULL, a NaN number is NULL, a NaT date is NULL, text stays text ("" = absent). Dates are written as ISO
strings and read back as day numbers since 1970-01-01 (``day_number``), which numpy turns into
datetime64[D] without parsing text.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import Column, ColumnElement, Date, Integer, cast, func, literal
from sqlalchemy.sql.expression import ColumnClause

from reorg.model.tables import Duties, Levels, Neighbours, People, Results, Standards, Table, Tasks, Units
from reorg.store import models

__all__ = ["SPECS", "Kind", "TableSpec", "day_number", "from_db", "to_db"]

Kind = Literal["text", "int", "small", "ref", "float", "date", "bool"]


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """An Apparatus table (``attr`` on Apparatus, built by ``model``) and the row table it is stored in;
    ``columns`` are (name, kind) pairs, the same name on both sides."""

    attr: str
    model: type[Table]
    row: type[models.Base]
    columns: tuple[tuple[str, Kind], ...]

    @property
    def name(self) -> str:
        return str(self.row.__tablename__)


SPECS: tuple[TableSpec, ...] = (
    TableSpec("levels", Levels, models.DbLevel, (("name", "text"), ("rank", "int"), ("territorial", "bool"))),
    TableSpec(
        "units",
        Units,
        models.DbUnit,
        (
            ("id", "text"),
            ("name", "text"),
            ("level", "int"),
            ("kind", "text"),
            ("parent", "ref"),
            ("quota", "float"),
            ("area_km2", "float"),
            ("population", "float"),
            ("lat", "float"),
            ("lon", "float"),
        ),
    ),
    TableSpec(
        "tasks",
        Tasks,
        models.DbTask,
        (("id", "text"), ("name", "text"), ("field", "text"), ("parent", "ref"), ("legal_basis", "text")),
    ),
    TableSpec(
        "duties",
        Duties,
        models.DbDuty,
        (("unit", "int"), ("task", "int"), ("role", "small"), ("scope", "ref"), ("legal_basis", "text")),
    ),
    TableSpec(
        "people",
        People,
        models.DbPerson,
        (
            ("id", "text"),
            ("unit", "int"),
            ("position", "text"),
            ("grade", "text"),
            ("birth_date", "date"),
            ("gender", "text"),
            ("service_start", "date"),
            ("salary_coefficient", "float"),
        ),
    ),
    TableSpec(
        "results",
        Results,
        models.DbResult,
        (
            ("person", "int"),
            ("period", "text"),
            ("indicator", "text"),
            ("target", "float"),
            ("actual", "float"),
            ("weight", "float"),
        ),
    ),
    TableSpec(
        "neighbours", Neighbours, models.DbNeighbour, (("a", "int"), ("b", "int"), ("border_km", "float"))
    ),
    TableSpec(
        "standards",
        Standards,
        models.DbStandard,
        (("level", "int"), ("min_area_km2", "float"), ("min_population", "float"), ("max_units", "float")),
    ),
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
