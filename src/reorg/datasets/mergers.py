"""A clean apparatus with planted duplicate and contained agencies, to test that ``propose merge``
finds the planted pairs and little else (``planted_mergers``); and ministries with departments, a
merger plan and planted department pairs across ministries, for the internal model after a merger
(``planted_internal``).

The clean part::

    nation VN ── ministries M0..M<k-1>      M<k> leads national tasks N<k>.0..9 (field "F<k>")
              └─ provinces P0.. ── departments P<p>.D<k>   each leads tasks R<k>.0..9 for its province
                                                            (field "F<k>")

Every ministry and department also supports two tasks of other fields in its place, drawn at random
(coordination), and has 3 people per task held (±1) within a quota 20 % above.

Planted (``PlantedPair`` records them), in places drawn from ``seed``:

- a *duplicate*: a new unit beside P<p>.D<k> (or M<k>) supporting all of its ten tasks and leading one
  task of its own in the same field (containment 10/11, Jaccard 10/11);
- a *contained* unit: a new unit beside a department (or ministry) supporting three of its ten tasks
  and leading one of its own in the same field (containment 3/4, Jaccard 3/11: Jaccard misses it).

A planted department's own task is led by the province itself in the other provinces, so every task
has one lead in each place.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from reorg.model import (
    Apparatus,
    DatasetInfo,
    DutyRow,
    LevelRow,
    PersonRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)
from reorg.plan.operations import Merge, NewUnit, Plan

__all__ = ["PlantedDepartments", "PlantedPair", "planted_internal", "planted_mergers"]

LEVELS = (
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1),
    LevelRow("province", 1, True),
    LevelRow("department", 2),
)
TASKS = 10  # tasks per field


@dataclasses.dataclass(frozen=True)
class PlantedPair:
    """A planted pair of one level: ``kind`` "duplicate" or "contained"; ``unit`` is the planted unit,
    ``host`` the unit it duplicates or lies inside."""

    kind: str
    level: str
    unit: str
    host: str


def planted_mergers(
    seed: int, *, fields: int = 8, provinces: int = 6, duplicates: int = 3, contained: int = 3
) -> tuple[Apparatus, list[PlantedPair]]:
    """The apparatus and its planted pairs (see the module docstring); one of each kind at the ministry
    level, the rest among departments of distinct (province, field). The same seed gives the same
    output."""
    if fields < 3 or provinces < 1 or duplicates < 1 or contained < 1:
        raise ValueError("planted_mergers needs fields >= 3, provinces >= 1, duplicates >= 1, contained >= 1")
    if duplicates + contained - 2 > provinces * fields:
        raise ValueError("planted_mergers: more planted pairs than departments")
    rng = np.random.default_rng(seed)
    units = [UnitRow("VN", "Nation", "nation")]
    tasks: list[TaskRow] = []
    duties: list[DutyRow] = []
    for k in range(fields):
        tasks += [TaskRow(f"N{k}.{j}", f"National task {k}.{j}", field=f"F{k}") for j in range(TASKS)]
        tasks += [TaskRow(f"R{k}.{j}", f"Provincial task {k}.{j}", field=f"F{k}") for j in range(TASKS)]
    places: list[tuple[str, list[str], str]] = [("VN", [f"M{k}" for k in range(fields)], "N")]
    units += [UnitRow(f"M{k}", f"Ministry {k}", "ministry", parent_id="VN") for k in range(fields)]
    for p in range(provinces):
        units.append(UnitRow(f"P{p}", f"Province {p}", "province", parent_id="VN"))
        ids = [f"P{p}.D{k}" for k in range(fields)]
        units += [
            UnitRow(u, f"Department {k} of Province {p}", "department", parent_id=f"P{p}")
            for k, u in enumerate(ids)
        ]
        places.append((f"P{p}", ids, "R"))
    for _, ids, prefix in places:
        for k, u in enumerate(ids):
            duties += [DutyRow(u, f"{prefix}{k}.{j}") for j in range(TASKS)]
            others = [f for f in range(fields) if f != k]
            for f in rng.choice(others, size=2, replace=False).tolist():
                duties.append(DutyRow(u, f"{prefix}{f}.{int(rng.integers(TASKS))}", "support"))
    planted: list[PlantedPair] = []
    slots = [(p, k) for p in range(provinces) for k in range(fields)]
    picks = [slots[int(i)] for i in rng.permutation(len(slots))[: duplicates + contained - 2]]
    spots = [(-1, int(rng.integers(fields))), *picks[: duplicates - 1]]
    m_other = int(rng.choice([k for k in range(fields) if k != spots[0][1]]))
    spots_c = [(-1, m_other), *picks[duplicates - 1 :]]
    for n, (kind, (p, k)) in enumerate(
        [("duplicate", s) for s in spots] + [("contained", s) for s in spots_c]
    ):
        host = f"M{k}" if p < 0 else f"P{p}.D{k}"
        prefix, parent, level = ("N", "VN", "ministry") if p < 0 else ("R", f"P{p}", "department")
        new = f"{host}.{kind[0].upper()}{n}"
        units.append(UnitRow(new, f"Planted {kind} {n}", level, parent_id=parent))
        own = f"X{n}"
        tasks.append(TaskRow(own, f"Own task of planted unit {n}", field=f"F{k}"))
        duties.append(DutyRow(new, own))
        if p >= 0:  # elsewhere each province leads that task itself, so every place has a lead
            duties += [DutyRow(f"P{q}", own) for q in range(provinces) if q != p]
        shared = range(TASKS) if kind == "duplicate" else rng.choice(TASKS, size=3, replace=False).tolist()
        duties += [DutyRow(new, f"{prefix}{k}.{j}", "support") for j in shared]
        planted.append(PlantedPair(kind, level, new, host))
    held: dict[str, int] = {}
    for d in duties:
        held[d.unit_id] = held.get(d.unit_id, 0) + 1
    people = [
        PersonRow(f"{u}#{i}", u) for u, n in held.items() for i in range(3 * n + int(rng.integers(-1, 2)))
    ]
    units = _with_quotas(units, held)
    info = _info(f"planted-mergers-{seed}", "planted duplicate and contained units")
    app = build_apparatus(levels=LEVELS, units=units, tasks=tasks, duties=duties, people=people, info=info)
    return app, planted


@dataclasses.dataclass(frozen=True)
class PlantedDepartments:
    """A planted department pair (``unit`` duplicates or lies inside ``host``, a department of another
    ministry); ``merged``: the two ministries are merged by the merger plan, so the internal model
    should consolidate the pair (else it must not touch it)."""

    kind: str
    unit: str
    host: str
    merged: bool


def planted_internal(
    seed: int, *, ministries: int = 6, departments: int = 5, merged: int = 2
) -> tuple[Apparatus, Plan, list[PlantedDepartments]]:
    """An apparatus of ministries with departments, a merger plan and planted department pairs, to test
    the internal model after a merger::

        nation VN ── ministries M0..M<k-1> ── departments M<k>.D<j>   each leads tasks T<k>.<j>.0..5
                                                                      (national; field "F<k>.<j>")

    Every department also supports two tasks of other departments (coordination). The merger plan
    merges ministries M0+M1, M2+M3, ... (``merged`` pairs) into M01, M23, ...; the remaining
    ministries are left alone. In each ministry pair, and between each two remaining ministries, a
    department of the second ministry is planted as a *duplicate* of one of the first (supports all
    its tasks, leads one task of its own in that field) and another as *contained* in one (supports
    three of its six tasks, leads one of its own). Only the pairs of merged ministries end in one
    place. People: per unit 3 per task held (±1), a director and a deputy director (two in a ministry),
    the rest officers; quotas 20 % above. The same seed gives the same output."""
    if departments < 3 or merged < 1 or ministries < 2 * merged + 2:
        raise ValueError("planted_internal needs departments >= 3, merged >= 1, ministries >= 2 * merged + 2")
    rng = np.random.default_rng(seed)
    per = 6  # tasks per department
    levels = (LevelRow("nation", 0, True), LevelRow("ministry", 1), LevelRow("department", 2))
    units = [UnitRow("VN", "Nation", "nation")]
    tasks: list[TaskRow] = []
    duties: list[DutyRow] = []
    for k in range(ministries):
        units.append(UnitRow(f"M{k}", f"Ministry {k}", "ministry", parent_id="VN"))
        tasks.append(TaskRow(f"T{k}.m", f"Task of ministry {k}", field=f"F{k}.m"))
        duties.append(DutyRow(f"M{k}", f"T{k}.m"))
        for j in range(departments):
            dep = f"M{k}.D{j}"
            units.append(UnitRow(dep, f"Department {j} of ministry {k}", "department", parent_id=f"M{k}"))
            tasks += [TaskRow(f"T{k}.{j}.{t}", f"Task {k}.{j}.{t}", field=f"F{k}.{j}") for t in range(per)]
            duties += [DutyRow(dep, f"T{k}.{j}.{t}") for t in range(per)]
    every = [(k, j) for k in range(ministries) for j in range(departments)]
    for k, j in every:
        others = [x for x in every if x != (k, j)]
        for n in rng.choice(len(others), size=2, replace=False).tolist():
            ok, oj = others[n]
            duties.append(DutyRow(f"M{k}.D{j}", f"T{ok}.{oj}.{int(rng.integers(per))}", "support"))
    pairs = [(2 * i, 2 * i + 1, True) for i in range(merged)]
    pairs += [(a, a + 1, False) for a in range(2 * merged, ministries - 1, 2)]
    planted: list[PlantedDepartments] = []
    for a, b, is_merged in pairs:
        hosts = rng.choice(departments, size=2, replace=False).tolist()
        for n, (kind, j) in enumerate((("duplicate", hosts[0]), ("contained", hosts[1]))):
            host, new = f"M{a}.D{j}", f"M{b}.P{kind[0].upper()}{n}"
            units.append(
                UnitRow(new, f"Planted {kind} department of ministry {b}", "department", parent_id=f"M{b}")
            )
            own = f"X{b}.{n}"
            tasks.append(TaskRow(own, f"Own task of {new}", field=f"F{a}.{j}"))
            duties.append(DutyRow(new, own))
            shared = range(per) if kind == "duplicate" else rng.choice(per, size=3, replace=False).tolist()
            duties += [DutyRow(new, f"T{a}.{j}.{t}", "support") for t in shared]
            planted.append(PlantedDepartments(kind, new, host, is_merged))
    held: dict[str, int] = {}
    for d in duties:
        held[d.unit_id] = held.get(d.unit_id, 0) + 1
    people: list[PersonRow] = []
    for u in units[1:]:
        n = 3 * held[u.id] + int(rng.integers(-1, 2))
        titles = ["director", "deputy director"] + (["deputy director"] if u.level == "ministry" else [])
        titles += ["officer"] * (n - len(titles))
        people += [PersonRow(f"{u.id}#{i}", u.id, position=title) for i, title in enumerate(titles)]
    units = _with_quotas(units, held)
    info = _info(
        f"planted-internal-{seed}", "ministries with departments, planted duplicate and contained departments"
    )
    app = build_apparatus(levels=levels, units=units, tasks=tasks, duties=duties, people=people, info=info)
    ops = tuple(
        Merge(units=(f"M{a}", f"M{b}"), into=NewUnit(f"M{a}{b}", f"Ministry {a}+{b}"))
        for a, b, m in pairs
        if m
    )
    plan = Plan(baseline=info.name, operations=ops, name="merge-ministries", require=())
    return app, plan, planted


def _with_quotas(units: list[UnitRow], held: dict[str, int]) -> list[UnitRow]:
    """Each unit holding duties gets a quota of 3.6 people per duty (its people are about 3 per duty)."""
    return [
        dataclasses.replace(u, quota=float(round(3.6 * held[u.id]))) if u.id in held else u for u in units
    ]


def _info(name: str, description: str) -> DatasetInfo:
    """A planted dataset's info: everything in it is synthetic."""
    return DatasetInfo(
        name=name,
        description=description,
        source="reorg.datasets.mergers",
        synthetic=("units", "tasks", "duties", "people"),
    )
