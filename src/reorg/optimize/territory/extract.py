"""From an Apparatus to the solver's arrays: the units of one level, their neighbour graph, attribute
columns, nesting groups, locked atoms and kept-apart pairs, and the weighted objective features.

Everything here reads the apparatus and never changes it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus, level_rows
from reorg.optimize.territory.graph import Graph
from reorg.optimize.territory.spec import STANDARD_FIGURES, TerritorySpec, standard_fill, waived_fill
from reorg.plan.operations import Merge, Plan
from reorg.plan.rules import standard_facts

__all__ = ["LevelData", "column", "extract", "former_units", "group_features", "nesting_from_plan"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: mean Earth radius, km (locations in degrees become km for the moment of inertia)
EARTH_RADIUS_KM = 6371.0
SPEC = "territory spec"


@dataclasses.dataclass(frozen=True, eq=False)
class LevelData:
    """The units of one level (positions 0..n-1), grouped for nesting and contracted into atoms.

    ``values`` holds one column per constrained attribute of the spec and ``balance`` the balanced
    attribute (NaN counted as 0; ``missing`` flags the NaNs per attribute). ``atom`` maps a position
    to its atom (locked units share one, always inside one group); ``atom_graph`` is the contracted
    graph and ``apart`` lists atom pairs to keep apart."""

    rows: IntArray
    ids: list[str]
    names: list[str]
    graph: Graph
    values: FloatArray
    balance: FloatArray
    missing: dict[str, npt.NDArray[np.bool_]]
    group: IntArray
    group_ids: list[str]
    atom: IntArray
    atom_graph: Graph
    apart: list[tuple[int, int]]

    @property
    def n(self) -> int:
        return len(self.ids)


def column(app: Apparatus, name: str, rows: IntArray) -> FloatArray:
    """The numeric attribute ``name`` (area_km2, population, quota, lat, lon or an extra column of
    units.csv) for ``rows``; or a standard fill (``standard_fill``): the figure over each unit's own
    minimum, from the standard that judges the unit (``reorg.plan.rules.standard_facts``)."""
    units = app.units
    fills = {standard_fill(k): k for k in STANDARD_FIGURES}
    if name in fills:
        return _fill(app, fills[name], rows)
    if name in ("area_km2", "population", "quota", "lat", "lon"):
        return np.asarray(getattr(units, name)[rows], dtype=np.float64)
    if name in units.attributes:
        return np.asarray(units.attributes[name][rows], dtype=np.float64)
    known = ", ".join(["area_km2", "population", "quota", *sorted(units.attributes)])
    raise NotFoundError(f"unknown unit attribute {name!r}; known: {known}")


def constrained_column(app: Apparatus, name: str, rows: IntArray, spec: TerritorySpec) -> FloatArray:
    """``column``, with the spec's waiver applied to a standard fill (``waived_fill``): the values the
    solver sums and the explanation judges."""
    values = column(app, name, rows)
    if name in {standard_fill(k) for k in spec.standard_minimums}:
        return waived_fill(values, spec.standard_waiver)
    return values


def _fill(app: Apparatus, figure: str, rows: IntArray) -> FloatArray:
    """``figure`` of ``rows`` over each one's own standard minimum; refused when a unit has none."""
    facts = standard_facts(app)
    minimum = (facts.min_area if figure == "area_km2" else facts.min_population)[rows]
    lacking = np.flatnonzero(~(minimum > 0))
    if len(lacking):
        uid = str(app.units.id[rows[lacking[0]]])
        raise InputError(
            SPEC,
            f"a standard with a positive minimum {figure} for every unit of the level (standards.csv)",
            column="standard_minimums",
            value=uid,
        )
    return np.asarray(getattr(app.units, figure)[rows], dtype=np.float64) / minimum


