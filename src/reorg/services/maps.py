"""Use case: the map of one level of a dataset, as GeoJSON, optionally coloured by a plan's result.

Each unit of the level is drawn with its stored outline, else the union of its descendants' outlines,
else a cell estimated from unit locations: the Voronoi cells of the level's territorial leaves (or of
the unit itself when it has no located leaf), dissolved up to the level and clipped to the points'
buffered hull. Estimated cells are marked so, and the collection says so in ``ESTIMATED``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.plan.lineage import successors
from reorg.plan.operations import Plan
from reorg.progress import Progress
from reorg.report.geometry import ancestor_at, dissolve, light, voronoi_cells
from reorg.services import access
from reorg.services.memo import memo
from reorg.services.resolve import Resolved, outlines_of, resolve
from reorg.store import UnitOfWork

__all__ = ["ESTIMATED", "LevelMap", "MapRegion", "level_map"]

#: what the collection says when some of its shapes are estimated
ESTIMATED = "cells estimated from unit locations (Voronoi), not real boundaries"
#: simplification tolerance (degrees; 0.0005 is about 55 m) and coordinate decimals (5: about 1 m)
TOLERANCE = 0.0005
DECIMALS = 5


@dataclasses.dataclass(frozen=True)
class MapRegion:
    """One unit of a plan's result that units of the mapped level went into: how many of them
    (``members``), its population and area (km²) after the plan, and the operation of the plan that
    formed it (position in the plan and its kind; None when no operation changed it)."""

    id: str
    name: str
    members: int
    population: float | None
    area_km2: float | None
    operation: int | None
    op: str | None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, eq=False)
class LevelMap:
    """The units of ``level`` of ``dataset`` as GeoJSON features (one per unit, in row order);
    ``estimated`` counts the features whose shape is estimated; ``regions`` (with ``plan``) the
    units of the plan's result they went into."""

    dataset: str
    version: int
    level: str
    plan: str | None
    features: tuple[Mapping[str, Any], ...]
    estimated: int
    regions: tuple[MapRegion, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection; ``estimated`` (the note) only when some shapes are."""
        out: dict[str, Any] = {
            "type": "FeatureCollection",
            "dataset": self.dataset,
            "version": self.version,
            "level": self.level,
            "plan": self.plan,
        }
        if self.estimated:
            out["estimated"] = ESTIMATED
        out["features"] = [dict(f) for f in self.features]
        if self.plan is not None:
            out["regions"] = [r.to_dict() for r in self.regions]
        return out


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _level_row(app: Apparatus, name: str, level: str) -> int:
    """The row of ``level`` in ``app.levels``; an unknown level is an InputError naming the known."""
    names = app.levels.name.tolist()
    if level not in names:
        known = ", ".join(str(names[i]) for i in np.argsort(app.levels.rank, kind="stable").tolist())
        raise InputError("level", f"a level of {name}: {known}", value=level)
    return int(names.index(level))


def _shapes(
    app: Apparatus, rows: npt.NDArray[np.int64], at: int, outlines: Mapping[str, str]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """A shape per unit of ``rows`` (all of level ``at``) and whether it is estimated."""
    units = app.units
    position = np.full(len(units), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    shapes = np.full(len(rows), None, dtype=object)
    if outlines:
        have = np.array([units.index[uid] for uid in outlines if uid in units.index], dtype=np.int64)
        geoms = shapely.from_geojson([outlines[units.id[r]] for r in have.tolist()])
        owner = ancestor_at(units.parent, units.level, have, at)
        inside = owner >= 0
        own = inside & (owner == have)
        shapes[position[have[own]]] = geoms[own]
        below = inside & ~own & np.isin(owner, have[own], invert=True)
        if below.any():
            joined = dissolve(geoms[below], position[owner[below]], len(rows))
            empty = np.array([s is None for s in shapes]) & np.array([j is not None for j in joined])
            shapes[empty] = joined[empty]
    missing = np.array([s is None for s in shapes], dtype=bool)
    if missing.any():
        shapes[missing] = _estimated(app, rows[missing], at)
    return shapes, missing


def _estimated(app: Apparatus, rows: npt.NDArray[np.int64], at: int) -> npt.NDArray[np.object_]:
    """Estimated cells of the units ``rows`` (of level ``at``): their located territorial leaves'
    Voronoi cells (cut near their own area where they would swell, see ``voronoi_cells``) dissolved
    up to them; a unit without located leaves stands for itself when located, else gets no shape.
    The cells are drawn among the points of every unit of the level, so estimated cells never overlap
    each other (they may overlap a real outline nearby)."""
    units = app.units
    level_rows = np.flatnonzero(units.level == at).astype(np.int64)
    leaves = app.territory_leaves.astype(np.int64)
    located = ~(np.isnan(units.lat) | np.isnan(units.lon))
    owner = ancestor_at(units.parent, units.level, leaves, at)
    keep = (owner >= 0) & located[leaves]
    points, point_owner = leaves[keep], owner[keep]
    alone = level_rows[located[level_rows] & np.isin(level_rows, point_owner, invert=True)]
    points = np.concatenate([points, alone])
    point_owner = np.concatenate([point_owner, alone])
    cells = voronoi_cells(units.lon[points], units.lat[points], units.area_km2[points])
    position = np.full(len(units), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    wanted = position[point_owner] >= 0
    return dissolve(cells[wanted], position[point_owner[wanted]], len(rows))


def _regions(
    app: Apparatus, after: Apparatus, plan: Plan, went: Mapping[str, str], ids: list[str]
) -> tuple[MapRegion, ...]:
    """The units of ``after`` that the mapped units ``ids`` went into (``went``), in order of first
    appearance; a unit's operation is the first of the plan that moved a mapped unit into it."""
    mapped = set(ids)
    formed: dict[str, int] = {}
    for edge in after.lineage[len(app.lineage) :]:
        if edge.source in mapped and edge.source != edge.target and edge.source in went:
            formed.setdefault(went[edge.source], edge.operation)
    after_ids = [went.get(uid, "") for uid in ids]
    members: dict[str, int] = {}
    for uid in after_ids:
        if uid:
            members[uid] = members.get(uid, 0) + 1
    out = []
    for uid, count in members.items():
        row = after.units.index[uid]
        op = formed.get(uid)
        out.append(
            MapRegion(
                id=uid,
                name=str(after.units.name[row]),
                members=count,
                population=_number(float(after.units.population[row])),
                area_km2=_number(float(after.units.area_km2[row])),
                operation=op,
                op=plan.operations[op].op if op is not None and 0 <= op < len(plan.operations) else None,
            )
        )
    return tuple(out)


def level_map(
    uow: UnitOfWork,
    *,
    name: str,
    level: str,
    plan: str | None = None,
    viewer: access.Principal | None = None,
    version: int | None = None,
    progress: Progress | None = None,
) -> LevelMap:
    """The units of ``level`` of dataset ``name`` (a stored plan's name: its result) as a GeoJSON map;
    with ``plan`` (a stored plan saved against ``name``), each unit says which unit of the plan's
    result it went into, and ``regions`` lists those units. With ``viewer``, only the units they may see
    (a unit officer: their subtree) and the regions those went into; ``version``: that version of
    ``name`` (else its newest). Maps are kept in the memo."""
    if viewer is not None:
        access.require(viewer, "read")
    found = resolve(uow, name, version=version, progress=progress)
    record = uow.plans.get(name=plan) if plan is not None else None
    key = (
        uow.database.url,
        "map",
        found.name,
        found.version,
        found.created_at,
        level,
        None if record is None else (record.name, record.version, record.created_at),
    )
    whole = memo.get(key, lambda: _level_map(uow, found, level, plan, progress))
    if viewer is None or viewer.role != access.SCOPED_ROLE:
        return whole
    visible = access.subtree(found.apparatus, viewer)
    seen = set(found.apparatus.units.id[visible].tolist())
    features = tuple(f for f in whole.features if f["properties"]["id"] in seen)
    went = {f["properties"].get("after_id") for f in features}
    return dataclasses.replace(
        whole,
        features=features,
        estimated=sum(bool(f["properties"]["estimated"]) for f in features),
        regions=tuple(r for r in whole.regions if r.id in went),
    )


def _level_map(
    uow: UnitOfWork, found: Resolved, level: str, plan: str | None, progress: Progress | None
) -> LevelMap:
    name = found.name
    app = found.apparatus
    at = _level_row(app, name, level)
    rows = np.flatnonzero(app.units.level == at).astype(np.int64)
    shapes, estimated = _shapes(app, rows, at, outlines_of(uow, found))
    geometries = light(shapes, tolerance=TOLERANCE, decimals=DECIMALS)
    units = app.units
    parent = units.parent[rows]
    ids = units.id[rows].tolist()
    after_ids: list[str] = []
    regions: tuple[MapRegion, ...] = ()
    after: Apparatus | None = None
    if plan is not None:
        record = uow.plans.get(name=plan)
        if found.plan is not None or (record.baseline, record.baseline_version) != (
            found.name,
            found.version,
        ):
            raise InputError("plan", f"a stored plan saved against {found.name}@{found.version}", value=plan)
        the_plan = uow.plans.load(name=plan, version=record.version)
        after = resolve(uow, plan, version=record.version, progress=progress).apparatus
        went = successors(after, ids)
        after_ids = [went.get(uid, "") for uid in ids]
        regions = _regions(app, after, the_plan, went, ids)
    features = []
    for k, row in enumerate(rows.tolist()):
        up = int(parent[k])
        props: dict[str, Any] = {
            "id": ids[k],
            "name": str(units.name[row]),
            "parent_id": str(units.id[up]) if up >= 0 else None,
            "parent_name": str(units.name[up]) if up >= 0 else None,
            "population": _number(float(units.population[row])),
            "area_km2": _number(float(units.area_km2[row])),
            "estimated": bool(estimated[k]),
        }
        if after is not None:
            target = after_ids[k]
            props["after_id"] = target or None
            props["after_name"] = str(after.units.name[after.units.index[target]]) if target else None
        features.append({"type": "Feature", "properties": props, "geometry": geometries[k]})
    return LevelMap(
        dataset=found.name,
        version=found.version,
        level=level,
        plan=plan,
        features=tuple(features),
        estimated=int(estimated.sum()),
        regions=regions,
    )
