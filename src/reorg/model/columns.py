"""The columns of every table, written once.

For each table of an apparatus (and for lineage), the ordered columns: the name in the Apparatus, the
name in a bundle file, the kind of value, whether a bundle must give it, its unit of measure and a
one-line description. Everything else that lists columns is derived from here: the files of a bundle
(``reorg.io.schema``), the empty tables (``empty``), the writer's layout (``reorg.io.layout``), how
the store converts each column (``reorg.store.columns``), and the tables of docs/data-format.md (a
test renders them with ``doc_table`` and finds them in the page). The SQLAlchemy models stay explicit
(Alembic compares them with the database); a test checks that each column here has its model column.

Kinds and the numpy column each is held in (``dtype``):

| kind | holds | numpy |
|---|---|---|
| ``id`` | the table's key: unique, non-empty text | object (str) |
| ``text`` | text, ``""`` = absent | object (str) |
| ``int`` | a whole number that is always there | int32 |
| ``float`` | a number, NaN = absent | float64 |
| ``whole`` | a whole number, NaN = absent | float64 |
| ``date`` | a day, NaT = absent | datetime64[D] |
| ``flag`` | true or false | bool |
| ``choice`` | the position of one of ``choices`` | int8 |
| ``ref`` | a row of table ``to`` (-1 = none, only when optional) | int32 |

Extra columns of a file are attributes when the table says so (``attributes``): numbers for units,
text kept verbatim for people; they go to the table's ``attributes`` mapping, name -> column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from reorg.model.tables import Duties, Levels, Neighbours, People, Results, Standards, Table, Tasks, Units

__all__ = [
    "DTYPES",
    "REGISTRY",
    "AttributeKind",
    "ColumnDef",
    "Kind",
    "TableDef",
    "doc_table",
    "empty",
    "empty_column",
    "table_def",
]

Kind = Literal["id", "text", "int", "float", "whole", "date", "flag", "choice", "ref"]
AttributeKind = Literal["number", "text"]

#: the numpy dtype of a column of each kind
DTYPES: Mapping[Kind, npt.DTypeLike] = {
    "id": object,
    "text": object,
    "int": np.int32,
    "float": np.float64,
    "whole": np.float64,
    "date": "datetime64[D]",
    "flag": np.bool_,
    "choice": np.int8,
    "ref": np.int32,
}

_DOC_TYPES: Mapping[Kind, str] = {
    "id": "id",
    "text": "text",
    "int": "whole number",
    "float": "number",
    "whole": "whole number",
    "date": "date",
    "flag": "flag",
}

T = TypeVar("T", bound=Table)


@dataclasses.dataclass(frozen=True)
class ColumnDef:
    """One column. ``name`` is the Apparatus field (and the database column), ``file`` the header in
    the bundle file (``parent`` is written ``parent_id``); ``to`` is the table a ``ref`` points at,
    ``choices`` the words a ``choice`` is written as. ``values`` says what is accepted beyond the
    kind (``≥ 0``, ``−90…90``), ``unit`` the unit of measure, ``doc`` what it means (for the docs)."""

    name: str
    kind: Kind
    file: str = ""
    required: bool = False
    to: str = ""
    choices: tuple[str, ...] = ()
    values: str = ""
    unit: str = ""
    doc: str = ""
    #: for required text: when it may still be empty (e.g. "for kind `create`"); never when ""
    empty_when: str = ""

    def __post_init__(self) -> None:
        if not self.file:
            object.__setattr__(self, "file", self.name)
        if (self.kind == "ref") != bool(self.to):
            raise ValueError(f"column {self.name}: a ref names its table, and only a ref does")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: a choice lists its words, and only a choice does")

    @property
    def doc_type(self) -> str:
        """The type as docs/data-format.md shows it (``number, ≥ 0``, ``reference to units``)."""
        if self.kind == "ref":
            base = f"reference to {self.to}"
        elif self.kind == "choice":
            base = " or ".join(f"`{c}`" for c in self.choices)
        else:
            base = _DOC_TYPES[self.kind]
            if self.kind == "text" and self.required:
                base += f", empty only {self.empty_when}" if self.empty_when else ", non-empty"
        return f"{base}, {self.values}" if self.values else base


@dataclasses.dataclass(frozen=True)
class TableDef:
    """One table: its name (the Apparatus field, the bundle file stem, the database table), the model
    class (None for lineage, a tuple of edges), the columns in order, and what extra columns of its
    file are (``attributes``: None = refused)."""

    name: str
    model: type[Table] | None
    columns: tuple[ColumnDef, ...]
    attributes: AttributeKind | None = None
    attributes_doc: str = ""

    def column(self, name: str) -> ColumnDef:
        """The column whose Apparatus name is ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def key(self) -> ColumnDef:
        """The ``id`` column that references to this table are written as."""
        for c in self.columns:
            if c.kind == "id":
                return c
        raise KeyError(f"{self.name} has no id column")


