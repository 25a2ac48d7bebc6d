"""territories.geojson: unit outlines, and what can be derived from them.

Each feature's ``properties.id`` names a unit. From the outlines come the area (km²) and a location
(a representative point inside the outline) of units that lack them, and, when a bundle has no
neighbours file, the neighbours: two units of the same level whose boundaries share a line of positive
length (rook adjacency; touching at a corner is not enough), with the length of that line in km.

Lengths and areas use a local equirectangular approximation: a degree of latitude is 111.195 km and
a degree of longitude that times cos(latitude) (per segment for lengths, at the centroid for areas),
accurate to well under 1 % for units the size of a province.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from reorg.errors import InputError
from reorg.model import Units
from reorg.model.values import JsonError, load_json

__all__ = [
    "KM_PER_DEGREE",
    "Territories",
    "area_km2",
    "border_km",
    "derive_neighbours",
    "fill_from_outlines",
    "outline_texts",
    "read_territories",
    "territories_json",
]

#: length of one degree of latitude on the mean Earth sphere (R = 6371.0088 km)
KM_PER_DEGREE = 6371.0088 * math.pi / 180.0

_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclasses.dataclass(frozen=True, eq=False)
class Territories:
    """Outlines of some units: ``rows[k]`` is the unit row of ``geometries[k]`` (lon/lat degrees)."""

    rows: npt.NDArray[np.int32]
    geometries: npt.NDArray[np.object_]


def _feature_error(
    file: str, k: int, expected: str, column: str | None = None, value: Any = None
) -> InputError:
    shown = None if value is None else str(value)
    return InputError(file, f"feature {k}: {expected}", column=column, value=shown)


def _geometry(file: str, k: int, raw: Any) -> Any:
    try:
        geom = shapely.geometry.shape(raw)
    except Exception:  # shapely raises TypeError, ValueError, KeyError, GEOSException... for bad input
        raise _feature_error(file, k, "a GeoJSON Polygon or MultiPolygon geometry", "geometry") from None
    if geom.geom_type not in _POLYGONAL or geom.is_empty:
        raise _feature_error(file, k, "a Polygon or MultiPolygon geometry", "geometry", geom.geom_type)
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise _feature_error(file, k, "coordinates as longitude, latitude in degrees (WGS 84)", "geometry")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        polygons = [g for g in shapely.get_parts(geom) if g.geom_type in _POLYGONAL]
        if not polygons:
            raise _feature_error(file, k, "an outline enclosing an area", "geometry")
        geom = shapely.union_all(polygons)
    return geom


def read_territories(path: Path, units: Mapping[str, int]) -> Territories:
    """The outlines in ``path``; refuses an unknown or repeated unit id, naming the feature (0-based)."""
    file = path.name
    data = path.read_bytes()
    if not data:
        raise InputError(
            file, "a GeoJSON FeatureCollection; the file is empty (0 bytes), leave it out instead"
        )
    try:
        doc = load_json(data)
    except JsonError as exc:
        raise InputError(file, f"GeoJSON: {exc.msg}", row=exc.lineno) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise InputError(
            file, 'a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}'
        )
    if not features:
        raise InputError(file, "at least one feature; leave the file out instead")
    rows: list[int] = []
    geometries: list[Any] = []
    seen: dict[int, int] = {}
    for k, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        uid = props.get("id") if isinstance(props, dict) else None
        uid = str(uid) if isinstance(uid, int | str) and not isinstance(uid, bool) else None
        if uid is None or uid not in units:
            raise _feature_error(file, k, "properties.id naming a unit of units", "properties.id", uid)
        row = units[uid]
        if row in seen:
            raise _feature_error(
                file, k, f"one feature per unit; feature {seen[row]} has it", "properties.id", uid
            )
        seen[row] = k
        rows.append(row)
        geometries.append(_geometry(file, k, feature.get("geometry")))
    geoms = np.empty(len(geometries), dtype=object)
    geoms[:] = geometries
    return Territories(np.array(rows, dtype=np.int32), geoms)


def outline_texts(territories: Territories, ids: Sequence[str]) -> dict[str, str]:
    """Each outline as GeoJSON geometry text, by the id of its unit (``ids`` by unit row): what the
    store keeps."""
    texts = shapely.to_geojson(territories.geometries)
    return {ids[row]: str(text) for row, text in zip(territories.rows.tolist(), texts.tolist(), strict=True)}


def territories_json(outlines: Mapping[str, str]) -> str:
    """territories.geojson text for ``outlines`` (unit id -> GeoJSON geometry text), in the order
    given; ``read_territories`` reads it back."""
    features = (
        f'{{"type": "Feature", "properties": {json.dumps({"id": uid}, ensure_ascii=False)}, '
        f'"geometry": {json.dumps(json.loads(text), separators=(",", ":"))}}}'
        for uid, text in outlines.items()
    )
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(features) + "\n]}\n"


def area_km2(geometries: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
    """Area of each lon/lat outline in km², lon scaled by cos(latitude of its centroid)."""
    lat0 = np.radians(shapely.get_y(shapely.centroid(geometries)))
    return np.asarray(shapely.area(geometries) * np.cos(lat0) * KM_PER_DEGREE**2, dtype=np.float64)


def _lines(geometries: npt.NDArray[np.object_]) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.intp]]:
    """The single LineStrings inside each geometry, with the position of the geometry they came from."""
    parts, owner = geometries, np.arange(len(geometries))
    while True:
        kinds = shapely.get_type_id(parts)
        multi = kinds >= 4  # Multi* and GeometryCollection
        if not multi.any():
            break
        inner, k = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], inner])
        owner = np.concatenate([owner[~multi], owner[multi][k]])
    line = np.isin(shapely.get_type_id(parts), (1, 2))  # LineString, LinearRing
    return parts[line], owner[line]


def border_km(lines: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
    """Length in km of each (multi)line in lon/lat; points count 0. Each segment is measured with lon
    scaled by cos of its middle latitude."""
    single, owner = _lines(lines)
    coords, index = shapely.get_coordinates(single, return_index=True)
    same = index[1:] == index[:-1]
    dlon = np.diff(coords[:, 0])[same]
    dlat = np.diff(coords[:, 1])[same]
    mid = np.radians((coords[1:, 1] + coords[:-1, 1])[same] / 2)
    seg = np.hypot(dlon * np.cos(mid), dlat) * KM_PER_DEGREE
    per_line = np.bincount(index[1:][same], weights=seg, minlength=len(single))
    return np.bincount(owner, weights=per_line, minlength=len(lines)).astype(np.float64)


def derive_neighbours(
    territories: Territories, unit_level: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """(a, b, border_km) for units of the same level sharing a border line, a < b, sorted."""
    geoms, rows = territories.geometries, territories.rows
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = (left < right) & (unit_level[rows[left]] == unit_level[rows[right]])
    left, right = left[keep], right[keep]
    boundaries = shapely.boundary(geoms)
    km = border_km(shapely.intersection(boundaries[left], boundaries[right]))
    touching = km > 0
    a = rows[left[touching]]
    b = rows[right[touching]]
    low, high = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((high, low))
    return low[order].astype(np.int32), high[order].astype(np.int32), km[touching][order]


def fill_from_outlines(units: Units, outlines: Territories) -> Units:
    """Units whose missing area (km²) or location (a point inside the outline) come from the outlines."""
    rows = outlines.rows
    area, lat, lon = units.area_km2.copy(), units.lat.copy(), units.lon.copy()
    missing = np.isnan(area[rows])
    area[rows[missing]] = area_km2(outlines.geometries[missing])
    need = np.isnan(lat[rows]) | np.isnan(lon[rows])
    if need.any():
        points = shapely.point_on_surface(outlines.geometries[need])
        chosen = rows[need]
        lat[chosen] = np.where(np.isnan(lat[chosen]), shapely.get_y(points), lat[chosen])
        lon[chosen] = np.where(np.isnan(lon[chosen]), shapely.get_x(points), lon[chosen])
    return dataclasses.replace(units, area_km2=area, lat=lat, lon=lon)
