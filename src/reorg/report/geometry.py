"""Plane geometry for maps: cells estimated from unit locations, dissolving cells into groups, and
shapes made light enough to send to a browser.

Coordinates are longitude, latitude in degrees (WGS 84). Voronoi cells are drawn in a local
equirectangular plane (longitude scaled by cos of the points' mean latitude) so that they are not
stretched east-west, then mapped back; the transformation is affine, so cells still tile the clip
region exactly.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from scipy.spatial import cKDTree

from reorg.io.geo import KM_PER_DEGREE

__all__ = ["ancestor_at", "dissolve", "light", "voronoi_cells"]

Geometries = npt.NDArray[np.object_]

#: the clip region reaches this many median nearest-neighbour spacings beyond the outermost points
MARGIN_SPACINGS = 1.5
#: concave-hull ratio of the clip region (0 = tightest, 1 = convex hull): follows a coastline's bends
HULL_RATIO = 0.1
#: a cell over this many times its unit's area is cut (see ``voronoi_cells``) ...
OVERSIZE = 10.0
#: ... to the disc of this many times the radius of a circle of the unit's area
REACH = 3.0
#: points closer than this (degrees, about 1 m) are taken as one place and spread apart
SAME_PLACE = 1e-5


def _spread(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``xy`` with each repeat of a place moved along a small spiral around it (the k-th repeat by
    2·sqrt(k) ``SAME_PLACE``; deterministic), so that every point keeps a cell of its own."""
    out = xy.copy()
    keys = np.round(xy / SAME_PLACE).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    for group in np.flatnonzero(counts > 1).tolist():
        members = np.flatnonzero(inverse == group)[1:]
        for k, m in enumerate(members.tolist(), start=1):
            angle = k * 2.399963  # the golden angle: repeats never line up
            out[m] += 2 * SAME_PLACE * math.sqrt(k) * np.array([math.cos(angle), math.sin(angle)])
    return out


def voronoi_cells(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    area_km2: npt.NDArray[np.float64] | None = None,
) -> Geometries:
    """One cell per point: its Voronoi cell, clipped to the points' concave hull buffered by
    ``MARGIN_SPACINGS`` median nearest-neighbour spacings. The cells never overlap and each contains
    its point (repeated places are first spread a few metres apart); without ``area_km2`` they tile
    that region. With ``area_km2`` (each point's own area; NaN = unknown), a cell on the region's
    edge or over ``OVERSIZE`` times its area is cut to the disc of ``REACH`` times the radius of a
    circle of that area, so that coasts, borders and islands do not swell into the sea around them
    (this leaves gaps there). Locations must be finite."""
    n = len(lon)
    cells = np.empty(n, dtype=object)
    if n == 0:
        return cells
    scale = math.cos(math.radians(float(np.mean(lat))))
    xy = _spread(np.column_stack([np.asarray(lon) * scale, np.asarray(lat)]).astype(np.float64))
    points = shapely.multipoints(xy)
    if n == 1:
        spacing = 0.05
    else:
        distances, _ = cKDTree(xy).query(xy, k=2)
        spacing = max(float(np.median(distances[:, 1])), SAME_PLACE)
    clip = _without_holes(
        shapely.buffer(shapely.concave_hull(points, ratio=HULL_RATIO), MARGIN_SPACINGS * spacing, quad_segs=2)
    )
    if n == 1:
        cells[0] = clip
    else:
        drawn = shapely.voronoi_polygons(points, extend_to=clip, ordered=True)
        cells[:] = list(shapely.get_parts(drawn))
        cells = shapely.intersection(cells, clip)
    if area_km2 is not None:
        cells = _cut(cells, xy, np.asarray(area_km2, dtype=np.float64), clip)
    return np.asarray(shapely.transform(cells, lambda c: c / np.array([scale, 1.0])), dtype=object)


def _without_holes(region: Any) -> Any:
    """``region`` with its holes filled: a concave hull's buffer can enclose a hole between its arms."""
    parts = shapely.get_parts(region)
    return shapely.union_all(shapely.polygons(shapely.get_exterior_ring(parts)))


def _cut(
    cells: Geometries, xy: npt.NDArray[np.float64], area_km2: npt.NDArray[np.float64], clip: Any
) -> Geometries:
    """``cells`` (in the local plane, 1 unit = 1 degree of latitude) with those on the edge of
    ``clip`` or over ``OVERSIZE`` times their area cut to ``REACH`` equivalent radii of their point."""
    known = np.isfinite(area_km2) & (area_km2 > 0)
    cell_km2 = shapely.area(cells) * KM_PER_DEGREE**2
    oversized = known & (cell_km2 > OVERSIZE * np.where(known, area_km2, np.inf))
    edge = known & shapely.intersects(cells, shapely.boundary(clip))
    cut = np.flatnonzero(oversized | edge)
    if len(cut) == 0:
        return cells
    radius = REACH * np.sqrt(area_km2[cut] / math.pi) / KM_PER_DEGREE
    discs = shapely.buffer(shapely.points(xy[cut]), radius, quad_segs=4)
    out = cells.copy()
    out[cut] = shapely.intersection(cells[cut], discs)
    return out


def ancestor_at(parent: npt.NDArray[np.int32], level: npt.NDArray[np.int32], rows: Any, at: int) -> Any:
    """For each unit row in ``rows``, itself or its nearest ancestor whose level is ``at`` (-1: none)."""
    current = np.asarray(rows, dtype=np.int64).copy()
    for _ in range(len(parent) + 1):
        climb = (current >= 0) & (level[np.maximum(current, 0)] != at)
        if not climb.any():
            break
        current[climb] = parent[current[climb]]
    return current


def dissolve(geometries: Geometries, groups: npt.NDArray[np.int64], n_groups: int) -> Geometries:
    """The union of the geometries of each group 0..n_groups-1 (None where a group has none)."""
    out = np.full(n_groups, None, dtype=object)
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    for g in range(n_groups):
        members = geometries[order[bounds[g] : bounds[g + 1]]]
        if len(members) == 1:
            out[g] = members[0]
        elif len(members) > 1:
            out[g] = shapely.union_all(members)
    return out


def light(geometries: Geometries, *, tolerance: float, decimals: int = 5) -> list[dict[str, Any] | None]:
    """Each geometry as a GeoJSON geometry dict, simplified (``tolerance`` degrees, topology kept per
    geometry) and with coordinates rounded to ``decimals`` places; None stays None."""
    present = np.array([g is not None for g in geometries], dtype=bool)
    out: list[dict[str, Any] | None] = [None] * len(geometries)
    if not present.any():
        return out
    shapes = shapely.simplify(geometries[present], tolerance, preserve_topology=True)
    shapes = shapely.transform(shapes, lambda c: np.round(c, decimals))
    shapes = shapely.make_valid(shapes)
    texts = shapely.to_geojson(shapes)
    for row, text in zip(np.flatnonzero(present).tolist(), texts.tolist(), strict=True):
        out[row] = json.loads(text)
    return out
