"""Build an Apparatus from plain rows that name each other by id.

Used by tests, synthetic generators and dataset builders. Readers of large files build the columns
directly and report bad references with file and row themselves; this builder raises ``ValueError``
naming the id that does not resolve.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

import numpy as np

from reorg.model.apparatus import Apparatus, DatasetInfo
from reorg.model.tables import (
    ROLES,
    Duties,
    Levels,
    Neighbours,
    People,
    Results,
    Standards,
    Tasks,
    Units,
    date_column,
    float_column,
    int_column,
    text_column,
)

__all__ = [
    "DutyRow",
    "LevelRow",
    "NeighbourRow",
    "PersonRow",
    "ResultRow",
    "StandardRow",
    "TaskRow",
    "UnitRow",
    "build_apparatus",
    "infer_levels",
]

NAN = math.nan
V = TypeVar("V")


@dataclasses.dataclass(frozen=True)
class LevelRow:
    level: str
    rank: int
    territorial: bool = False
    attached: bool = False


@dataclasses.dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    level: str
    kind: str = ""
    parent_id: str = ""
    quota: float = NAN
    area_km2: float = NAN
    population: float = NAN
    lat: float = NAN
    lon: float = NAN
    attributes: tuple[tuple[str, float], ...] = ()


@dataclasses.dataclass(frozen=True)
class TaskRow:
    id: str
    name: str
    field: str = ""
    parent_id: str = ""
    legal_basis: str = ""


@dataclasses.dataclass(frozen=True)
class DutyRow:
    unit_id: str
    task_id: str
    role: str = "lead"
    scope: str = ""
    legal_basis: str = ""


@dataclasses.dataclass(frozen=True)
class PersonRow:
    id: str
    unit_id: str
    position: str = ""
    grade: str = ""
    birth_date: date | None = None
    gender: str = ""
    service_start: date | None = None
    salary_coefficient: float = NAN
    attributes: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class ResultRow:
    person_id: str
    period: str
    indicator: str
    target: float
    actual: float
    weight: float = NAN


@dataclasses.dataclass(frozen=True)
class NeighbourRow:
    a: str
    b: str
    border_km: float = NAN


@dataclasses.dataclass(frozen=True)
class StandardRow:
    level: str
    min_area_km2: float = NAN
    min_population: float = NAN
    max_units: float = NAN
    kind: str = ""
    unit_class: str = ""


def _lookup(index: dict[str, int], key: str, what: str, optional: bool = False) -> int:
    if optional and key == "":
        return -1
    try:
        return index[key]
    except KeyError:
        raise ValueError(f"unknown {what} {key!r}") from None


def infer_levels(units: Sequence[UnitRow]) -> list[LevelRow]:
    """Levels from the tree when levels.csv is absent: rank = the smallest depth at which the level
    occurs; none is territorial (the root then stands for the whole territory)."""
    parent = {u.id: u.parent_id for u in units}
    depth: dict[str, int] = {}

    def depth_of(uid: str) -> int:
        chain: list[str] = []
        while uid and uid not in depth and uid in parent and len(chain) <= len(parent):
            chain.append(uid)
            uid = parent[uid]
        d = depth.get(uid, -1) if uid else -1
        for u in reversed(chain):
            d += 1
            depth[u] = d
        return depth[chain[0]] if chain else d

    best: dict[str, int] = {}
    for u in units:
        d = depth_of(u.id)
        best[u.level] = min(best.get(u.level, d), d)
    return [LevelRow(name, rank) for name, rank in sorted(best.items(), key=lambda kv: (kv[1], kv[0]))]


def _attributes(rows: Sequence[tuple[tuple[str, V], ...]], absent: V) -> dict[str, list[V]]:
    """Attribute columns by name (sorted) from per-row (name, value) pairs, ``absent`` where a row
    has no value for a name."""
    names = sorted({k for pairs in rows for k, _ in pairs})
    found = [dict(pairs) for pairs in rows]
    return {k: [values.get(k, absent) for values in found] for k in names}


def _dates(values: Iterable[date | None]) -> np.ndarray:
    return date_column([np.datetime64(v, "D") if v is not None else np.datetime64("NaT") for v in values])


def build_apparatus(
    *,
    units: Sequence[UnitRow],
    levels: Sequence[LevelRow] | None = None,
    tasks: Sequence[TaskRow] = (),
    duties: Sequence[DutyRow] = (),
    people: Sequence[PersonRow] = (),
    results: Sequence[ResultRow] = (),
    neighbours: Sequence[NeighbourRow] = (),
    standards: Sequence[StandardRow] = (),
    info: DatasetInfo | None = None,
) -> Apparatus:
    """An Apparatus from rows; raises ValueError for an id that does not resolve."""
    if levels is None:
        levels = infer_levels(units)
    lv = Levels(
        name=text_column([x.level for x in levels]),
        rank=int_column([x.rank for x in levels]),
        territorial=np.asarray([x.territorial for x in levels], dtype=bool),
        attached=np.asarray([x.attached for x in levels], dtype=bool),
    )
    unit_index = {u.id: i for i, u in enumerate(units)}
    if len(unit_index) != len(units):
        raise ValueError("duplicate unit id")
    un = Units(
        id=text_column([u.id for u in units]),
        name=text_column([u.name for u in units]),
        level=int_column([_lookup(lv.index, u.level, "level") for u in units]),
        kind=text_column([u.kind for u in units]),
        parent=int_column([_lookup(unit_index, u.parent_id, "parent unit", True) for u in units]),
        quota=float_column([u.quota for u in units]),
        area_km2=float_column([u.area_km2 for u in units]),
        population=float_column([u.population for u in units]),
        lat=float_column([u.lat for u in units]),
        lon=float_column([u.lon for u in units]),
        attributes={k: float_column(v) for k, v in _attributes([u.attributes for u in units], NAN).items()},
    )
    task_index = {t.id: i for i, t in enumerate(tasks)}
    if len(task_index) != len(tasks):
        raise ValueError("duplicate task id")
    tk = Tasks(
        id=text_column([t.id for t in tasks]),
        name=text_column([t.name for t in tasks]),
        field=text_column([t.field for t in tasks]),
        parent=int_column([_lookup(task_index, t.parent_id, "parent task", True) for t in tasks]),
        legal_basis=text_column([t.legal_basis for t in tasks]),
    )
    for d in duties:
        if d.role not in ROLES:
            raise ValueError(f"invalid role {d.role!r}")
    du = Duties(
        unit=int_column([_lookup(unit_index, d.unit_id, "unit") for d in duties]),
        task=int_column([_lookup(task_index, d.task_id, "task") for d in duties]),
        role=np.asarray([ROLES.index(d.role) for d in duties], dtype=np.int8),
        scope=int_column([_lookup(unit_index, d.scope, "scope unit", True) for d in duties]),
        legal_basis=text_column([d.legal_basis for d in duties]),
    )
    person_index = {p.id: i for i, p in enumerate(people)}
    if len(person_index) != len(people):
        raise ValueError("duplicate person id")
    pe = People(
        id=text_column([p.id for p in people]),
        unit=int_column([_lookup(unit_index, p.unit_id, "unit") for p in people]),
        position=text_column([p.position for p in people]),
        grade=text_column([p.grade for p in people]),
        birth_date=_dates(p.birth_date for p in people),
        gender=text_column([p.gender for p in people]),
        service_start=_dates(p.service_start for p in people),
        salary_coefficient=float_column([p.salary_coefficient for p in people]),
        attributes={k: text_column(v) for k, v in _attributes([p.attributes for p in people], "").items()},
    )
    re = Results(
        person=int_column([_lookup(person_index, r.person_id, "person") for r in results]),
        period=text_column([r.period for r in results]),
        indicator=text_column([r.indicator for r in results]),
        target=float_column([r.target for r in results]),
        actual=float_column([r.actual for r in results]),
        weight=float_column([r.weight for r in results]),
    )
    pairs = sorted(
        {
            (min(ia, ib), max(ia, ib)): n.border_km
            for n in neighbours
            for ia, ib in [(_lookup(unit_index, n.a, "unit"), _lookup(unit_index, n.b, "unit"))]
        }.items()
    )
    if any(a == b for (a, b), _ in pairs):
        raise ValueError("a unit cannot neighbour itself")
    ne = Neighbours(
        a=int_column([a for (a, _), _ in pairs]),
        b=int_column([b for (_, b), _ in pairs]),
        border_km=float_column([km for _, km in pairs]),
    )
    keys = [(s.level, s.kind, s.unit_class) for s in standards]
    if len(set(keys)) < len(keys):
        twice = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"standards: one row per level, kind and class; {twice} is repeated")
    st = Standards(
        level=int_column([_lookup(lv.index, s.level, "level") for s in standards]),
        kind=text_column([s.kind for s in standards]),
        unit_class=text_column([s.unit_class for s in standards]),
        min_area_km2=float_column([s.min_area_km2 for s in standards]),
        min_population=float_column([s.min_population for s in standards]),
        max_units=float_column([s.max_units for s in standards]),
    )
    return Apparatus(
        levels=lv,
        units=un,
        tasks=tk,
        duties=du,
        people=pe,
        results=re,
        neighbours=ne,
        standards=st,
        info=info or DatasetInfo(),
    )
