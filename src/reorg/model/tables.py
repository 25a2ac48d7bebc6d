"""The columnar tables an Apparatus is made of.

Each table is a frozen dataclass of equally long, read-only numpy columns. References between tables
are integer row indexes (``-1`` = none), never ids, so that analysis runs on arrays. Text columns are
numpy object arrays of ``str`` (``""`` = absent); optional numbers are float64 with NaN = absent;
dates are ``datetime64[D]`` with NaT = absent.

Units: km² for areas, people for population, decimal degrees (WGS 84) for lat/lon, headcount for quota.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

__all__ = [
    "LEAD",
    "ROLES",
    "SUPPORT",
    "Duties",
    "Levels",
    "Neighbours",
    "People",
    "Results",
    "Standards",
    "Table",
    "Tasks",
    "Units",
    "float_column",
    "int_column",
    "text_column",
]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.object_]
DateArray = npt.NDArray[np.datetime64]

LEAD = 0
SUPPORT = 1
ROLES = ("lead", "support")


def text_column(values: Sequence[str] | npt.NDArray[Any]) -> TextArray:
    """A read-only object array of str."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values) if not isinstance(values, np.ndarray) else values
    return arr


def float_column(values: Sequence[float] | npt.NDArray[Any]) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def int_column(values: Sequence[int] | npt.NDArray[Any]) -> IntArray:
    return np.asarray(values, dtype=np.int32)


def date_column(values: Sequence[Any] | npt.NDArray[Any]) -> DateArray:
    return np.asarray(values, dtype="datetime64[D]")


class Table:
    """Behaviour shared by every table: equal lengths, read-only columns, row selection.

    A table with an ``attributes`` field (units, people) also keeps those extra columns, by name, as long
    as the table, through ``take`` and ``concat``; ``ATTRIBUTE_DTYPE`` and ``ATTRIBUTE_ABSENT`` say what
    they hold. Which columns each table has, and what they mean, is in ``reorg.model.columns``.
    """

    ATTRIBUTE_DTYPE: ClassVar[npt.DTypeLike] = np.float64
    ATTRIBUTE_ABSENT: ClassVar[object] = np.nan

    def __post_init__(self) -> None:
        lengths = set()
        for name, column in self.columns():
            if not isinstance(column, np.ndarray) or column.ndim != 1:
                raise TypeError(f"{type(self).__name__}.{name} must be a 1-d numpy array")
            if column.flags.writeable:
                column = column.copy() if not column.flags.owndata else column
                column.flags.writeable = False
                object.__setattr__(self, name, column)
            lengths.add(len(column))
        if len(lengths) > 1:
            raise ValueError(f"{type(self).__name__}: columns differ in length: {sorted(lengths)}")
        attributes = self._attributes()
        if attributes is not None:
            self._fix_attributes(attributes)

    def _attributes(self) -> Mapping[str, npt.NDArray[Any]] | None:
        """The table's ``attributes`` field (None for a table without one)."""
        found: Mapping[str, npt.NDArray[Any]] | None = self.__dict__.get("attributes")
        return found

    def _fix_attributes(self, attributes: Mapping[str, Any]) -> None:
        """``attributes`` as read-only columns of ``ATTRIBUTE_DTYPE``, each as long as the table."""
        n = len(self)
        fixed = {}
        for key, values in attributes.items():
            column = np.asarray(values, dtype=self.ATTRIBUTE_DTYPE)
            if column.ndim != 1 or len(column) != n:
                raise ValueError(f"{type(self).__name__}.attributes[{key!r}] differs in length")
            if column.flags.writeable:
                column = column if column.flags.owndata else column.copy()
                column.flags.writeable = False
            fixed[str(key)] = column
        object.__setattr__(self, "attributes", fixed)

    def columns(self) -> Iterator[tuple[str, npt.NDArray[Any]]]:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                yield f.name, value

    def __len__(self) -> int:
        for _, column in self.columns():
            return len(column)
        return 0

    def take(self, rows: npt.NDArray[Any]) -> Self:
        """The rows at ``rows`` (indexes or a boolean mask), attributes too, other fields unchanged.
        References into this table (``units.parent``) are not remapped: the caller does that."""
        changes: dict[str, Any] = {name: column[rows] for name, column in self.columns()}
        attributes = self._attributes()
        if attributes is not None:
            changes["attributes"] = {k: v[rows] for k, v in attributes.items()}
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def concat(cls, parts: Sequence[Self]) -> Self:
        """Rows of ``parts`` one after another; non-column fields come from the first part. Attributes
        are the union of the parts' (in order of first appearance), absent where a part lacks one."""
        first = parts[0]
        changes: dict[str, Any] = {
            name: np.concatenate([getattr(p, name) for p in parts]) for name, _ in first.columns()
        }
        if first._attributes() is not None:
            keys = dict.fromkeys(k for p in parts for k in p._attributes() or {})
            changes["attributes"] = {
                key: np.concatenate([p._attribute_or_absent(key) for p in parts]) for key in keys
            }
        return dataclasses.replace(first, **changes)  # type: ignore[type-var]

    def _attribute_or_absent(self, key: str) -> npt.NDArray[Any]:
        found = (self._attributes() or {}).get(key)
        if found is not None:
            return found
        column = np.empty(len(self), dtype=self.ATTRIBUTE_DTYPE)
        column[:] = self.ATTRIBUTE_ABSENT
        return column