def extract(app: Apparatus, level: str, spec: TerritorySpec) -> LevelData:
    """The arrays for dividing the units of ``level`` under ``spec``."""
    per_level = level_rows(app)
    if level not in per_level:
        raise NotFoundError(f"unknown level {level!r}; levels: {', '.join(per_level)}")
    rows = per_level[level].astype(np.int64)
    if len(rows) == 0:
        raise NotFoundError(f"level {level!r} has no units")
    ids = [str(x) for x in app.units.id[rows].tolist()]
    adjacency = app.adjacency[rows][:, rows]
    graph = Graph.from_matrix(adjacency)
    raw = [constrained_column(app, name, rows, spec) for name in spec.constrained]
    values = np.stack([np.nan_to_num(c, nan=0.0) for c in raw], axis=1) if raw else np.zeros((len(rows), 0))
    missing = {name: np.isnan(c) for name, c in zip(spec.constrained, raw, strict=True)}
    balance = np.zeros(len(rows))
    if spec.weights.balance > 0:
        by = spec.weights.balance_by or next(iter(spec.minimums), "population")
        balance = np.nan_to_num(column(app, by, rows), nan=0.0)
    group_ids, group = _groups(app, rows, ids, spec.nest_by)
    position = {uid: i for i, uid in enumerate(ids)}
    atom = _atoms(spec.locked_together, position, group, graph)
    apart = _apart(spec.kept_apart, position, atom)
    return LevelData(
        rows=rows,
        ids=ids,
        names=[str(x) for x in app.units.name[rows].tolist()],
        graph=graph,
        values=values,
        balance=balance,
        missing=missing,
        group=group,
        group_ids=group_ids,
        atom=atom,
        atom_graph=graph.contract(atom, int(atom.max()) + 1),
        apart=apart,
    )


def _groups(
    app: Apparatus, rows: IntArray, ids: list[str], nest_by: str | Mapping[str, str]
) -> tuple[list[str], IntArray]:
    """(group ids in first-seen order, group number per position)."""
    if isinstance(nest_by, Mapping):
        absent = [uid for uid in ids if uid not in nest_by]
        if absent:
            shown = ", ".join(absent[:5]) + (" ..." if len(absent) > 5 else "")
            raise InputError(SPEC, "a group for every unit of the level", column="nest_by", value=shown)
        keys = [nest_by[uid] for uid in ids]
    elif nest_by == "":
        keys = [""] * len(ids)
    elif nest_by == "parent":
        parent = app.units.parent[rows]
        keys = [str(app.units.id[p]) if p >= 0 else "" for p in parent.tolist()]
    else:
        keys = _ancestors_at(app, rows, nest_by)
    order: dict[str, int] = {}
    group = np.asarray([order.setdefault(k, len(order)) for k in keys], dtype=np.int64)
    return list(order), group


def _ancestors_at(app: Apparatus, rows: IntArray, level: str) -> list[str]:
    if level not in app.levels.index:
        raise InputError(SPEC, '"", "parent", a level name or a table', column="nest_by", value=level)
    target = app.levels.index[level]
    parent, levels = app.units.parent, app.units.level
    out = []
    for r in rows.tolist():
        u = int(parent[r])
        while u >= 0 and levels[u] != target:
            u = int(parent[u])
        out.append(str(app.units.id[u]) if u >= 0 else "")
    return out


def _positions(group: Sequence[str], position: Mapping[str, int], what: str) -> list[int]:
    absent = [uid for uid in group if uid not in position]
    if absent:
        raise NotFoundError(f"{what}: no unit {absent[0]!r} at this level")
    return [position[uid] for uid in group]


def _atoms(
    locked: Sequence[Sequence[str]], position: Mapping[str, int], group: IntArray, graph: Graph
) -> IntArray:
    """Atom per position: union of the locked groups, each of which must be connected and nested."""
    n = len(group)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    adj = graph.adjacency_lists()
    for units in locked:
        pos = _positions(units, position, "locked_together")
        where = ",".join(units)
        if len({int(group[p]) for p in pos}) > 1:
            raise InputError(
                SPEC, "locked units inside one nesting group", column="locked_together", value=where
            )
        if not _connected(pos, adj):
            raise InputError(SPEC, "locked units that are connected", column="locked_together", value=where)
        for p in pos[1:]:
            parent[find(p)] = find(pos[0])
    roots = [find(i) for i in range(n)]
    _, atom = np.unique(np.asarray(roots), return_inverse=True)
    return atom.astype(np.int64)


def _connected(pos: list[int], adj: list[list[int]]) -> bool:
    inside = set(pos)
    seen = {pos[0]}
    stack = [pos[0]]
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if w in inside and w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen) == len(inside)


def _apart(
    pairs: Sequence[Sequence[str]], position: Mapping[str, int], atom: IntArray
) -> list[tuple[int, int]]:
    out = []
    for pair in pairs:
        a, b = _positions(pair, position, "kept_apart")
        if atom[a] == atom[b]:
            raise InputError(
                SPEC, "kept-apart units not locked together", column="kept_apart", value=",".join(pair)
            )
        out.append((int(atom[a]), int(atom[b])))
    return out


