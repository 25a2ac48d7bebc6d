"""The store follows the column registry: every registered column has its model column, typed to match."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Boolean, Date, Double, Integer, SmallInteger, Table, Text

from reorg.model.columns import REGISTRY, ColumnDef, TableDef
from reorg.store import models
from reorg.store.columns import SPECS, Kind, from_db, store_kind, to_db

#: the SQL type each store kind is held in, and whether its column may be NULL (None: either)
SQL: dict[Kind, tuple[type, bool | None]] = {
    "text": (Text, False),
    "int": (Integer, False),
    "small": (SmallInteger, False),
    "bool": (Boolean, False),
    "ref": (Integer, True),
    "float": (Double, None),
    "date": (Date, True),
}

ROW_TABLES = {str(m.__tablename__): m for m in models.ROW_TABLES}
COLUMNS = [(t, c) for t in REGISTRY for c in t.columns]


@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t.name}.{c.name}" for t, c in COLUMNS])
def test_every_registered_column_has_its_model_column(table: TableDef, column: ColumnDef) -> None:
    """The row table of a registered table has the column, of the SQL type (and nullability) its kind
    is stored in: a column added to the registry and not to the store fails here."""
    db: Table = ROW_TABLES[table.name].__table__  # type: ignore[assignment]
    assert column.name in db.c, f"{table.name}.{column.name} has no column in models.{db.name}"
    sql_type, nullable = SQL[store_kind(column)]
    assert type(db.c[column.name].type) is sql_type, f"{table.name}.{column.name}: {db.c[column.name].type}"
    if nullable is not None:
        assert db.c[column.name].nullable is nullable, f"{table.name}.{column.name}"


def test_row_tables_hold_only_registered_columns() -> None:
    """Besides the keys (dataset_id, idx), a row table holds nothing the registry does not list."""
    for table in REGISTRY:
        db: Table = ROW_TABLES[table.name].__table__  # type: ignore[assignment]
        assert [c.name for c in db.c] == ["dataset_id", "idx", *(c.name for c in table.columns)]


def test_attributes_have_their_narrow_table() -> None:
    """Each table with attributes stores them as (dataset_id, key, row, value) of the values' SQL type."""
    specs = [s for s in SPECS if s.attributes is not None]
    assert {s.attr for s in specs} == {t.name for t in REGISTRY if t.attributes is not None}
    for spec in specs:
        assert spec.attributes is not None
        db: Table = spec.attributes.row.__table__  # type: ignore[assignment]
        assert [c.name for c in db.c] == ["dataset_id", "key", spec.attributes.owner, "value"]
        assert type(db.c.value.type) is SQL[spec.attributes.kind][0]
        assert spec.attributes.row in models.ROW_TABLES


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("text", np.array(["a", "", "007"], dtype=object)),
        ("ref", np.array([2, -1, 0], dtype=np.int32)),
        ("float", np.array([1.5, np.nan, -0.0])),
    ],
)
def test_to_db_then_from_db_is_the_identity(kind: Kind, values: np.ndarray) -> None:
    """A column converted to DBAPI values and back is unchanged (absent stays absent)."""
    back = from_db(np.array(to_db(values, kind), dtype=object), kind)
    assert back.dtype == values.dtype
    if kind == "float":
        assert np.array_equal(back, values, equal_nan=True)
    else:
        assert back.tolist() == values.tolist()
