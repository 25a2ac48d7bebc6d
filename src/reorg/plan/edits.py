"""Steps that several operations share: looking up levels, checking a new parent, pouring one unit into
another, adding up a unit's numbers, and walking the territory below a unit."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from reorg.plan.rules import ranked_below
from reorg.plan.state import State, add_numbers

__all__ = [
    "ADDITIVE_TERRITORY",
    "centre",
    "check_under",
    "connected",
    "inside",
    "level_of",
    "pour",
    "territorial_below",
    "total",
]

#: numbers that describe a territory: a unit's ancestors already include them
ADDITIVE_TERRITORY = ("area_km2", "population")


def level_of(st: State, name: str) -> int:
    """Row of level ``name``, or refuse."""
    index = st.app.levels.index.get(name)
    if index is None:
        raise st.refuse("plan.unknown_level", {"level": name}, [name])
    return index


def check_under(st: State, level: int, parent: int, who: str) -> None:
    """Refuse (invariant ``tree``) a unit of ``level`` under ``parent`` unless ``parent``'s level ranks
    strictly above it."""
    if not ranked_below(st.rank[level], st.rank[st.level[parent]]):
        names = st.app.levels.name
        params = {
            "unit": who,
            "level": str(names[level]),
            "parent": st.ids[parent],
            "parent_level": str(names[st.level[parent]]),
        }
        raise st.refuse("tree.not_above", params, [who, st.ids[parent]])


def inside(st: State, u: int, group: set[int]) -> bool:
    """Is ``u`` one of ``group`` or below one of them?"""
    while u >= 0:
        if u in group:
            return True
        u = st.parent[u]
    return False


def territorial_below(st: State, u: int) -> list[int]:
    """The nearest territorial units below ``u`` (reached through agencies too), in child order."""
    out, stack = [], list(reversed(st.children(u)))
    while stack:
        v = stack.pop()
        if st.terr[v]:
            out.append(v)
        else:
            stack.extend(reversed(st.children(v)))
    return out


def connected(st: State, units: Sequence[int]) -> bool:
    """Are ``units`` one connected group in the neighbour graph, using only edges among them?"""
    if len(units) <= 1:
        return True
    group, seen, stack = set(units), {units[0]}, [units[0]]
    while stack:
        for v in st.adj(stack.pop()):
            if v in group and v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen) == len(group)


def pour(st: State, source: int, target: int, territory: Mapping[int, int] | None = None) -> None:
    """Everything ``source`` holds goes to ``target``: its duties, each still covering the territory it
    covered (renamed through ``territory`` when that territory itself becomes another, as in a merge;
    identical duties collapse, a lead beats a support), its children and its staff."""
    rename = territory or {}
    own = st.owner[target]
    moved = []
    for (task, scope), (role, basis) in st.take_duties(source):
        covered = st.resolve(source, scope)
        covered = rename.get(covered, covered)
        moved.append((task, role, -1 if covered == own else covered, basis))
    st.put_duties(target, moved)
    for child in list(st.children(source)):
        st.set_parent(child, target)
    st.move_people(st.staff(source), target)


def centre(points: Iterable[tuple[float, float, float, float]]) -> tuple[float, float]:
    """Weighted centre of ``(lat, lon, population, area_km2)`` points: by population when every point has
    one, else by area when every point has one, else plain; points without coordinates are skipped."""
    pts = [p for p in points if not (math.isnan(p[0]) or math.isnan(p[1]))]
    if not pts:
        return math.nan, math.nan
    weights = [1.0] * len(pts)
    for column in (3, 2):
        values = [p[column] for p in pts]
        if all(not math.isnan(w) and w > 0 for w in values):
            weights = values
    total = sum(weights)
    return (
        sum(p[0] * w for p, w in zip(pts, weights, strict=True)) / total,
        sum(p[1] * w for p, w in zip(pts, weights, strict=True)) / total,
    )


def total(values: Iterable[float]) -> float:
    """Sum where NaN means unknown (unknown only if every value is)."""
    out = math.nan
    for v in values:
        out = add_numbers(out, v)
    return out