_C = ColumnDef
_NON_NEGATIVE = "≥ 0"

REGISTRY: tuple[TableDef, ...] = (
    TableDef(
        "levels",
        Levels,
        (
            _C("name", "id", file="level", required=True, doc="the level's name"),
            _C(
                "rank",
                "int",
                required=True,
                values=_NON_NEGATIVE,
                doc="0 = top; several levels may share a rank (a ministry and a province both sit under "
                "the nation)",
            ),
            _C(
                "territorial",
                "flag",
                doc="the level carries territory (nation, province, commune); other levels are agencies "
                "acting inside their nearest territorial ancestor",
            ),
            _C(
                "attached",
                "flag",
                doc="units of this level sit under their parent for its territory, not under its "
                "direction (a commune's Party committee under the commune): they do not count in the "
                "parent's span of control nor among its departments",
            ),
        ),
    ),
    TableDef(
        "units",
        Units,
        (
            _C("id", "id", required=True),
            _C("name", "text", required=True),
            _C(
                "level",
                "ref",
                to="levels",
                required=True,
                doc="a level of `levels.csv` (any name when levels are inferred)",
            ),
            _C(
                "kind",
                "text",
                doc="free classification (`ministry`, `people's committee`, `state-owned company`)",
            ),
            _C("parent", "ref", file="parent_id", to="units", doc="empty for the root"),
            _C("quota", "float", values=_NON_NEGATIVE, unit="people", doc="approved headcount"),
            _C(
                "area_km2",
                "float",
                values=_NON_NEGATIVE,
                unit="km²",
                doc="filled from the outline when empty",
            ),
            _C("population", "float", values=_NON_NEGATIVE, unit="people"),
            _C(
                "lat",
                "float",
                values="−90…90",
                unit="degrees",
                doc="latitude, WGS 84; filled from the outline when empty",
            ),
            _C("lon", "float", values="−180…180", unit="degrees", doc="longitude, WGS 84"),
        ),
        attributes="number",
        attributes_doc="a unit attribute (e.g. `budget`), kept in `Units.attributes`; any finite number",
    ),
    TableDef(
        "tasks",
        Tasks,
        (
            _C("id", "id", required=True),
            _C("name", "text", required=True),
            _C("field", "text", doc="the field of state management (`finance`, `agriculture`)"),
            _C(
                "parent",
                "ref",
                file="parent_id",
                to="tasks",
                doc="the catalogue is a tree; cycles are refused as for units",
            ),
            _C("legal_basis", "text", doc="the legal text assigning the task"),
        ),
    ),
    TableDef(
        "duties",
        Duties,
        (
            _C("unit", "ref", file="unit_id", to="units", required=True),
            _C("task", "ref", file="task_id", to="tasks", required=True),
            _C("role", "choice", choices=("lead", "support"), required=True, doc="exactly these words"),
            _C(
                "scope",
                "ref",
                to="units",
                doc="the territorial unit whose territory the duty covers; empty = the unit's own "
                "jurisdiction (itself if territorial, else its nearest territorial ancestor)",
            ),
            _C("legal_basis", "text"),
        ),
    ),
    TableDef(
        "people",
        People,
        (
            _C("id", "id", required=True),
            _C("unit", "ref", file="unit_id", to="units", required=True, doc="where the person works"),
            _C("position", "text"),
            _C("grade", "text", doc="civil-service grade"),
            _C("birth_date", "date", values="not after today"),
            _C("gender", "text"),
            _C("service_start", "date", values="not after today, not before birth_date"),
            _C(
                "salary_coefficient",
                "float",
                values=_NON_NEGATIVE,
                unit="× base salary",
                doc="the grade's coefficient: a multiple of the base salary",
            ),
        ),
        attributes="text",
        attributes_doc="a person attribute (e.g. `contract_type`), kept in `People.attributes` exactly as "
        "written, as text (`007` stays `007`); empty = absent",
    ),
    TableDef(
        "results",
        Results,
        (
            _C("person", "ref", file="person_id", to="people", required=True),
            _C("period", "text", required=True, doc="`2024`, `2024-Q1`"),
            _C("indicator", "text", required=True, doc="what is measured"),
            _C("target", "float", required=True, values=_NON_NEGATIVE, doc="in the indicator's own unit"),
            _C("actual", "float", required=True, values=_NON_NEGATIVE, doc="same unit as target"),
            _C("weight", "float", values=_NON_NEGATIVE, doc="empty = 1"),
        ),
    ),
    TableDef(
        "neighbours",
        Neighbours,
        (
            _C("a", "ref", to="units", required=True),
            _C("b", "ref", to="units", required=True, doc="either order"),
            _C(
                "border_km",
                "float",
                values=_NON_NEGATIVE,
                unit="km",
                doc="length of the common border; empty = unknown",
            ),
        ),
    ),
    TableDef(
        "standards",
        Standards,
        (
            _C(
                "level",
                "ref",
                to="levels",
                required=True,
                doc="listed in levels.csv (or used in units.csv when levels are inferred)",
            ),
            _C(
                "kind",
                "text",
                doc="the row applies to units of this `kind` (as written in units.csv); empty = any kind",
            ),
            _C(
                "unit_class",
                "text",
                file="class",
                values="a name of letters, digits and `_`",
                doc="the row applies to units of this class (e.g. `mountainous`, `island`): those whose "
                "attribute `<class>_km2` (km² of the unit in the class) is at least half their area; "
                "empty = any. Each (level, kind, class) once; a unit is judged by the most specific row "
                "that applies (docs/data-format.md)",
            ),
            _C("min_area_km2", "float", values=_NON_NEGATIVE, unit="km²", doc="empty = no minimum"),
            _C("min_population", "float", values=_NON_NEGATIVE, unit="people", doc="empty = no minimum"),
            _C(
                "max_units",
                "whole",
                values=_NON_NEGATIVE,
                unit="units",
                doc="most units of the level (of the row's kind and class) there may be; empty = no maximum",
            ),
        ),
    ),
    TableDef(
        "lineage",
        None,
        (
            _C(
                "source",
                "text",
                required=True,
                empty_when="for kind `create`",
                doc="the unit something came from (none for a unit made from nothing)",
            ),
            _C("target", "text", required=True, doc="the unit it went to"),
            _C("kind", "text", required=True, doc="`merge`, `split`, `absorb`, `rename`, `move`..."),
            _C(
                "operation",
                "int",
                required=True,
                values=_NON_NEGATIVE,
                doc="position of the operation in its plan",
            ),
            _C(
                "share",
                "float",
                values="0 < share ≤ 1",
                doc="the part of source that went to target; empty = 1",
            ),
        ),
    ),
)

_BY_NAME = {t.name: t for t in REGISTRY}


def table_def(name: str) -> TableDef:
    """The table named ``name`` (``units``, ``people``, ``lineage``...)."""
    return _BY_NAME[name]


def empty_column(kind: Kind) -> npt.NDArray[Any]:
    """A column of no rows of ``kind``."""
    return np.zeros(0, dtype=DTYPES[kind])


def empty(model: type[T]) -> T:
    """The table ``model`` with no rows (and no attributes)."""
    found = next((t for t in REGISTRY if t.model is model), None)
    if found is None:
        raise KeyError(f"{model.__name__} is not a registered table")
    return model(**{c.name: empty_column(c.kind) for c in found.columns})


def doc_table(table: TableDef) -> str:
    """The Markdown table of ``table``'s file in docs/data-format.md: required columns in bold."""
    lines = ["| column | type | unit | meaning |", "|---|---|---|---|"]
    for c in table.columns:
        lines.append(_row(f"**{c.file}**" if c.required else c.file, c.doc_type, c.unit, c.doc))
    if table.attributes is not None:
        lines.append(_row("*any other*", table.attributes, "", table.attributes_doc))
    return "\n".join(lines)


def _row(*cells: str) -> str:
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"
