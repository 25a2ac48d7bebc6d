"""The column registry describes the tables exactly, and attributes follow their rows."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.model import Apparatus, LevelRow, People, PersonRow, UnitRow, Units, build_apparatus
from reorg.model.columns import DTYPES, REGISTRY, ColumnDef, TableDef, empty, table_def
from reorg.model.tables import text_column

MODELS = [t for t in REGISTRY if t.model is not None]


@pytest.mark.parametrize("table", MODELS, ids=[t.name for t in MODELS])
def test_registry_lists_every_column_of_the_table_in_order(table: TableDef, tiny: Apparatus) -> None:
    """A registered table's array fields are the registry's columns, in order, of the kind's dtype."""
    held = getattr(tiny, table.name)
    assert [name for name, _ in held.columns()] == [c.name for c in table.columns]
    for c in table.columns:
        assert getattr(held, c.name).dtype == np.dtype(DTYPES[c.kind]), f"{table.name}.{c.name}"


@pytest.mark.parametrize("table", MODELS, ids=[t.name for t in MODELS])
def test_empty_table_has_every_column_and_no_row(table: TableDef) -> None:
    """``empty`` gives a table of no rows, each column of its kind's dtype, without attributes."""
    assert table.model is not None
    made = empty(table.model)
    assert len(made) == 0
    for c in table.columns:
        assert getattr(made, c.name).dtype == np.dtype(DTYPES[c.kind])
    assert getattr(made, "attributes", {}) == {}


def test_registry_agrees_with_the_apparatus() -> None:
    """Registered tables are the Apparatus's tables, references point at registered tables with an id
    column, and attributes are declared exactly where a table has an ``attributes`` field."""
    fields = {f.name for f in dataclasses.fields(Apparatus)}
    assert {t.name for t in MODELS} == fields - {"info", "lineage", "people_events"}  # the log: by apply
    for table in REGISTRY:
        for c in table.columns:
            if c.kind == "ref":
                assert table_def(c.to).key.kind == "id"
        has_field = table.model is not None and "attributes" in {
            f.name for f in dataclasses.fields(table.model)
        }
        assert has_field == (table.attributes is not None), table.name
    assert [c.name for c in table_def("lineage").columns] == [
        "source",
        "target",
        "kind",
        "operation",
        "share",
    ]


def test_column_def_refuses_incoherent_kinds() -> None:
    """A ref names its table and a choice its words, and nothing else does."""
    with pytest.raises(ValueError, match="ref"):
        ColumnDef("unit", "ref")
    with pytest.raises(ValueError, match="ref"):
        ColumnDef("name", "text", to="units")
    with pytest.raises(ValueError, match="choice"):
        ColumnDef("role", "choice")
    assert ColumnDef("parent", "ref", file="parent_id", to="units").doc_type == "reference to units"


def _people(codes: list[str]) -> People:
    app = build_apparatus(
        units=[UnitRow("u", "U", "top")],
        people=[PersonRow(f"p{k}", "u", attributes=(("badge", code),)) for k, code in enumerate(codes)],
    )
    return app.people


def test_person_attributes_are_text_as_given() -> None:
    """Person attributes hold the text given ("007" stays "007"), read-only, "" where a row has none."""
    app = build_apparatus(
        units=[UnitRow("u", "U", "top")],
        people=[
            PersonRow("a", "u", attributes=(("badge", "007"), ("contract", "permanent"))),
            PersonRow("b", "u", birth_date=date(1980, 1, 1)),
        ],
    )
    people = app.people
    assert people.attributes["badge"].tolist() == ["007", ""]
    assert people.attributes["contract"].tolist() == ["permanent", ""]
    assert people.attributes["badge"].dtype == object
    assert not people.attributes["badge"].flags.writeable


def test_attributes_must_be_as_long_as_the_table() -> None:
    """An attribute column of another length is refused."""
    people = _people(["1", "2"])
    with pytest.raises(ValueError, match="badge"):
        dataclasses.replace(people, attributes={"badge": text_column(["1"])})


@settings(max_examples=60, deadline=None)
@given(codes=st.lists(st.text(max_size=4), min_size=1, max_size=8), data=st.data())
def test_take_then_concat_restores_people_and_attributes(codes: list[str], data: st.DataObject) -> None:
    """Splitting people into two row sets with ``take`` and joining them with ``concat`` gives back
    the same rows, attributes included."""
    people = _people(codes)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(codes), max_size=len(codes))))
    order = np.concatenate([np.flatnonzero(mask), np.flatnonzero(~mask)])
    joined = People.concat([people.take(mask), people.take(~mask)])
    assert joined.id.tolist() == people.id[order].tolist()
    assert joined.attributes["badge"].tolist() == people.attributes["badge"][order].tolist()


def test_concat_fills_an_attribute_a_part_lacks() -> None:
    """Concatenated parts have the union of attributes: "" for people, NaN for units, where absent."""
    with_badge = _people(["7"])
    without = dataclasses.replace(with_badge, attributes={})
    joined = People.concat([without, with_badge])
    assert joined.attributes["badge"].tolist() == ["", "7"]
    units = build_apparatus(
        units=[UnitRow("r", "R", "top", attributes=(("budget", 2.0),))], levels=[LevelRow("top", 0)]
    ).units
    merged = Units.concat([dataclasses.replace(units, attributes={}), units])
    assert np.array_equal(merged.attributes["budget"], [np.nan, 2.0], equal_nan=True)
