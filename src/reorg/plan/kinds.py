"""Kinds and classes of units, and which standard judges a unit: each rule written once.

A standards row (``Apparatus.standards``) applies to the units of its level whose ``kind`` is the row's
kind (``""`` = any kind) and that belong to the row's class (``""`` = any class). A unit belongs to
class ``c`` when its attribute ``c_km2`` (the km² of the unit that are in the class: mountainous land,
island) is positive and at least half its area (any positive value when its area is unknown).

**The most specific standard** judges a unit: among the rows that apply to it, level + kind + class
comes first, then level + kind, then level + class, then level alone; between rows equally specific
(a unit in two classes), the one listed first. Adding a less specific row never changes the standard of
a unit a more specific one covers. The ``standards`` invariant and the ``below_standard`` finding
(through ``reorg.plan.rules.standard_facts``) and the territory proposal's minimums all ask
``applicable_standards``.

**A merged unit's kind** (``merged_kind``), unless the merge gives it (``into.kind``): a ward when any
member is a ward (a kind in ``WARD_KINDS``; in 2025 communes merged with wards became wards); otherwise
the kind whose members hold the most people (when no member's population is known, the kind of most
members), a tie going to the first member's. On the enacted 2025 commune merges of ``vietnam-2024``
this gives the enacted kind for 2,672 of 2,743 merges (97 %; the kind holding most people alone: 2,562);
most misses are a township merged with communes into a commune, townships having been abolished.
**Its class** needs no rule of its own: ``c_km2`` is additive, so a merge sums it and the merged unit is
in class ``c`` when most of its area is (``merged_classes`` says the same from the members' figures).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus
from reorg.model.tables import Units
from reorg.model.values import CLASS_SUFFIX

__all__ = [
    "WARD_KINDS",
    "applicable_standards",
    "class_attribute",
    "class_members",
    "in_class",
    "merged_classes",
    "merged_kind",
    "row_members",
    "specificity",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: kinds of urban units: a merge with any of them is of that kind (Vietnamese and English spellings)
WARD_KINDS: tuple[str, ...] = ("Phường", "ward")


def class_attribute(unit_class: str) -> str:
    """The unit attribute holding the km² of a unit in ``unit_class`` (``mountainous_km2``)."""
    return unit_class + CLASS_SUFFIX


def _members(class_km2: FloatArray, area_km2: FloatArray) -> BoolArray:
    """The class rule on columns: positive and at least half the area (any positive figure when the
    area is unknown); NaN = not in the class."""
    with np.errstate(invalid="ignore"):
        return (class_km2 > 0) & (np.isnan(area_km2) | (class_km2 >= 0.5 * area_km2))


def in_class(class_km2: float, area_km2: float) -> bool:
    """Is a unit with ``class_km2`` of its ``area_km2`` in the class? (the rule of the module)"""
    return bool(_members(np.array([class_km2]), np.array([area_km2]))[0])


def class_members(units: Units, unit_class: str) -> BoolArray:
    """Per unit: in ``unit_class``; all False when no unit carries the class's attribute."""
    values = units.attributes.get(class_attribute(unit_class))
    if values is None:
        return np.zeros(len(units), dtype=bool)
    return _members(values, units.area_km2)


def specificity(kind: str, unit_class: str) -> int:
    """How specific a row is: level + kind + class 3, level + kind 2, level + class 1, level 0."""
    return 2 * bool(kind) + bool(unit_class)


def applicable_standards(app: Apparatus) -> IntArray:
    """Per unit, the row of ``app.standards`` that judges it (the most specific that applies, see the
    module), -1 when none does."""
    st, units = app.standards, app.units
    out = np.full(len(units), -1, dtype=np.int64)
    kinds, classes = st.kind.tolist(), st.unit_class.tolist()
    order = sorted(range(len(st)), key=lambda r: (-specificity(kinds[r], classes[r]), r))
    members: dict[str, BoolArray] = {}
    for r in order:
        applies = (units.level == st.level[r]) & (out < 0)
        if kinds[r]:
            applies &= units.kind == kinds[r]
        if classes[r]:
            if classes[r] not in members:
                members[classes[r]] = class_members(units, classes[r])
            applies &= members[classes[r]]
        out[applies] = r
    return out


def row_members(app: Apparatus) -> list[BoolArray]:
    """Per standards row, the units it applies to (its level, kind and class), whether or not a more
    specific row judges them: what the row's ``max_units`` counts."""
    st, units = app.standards, app.units
    out = []
    for r in range(len(st)):
        applies = units.level == st.level[r]
        if st.kind[r]:
            applies = applies & (units.kind == st.kind[r])
        if st.unit_class[r]:
            applies = applies & class_members(units, str(st.unit_class[r]))
        out.append(applies)
    return out


def merged_kind(kinds: Sequence[str], populations: Sequence[float]) -> str:
    """The kind of the unit merged from members of ``kinds`` with ``populations`` (NaN = unknown), by
    the rule of the module: a ward if any member is one; else the kind holding most people (or, with no
    population known, most members), ties to the first member's."""
    wards = [k for k in kinds if k in WARD_KINDS]
    if wards:
        return wards[0]
    if not kinds:
        return ""
    weight: dict[str, float] = {}
    known = any(not math.isnan(p) for p in populations)
    for kind, pop in zip(kinds, populations, strict=True):
        add = (0.0 if math.isnan(pop) else pop) if known else 1.0
        weight[kind] = weight.get(kind, 0.0) + add
    return max(weight, key=lambda k: weight[k])  # the first of equal weights: dicts keep member order


def merged_classes(
    members: Iterable[Mapping[str, float]], area_km2: float, classes: Iterable[str]
) -> tuple[str, ...]:
    """The classes of a unit of ``area_km2`` merged from ``members`` (each its attributes by name): those
    whose ``<class>_km2``, summed, is in the class (``in_class``)."""
    rows = list(members)
    out = []
    for c in classes:
        key = class_attribute(c)
        values = [m[key] for m in rows if key in m and not math.isnan(m[key])]
        if values and in_class(math.fsum(values), area_km2):
            out.append(c)
    return tuple(out)
