"""One reader per file of a bundle: a Sheet of text in, a checked columnar table out.

References are resolved once through id -> row dicts; every refusal names the file, the row and the
column. Units: km² (area), people (population), headcount (quota), decimal degrees WGS 84 (lat/lon),
km (border_km), salary coefficient as a multiple of the base salary.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import numpy.typing as npt

from reorg.io.checks import check_tree, first_duplicate, first_duplicate_text
from reorg.io.convert import choice, dates, flags, numbers, refs, texts, unique_index
from reorg.io.sheets import Sheet
from reorg.model import (
    ROLES,
    Duties,
    Levels,
    LineageEdge,
    Neighbours,
    People,
    Results,
    Standards,
    Tasks,
    UnitRow,
    Units,
    infer_levels,
)
from reorg.model.values import RANGES, class_problem

__all__ = [
    "read_duties",
    "read_levels",
    "read_lineage",
    "read_neighbours",
    "read_people",
    "read_results",
    "read_standards",
    "read_tasks",
    "read_units",
    "territorial",
]

Index = Mapping[str, int]

IN_UNITS = "the id of a unit in units"
LEVELS_FROM = "listed in levels (or used in units when there is no levels file)"


def read_levels(sheet: Sheet) -> Levels:
    """levels: name, rank (0 = top), territorial, attached."""
    names = texts(sheet, "level", required=True)
    unique_index(sheet, "level")
    rank = numbers(sheet, "rank", RANGES["rank"], required=True)
    return Levels(
        name=names,
        rank=rank.astype(np.int32),
        territorial=flags(sheet, "territorial"),
        attached=flags(sheet, "attached"),
    )


def _inferred_levels(ids: npt.NDArray[np.object_], level: npt.NDArray[np.object_], sheet: Sheet) -> Levels:
    parent_ids = sheet.columns.get("parent_id", [""] * sheet.n)
    rows = [UnitRow(u, "", lv, parent_id=p) for u, lv, p in zip(ids, level, parent_ids, strict=True)]
    found = infer_levels(rows)
    return Levels(
        name=np.array([x.level for x in found], dtype=object),
        rank=np.array([x.rank for x in found], dtype=np.int32),
        territorial=np.array([x.territorial for x in found], dtype=bool),
        attached=np.zeros(len(found), dtype=bool),
    )


def _extra(sheet: Sheet) -> list[str]:
    """The columns of ``sheet`` its file does not define: attributes, in header order."""
    return [c for c in sheet.columns if c not in sheet.spec.columns]


def read_units(sheet: Sheet, levels: Levels | None) -> tuple[Units, Levels, dict[str, int]]:
    """units, with the levels (inferred from the tree when ``levels`` is None) and the id index."""
    ids = texts(sheet, "id", required=True)
    index = unique_index(sheet, "id")
    level_names = texts(sheet, "level", required=True)
    parent = refs(sheet, "parent_id", index, expected="the id of another unit in this file", optional=True)
    check_tree(sheet, parent, ids, "unit")
    if levels is None:
        levels = _inferred_levels(ids, level_names, sheet)
        known = "used in units"
    else:
        known = "listed in levels"
    level_index = {str(name): k for k, name in enumerate(levels.name)}
    attributes = {name: numbers(sheet, name, RANGES["attribute"]) for name in _extra(sheet)}
    units = Units(
        id=ids,
        name=texts(sheet, "name", required=True),
        level=refs(sheet, "level", level_index, expected=f"a level {known}"),
        kind=texts(sheet, "kind"),
        parent=parent,
        quota=numbers(sheet, "quota", RANGES["quota"]),
        area_km2=numbers(sheet, "area_km2", RANGES["area_km2"]),
        population=numbers(sheet, "population", RANGES["population"]),
        lat=numbers(sheet, "lat", RANGES["lat"]),
        lon=numbers(sheet, "lon", RANGES["lon"]),
        attributes=attributes,
    )
    return units, levels, index


def territorial(units: Units, levels: Levels) -> npt.NDArray[np.bool_]:
    """Per unit: does it carry territory (its level is territorial, or it is a root)?"""
    carries = levels.territorial[units.level].copy()
    carries[units.parent < 0] = True
    return carries


def read_tasks(sheet: Sheet) -> tuple[Tasks, dict[str, int]]:
    """tasks: the catalogue, a forest by parent_id."""
    ids = texts(sheet, "id", required=True)
    index = unique_index(sheet, "id")
    parent = refs(sheet, "parent_id", index, expected="the id of another task in this file", optional=True)
    check_tree(sheet, parent, ids, "task")
    tasks = Tasks(
        id=ids,
        name=texts(sheet, "name", required=True),
        field=texts(sheet, "field"),
        parent=parent,
        legal_basis=texts(sheet, "legal_basis"),
    )
    return tasks, index


def read_duties(sheet: Sheet, units: Index, tasks: Index, carries_territory: npt.NDArray[np.bool_]) -> Duties:
    """duties: (unit, task, role, scope); a scope must be a territorial unit; no duty twice."""
    unit = refs(sheet, "unit_id", units, expected=IN_UNITS)
    task = refs(sheet, "task_id", tasks, expected="the id of a task in tasks")
    role = choice(sheet, "role", ROLES)
    scope = refs(sheet, "scope", units, expected=IN_UNITS, optional=True)
    not_territory = (scope >= 0) & ~carries_territory[np.maximum(scope, 0)]
    if not_territory.any():
        i = int(np.argmax(not_territory))
        value = sheet.columns["scope"][i]
        raise sheet.error(i, "scope", "a territorial unit (its level is territorial, or it is a root)", value)
    twice = first_duplicate([unit, task, role.astype(np.int32), scope])
    if twice:
        first, later = twice
        raise sheet.error(
            later, None, f"each duty once; the same unit, task, role and scope is at row {sheet.row(first)}"
        )
    return Duties(unit=unit, task=task, role=role, scope=scope, legal_basis=texts(sheet, "legal_basis"))


def read_people(sheet: Sheet, units: Index, today: date) -> tuple[People, dict[str, int]]:
    """people: staff; dates not in the future and service not starting before birth. Extra columns
    are person attributes, kept verbatim as text."""
    ids = texts(sheet, "id", required=True)
    index = unique_index(sheet, "id")
    birth = dates(sheet, "birth_date", today=today)
    start = dates(sheet, "service_start", today=today)
    early = start < birth
    if early.any():
        i = int(np.argmax(early))
        raise sheet.error(
            i, "service_start", "a date not before birth_date", sheet.columns["service_start"][i]
        )
    people = People(
        id=ids,
        unit=refs(sheet, "unit_id", units, expected=IN_UNITS),
        position=texts(sheet, "position"),
        grade=texts(sheet, "grade"),
        birth_date=birth,
        gender=texts(sheet, "gender"),
        service_start=start,
        salary_coefficient=numbers(sheet, "salary_coefficient", RANGES["salary_coefficient"]),
        attributes={name: texts(sheet, name) for name in _extra(sheet)},
    )
    return people, index


def read_results(sheet: Sheet, people: Index) -> Results:
    """results: per person, period and indicator (once each), a target and an actual."""
    person = refs(sheet, "person_id", people, expected="the id of a person in people")
    period = texts(sheet, "period", required=True)
    indicator = texts(sheet, "indicator", required=True)
    twice = first_duplicate_text([person.tolist(), period.tolist(), indicator.tolist()])
    if twice:
        first, later = twice
        raise sheet.error(
            later,
            None,
            f"one result per person, period and indicator; this one repeats row {sheet.row(first)}",
        )
    return Results(
        person=person,
        period=period,
        indicator=indicator,
        target=numbers(sheet, "target", RANGES["target"], required=True),
        actual=numbers(sheet, "actual", RANGES["actual"], required=True),
        weight=numbers(sheet, "weight", RANGES["weight"]),
    )


def read_neighbours(sheet: Sheet, units: Index) -> Neighbours:
    """neighbours: pairs of units (either order, each pair once), stored with a < b."""
    a = refs(sheet, "a", units, expected=IN_UNITS)
    b = refs(sheet, "b", units, expected=IN_UNITS)
    itself = a == b
    if itself.any():
        i = int(np.argmax(itself))
        raise sheet.error(
            i, "b", "a unit other than a (a unit does not neighbour itself)", sheet.columns["b"][i]
        )
    low, high = np.minimum(a, b), np.maximum(a, b)
    twice = first_duplicate([low, high])
    if twice:
        first, later = twice
        raise sheet.error(
            later, None, f"each pair once (in either order); it is already at row {sheet.row(first)}"
        )
    border = numbers(sheet, "border_km", RANGES["border_km"])
    return Neighbours(a=low, b=high, border_km=border)


def read_standards(sheet: Sheet, levels: Levels) -> Standards:
    """standards: per level (and, optionally, kind of unit and class), the minimum area and population
    and the maximum number of units; each (level, kind, class) once."""
    level_index = {str(name): k for k, name in enumerate(levels.name)}
    level = refs(sheet, "level", level_index, expected=f"a level {LEVELS_FROM}")
    kind = texts(sheet, "kind")
    unit_class = texts(sheet, "class")
    for i, name in enumerate(unit_class.tolist()):
        problem = class_problem(name) if name else None
        if problem:
            raise sheet.error(i, "class", problem, name)
    twice = first_duplicate_text([level.tolist(), kind.tolist(), unit_class.tolist()])
    if twice:
        raise sheet.error(
            twice[1],
            "level",
            f"one row per level, kind and class; already at row {sheet.row(twice[0])}",
        )
    return Standards(
        level=level,
        kind=kind,
        unit_class=unit_class,
        min_area_km2=numbers(sheet, "min_area_km2", RANGES["min_area_km2"]),
        min_population=numbers(sheet, "min_population", RANGES["min_population"]),
        max_units=numbers(sheet, "max_units", RANGES["max_units"]),
    )


def read_lineage(sheet: Sheet) -> tuple[LineageEdge, ...]:
    """lineage: which unit came from which (ids, not rows: they may name units that are gone); a unit
    made by ``create`` came from nothing (empty source)."""
    source = texts(sheet, "source")
    target = texts(sheet, "target", required=True)
    kind = texts(sheet, "kind", required=True)
    sourceless = (source == "") & (kind != "create")
    if sourceless.any():
        i = int(np.argmax(sourceless))
        raise sheet.error(i, "source", "a value (this column is required, except for a unit created)")
    operation = numbers(sheet, "operation", RANGES["operation"], required=True)
    share = numbers(sheet, "share", RANGES["share"])
    share = np.where(np.isnan(share), 1.0, share)
    return tuple(
        LineageEdge(str(s), str(t), str(k), int(o), float(x))
        for s, t, k, o, x in zip(source, target, kind, operation, share, strict=True)
    )