def group_features(
    app: Apparatus, rows: IntArray, spec: TerritorySpec
) -> tuple[FloatArray, dict[str, slice]]:
    """Weighted features of one group's units and the columns of each objective term
    (``homogeneity``, ``cohesion``, ``compactness``).

    Each homogeneity attribute is centred and scaled by sqrt(weight / its total sum of squares in the
    group); locations (km, equirectangular around the group's mean latitude) by sqrt(compactness
    weight / their total sum of squares). Cohesion with a former unit is its indicator (one column
    per former unit present in the group) scaled the same way, so that a region's SSD of those
    columns is its count of unit pairs from different former units / its units x 2 (0 when it lies
    inside one former unit). So each term of the objective is 1 x its weight for the whole group
    taken as one region, and 0 for single units. Missing values count as the group mean."""
    blocks: dict[str, list[FloatArray]] = {"homogeneity": [], "cohesion": [], "compactness": []}
    for name, weight in spec.weights.homogeneity.items():
        if weight > 0:
            blocks["homogeneity"].append(_normalized(column(app, name, rows)[:, None], weight))
    for key, weight in spec.weights.cohesion.items():
        if weight > 0:
            _, code = np.unique(np.asarray(former_units(app, rows, key)), return_inverse=True)
            indicator = np.zeros((len(rows), int(code.max()) + 1 if len(rows) else 0))
            indicator[np.arange(len(rows)), code] = 1.0
            blocks["cohesion"].append(_normalized(indicator, weight))
    if spec.weights.compactness > 0:
        lat = column(app, "lat", rows)
        lon = column(app, "lon", rows)
        if np.isfinite(lat).any() and np.isfinite(lon).any():
            lat0 = math.radians(float(np.nanmean(lat)))
            xy = np.stack([np.radians(lon) * math.cos(lat0), np.radians(lat)], axis=1) * EARTH_RADIUS_KM
            blocks["compactness"].append(_normalized(xy, spec.weights.compactness))
    terms: dict[str, slice] = {}
    start = 0
    for term, parts in blocks.items():
        width = sum(b.shape[1] for b in parts)
        terms[term] = slice(start, start + width)
        start += width
    flat = [b for parts in blocks.values() for b in parts]
    features = np.concatenate(flat, axis=1) if flat else np.zeros((len(rows), 0))
    return features, terms


def former_units(app: Apparatus, rows: IntArray, key: str) -> list[str]:
    """Per row, the former unit ``key`` names: "parent" (its parent's id), a level name (its
    ancestor's id at that level) or a unit attribute (its value, as text); "" where there is none."""
    if key == "parent":
        parent = app.units.parent[rows]
        return [str(app.units.id[p]) if p >= 0 else "" for p in parent.tolist()]
    if key in app.levels.index:
        return _ancestors_at(app, rows, key)
    if key not in app.units.attributes:
        known = ", ".join(["parent", *app.levels.index, *sorted(app.units.attributes)])
        raise NotFoundError(f"cohesion: no level or unit attribute {key!r}; known: {known}")
    return ["" if v != v else f"{v:g}" for v in column(app, key, rows).tolist()]


def _normalized(x: FloatArray, weight: float) -> FloatArray:
    filled = np.where(np.isnan(x), np.nanmean(x, axis=0) if np.isfinite(x).any() else 0.0, x)
    centred = filled - filled.mean(axis=0)
    tss = float((centred**2).sum())
    return centred * math.sqrt(weight / tss) if tss > 0 else np.zeros_like(centred)


def nesting_from_plan(app: Apparatus, plan: Plan, level: str, group_level: str) -> dict[str, str]:
    """unit id -> group id for every unit of ``level``: its ancestor at ``group_level``, renamed by the
    plan's merges of ``group_level`` units (e.g. communes nested in the provinces a plan creates)."""
    rows = level_rows(app).get(level)
    if rows is None:
        raise NotFoundError(f"unknown level {level!r}")
    into: dict[str, str] = {}
    for op in plan.operations:
        if isinstance(op, Merge):
            for uid in op.units:
                into[uid] = op.into.id
    ancestors = _ancestors_at(app, rows.astype(np.int64), group_level)
    out = {}
    for uid, anc in zip(app.units.id[rows].tolist(), ancestors, strict=True):
        seen = {anc}
        while anc in into and into[anc] not in seen:
            anc = into[anc]
            seen.add(anc)
        out[str(uid)] = anc
    return out