def _index(ids: TextArray, what: str) -> dict[str, int]:
    index = {str(v): i for i, v in enumerate(ids.tolist())}
    if len(index) != len(ids):
        raise ValueError(f"{what}: ids are not unique")
    return index


@dataclasses.dataclass(frozen=True, eq=False)
class Levels(Table):
    """The ordered tiers. ``rank`` 0 is the top; several levels may share a rank (a ministry and a
    province both sit right under the nation). ``territorial`` levels carry territory; the others are
    agencies acting inside their nearest territorial ancestor. ``attached`` levels sit under their
    parent for its territory, not under its direction (a commune's Party committee under the commune):
    they are not in the parent's span of control nor among its departments."""

    name: TextArray
    rank: IntArray
    territorial: BoolArray
    attached: BoolArray

    @cached_property
    def index(self) -> dict[str, int]:
        return _index(self.name, "levels")


@dataclasses.dataclass(frozen=True, eq=False)
class Units(Table):
    """Organizational units, a forest in principle and a tree in a valid apparatus.

    ``parent`` is a row index (-1 for a root), ``level`` a row index into Levels. ``attributes`` holds
    the extra numeric columns of units.csv (any additive attribute, e.g. ``budget``), float64 NaN = absent.
    """

    id: TextArray
    name: TextArray
    level: IntArray
    kind: TextArray
    parent: IntArray
    quota: FloatArray
    area_km2: FloatArray
    population: FloatArray
    lat: FloatArray
    lon: FloatArray
    attributes: Mapping[str, FloatArray] = dataclasses.field(default_factory=dict)

    @cached_property
    def index(self) -> dict[str, int]:
        """id -> row."""
        return _index(self.id, "units")

    @cached_property
    def children(self) -> tuple[IntArray, IntArray]:
        """CSR-style child lists: children of unit i are ``order[start[i]:start[i+1]]``."""
        n = len(self.id)
        has_parent = self.parent >= 0
        kids = np.flatnonzero(has_parent).astype(np.int32)
        parents = self.parent[kids]
        order = kids[np.argsort(parents, kind="stable")]
        counts = np.bincount(parents, minlength=n)
        start = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(counts, out=start[1:])
        return start, order

    def children_of(self, unit: int) -> IntArray:
        start, order = self.children
        return order[start[unit] : start[unit + 1]]

    @cached_property
    def roots(self) -> IntArray:
        return np.flatnonzero(self.parent < 0).astype(np.int32)


@dataclasses.dataclass(frozen=True, eq=False)
class Tasks(Table):
    """The catalogue of tasks (state-management fields, services, functions), a forest by ``parent``."""

    id: TextArray
    name: TextArray
    field: TextArray
    parent: IntArray
    legal_basis: TextArray

    @cached_property
    def index(self) -> dict[str, int]:
        return _index(self.id, "tasks")


@dataclasses.dataclass(frozen=True, eq=False)
class Duties(Table):
    """Who does what: (unit, task, role) with role LEAD (0) or SUPPORT (1).

    ``scope`` is the territorial unit whose territory the duty covers (-1 = the unit's own jurisdiction;
    see ``Apparatus.duty_scope`` for the resolved value).
    """

    unit: IntArray
    task: IntArray
    role: npt.NDArray[np.int8]
    scope: IntArray
    legal_basis: TextArray


@dataclasses.dataclass(frozen=True, eq=False)
class People(Table):
    """Staff. Dates as datetime64[D]; ``salary_coefficient`` is the grade coefficient (x base salary).

    ``attributes`` holds the extra columns of people.csv (contract type, allowances, a retirement
    date...) as text exactly as written, ``""`` = absent: nothing is inferred (``007`` stays ``007``);
    whoever needs a number or a date parses it."""

    ATTRIBUTE_DTYPE: ClassVar[npt.DTypeLike] = object
    ATTRIBUTE_ABSENT: ClassVar[object] = ""

    id: TextArray
    unit: IntArray
    position: TextArray
    grade: TextArray
    birth_date: DateArray
    gender: TextArray
    service_start: DateArray
    salary_coefficient: FloatArray
    attributes: Mapping[str, TextArray] = dataclasses.field(default_factory=dict)

    @cached_property
    def index(self) -> dict[str, int]:
        return _index(self.id, "people")


@dataclasses.dataclass(frozen=True, eq=False)
class Results(Table):
    """Measurable results: per person, period and indicator, a target and an actual (same unit);
    ``weight`` NaN means 1."""

    person: IntArray
    period: TextArray
    indicator: TextArray
    target: FloatArray
    actual: FloatArray
    weight: FloatArray


@dataclasses.dataclass(frozen=True, eq=False)
class Neighbours(Table):
    """Territorial adjacency, each pair once with ``a < b``; ``border_km`` NaN = unknown length."""

    a: IntArray
    b: IntArray
    border_km: FloatArray


@dataclasses.dataclass(frozen=True, eq=False)
class Standards(Table):
    """Minimums (and a maximum count of units) the units of a level must meet; NaN = no requirement.

    A row applies to the units of its ``level`` whose kind is ``kind`` (``""`` = any kind) and that
    belong to the class ``unit_class`` (``""`` = any; a unit belongs to class ``c`` when its attribute
    ``c_km2``, the km² of it in that class, is at least half its area). Which row judges a unit (the
    most specific) is decided once, in ``reorg.plan.kinds``."""

    level: IntArray
    kind: TextArray
    unit_class: TextArray
    min_area_km2: FloatArray
    min_population: FloatArray
    max_units: FloatArray
