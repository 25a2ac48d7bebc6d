"""Locations and areas of the old (pre-2025) units, estimated from the package's data.

The package gives each old commune a geocoded centroid and bounding box but no area; it gives each new
(2025) commune an area. This module turns that into per-old-unit estimates:

* **locations** (:func:`clean_locations`): a commune centroid that equals its district's centroid or lies
  outside the district's bounding box (by more than ``MARGIN_DEG``) is a geocoder fallback; it is
  replaced by the mean centroid of the reliable old communes that went into the same new commune(s),
  else by the new commune's centroid, else kept. Points that then coincide exactly are spread on a
  golden-angle spiral of ``SPREAD_KM`` steps so that the triangulation sees distinct points.
* **areas** (:func:`estimate_areas`): each new commune's known area is divided among the old units
  that went into it in proportion to their bounding-box area (km²), a split commune contributing only
  its pre-share (see :func:`split_preshares`) of its box. Boxes that are a geocoder fallback count as
  the median of the new commune's other sources; every weight is clipped to ``CLIP`` times that median
  either way. The parts therefore sum exactly to the new communes' areas. A new commune without an area
  in the package (4 of them; two are given as 0.0) gets the sum of its sources' weights times the median
  area/weight ratio of its new province, or that province's median new-commune area where the former is
  below a tenth of it (degenerate boxes).

Everything here is an estimate and is labelled so in the dataset's README.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

__all__ = [
    "CLIP",
    "EARTH_RADIUS_KM",
    "MARGIN_DEG",
    "SPREAD_KM",
    "AreaEstimate",
    "Sources",
    "box_area_km2",
    "clean_locations",
    "estimate_areas",
    "project_km",
    "split_preshares",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

EARTH_RADIUS_KM = 6371.0
#: central meridian of the sinusoidal projection (degrees east), the middle of Vietnam's extent
CENTRAL_MERIDIAN = 106.0
#: a commune centroid further than this outside its district's box is a geocoder fallback (degrees)
MARGIN_DEG = 0.02
#: spacing of points that coincide, in km
SPREAD_KM = 0.5
#: bounding-box weights are clipped to [median / CLIP, median * CLIP] within each new commune
CLIP = 10.0
#: in a split, every part gets at least this fraction of an equal share before normalization
SPLIT_FLOOR = 0.05


@dataclasses.dataclass(frozen=True, eq=False)
class Sources:
    """The old units that the 2025 mapping starts from: the communes, then the ward-less island
    districts. ``district`` is each one's district row; ``fallback`` marks boxes/centroids that are
    the district's or province's (geocoder fallback)."""

    lat: FloatArray
    lon: FloatArray
    bounds: FloatArray
    district: IntArray
    fallback: BoolArray


def project_km(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Sinusoidal (equal-area) projection to km, n x 2 (x east, y north), around ``CENTRAL_MERIDIAN``."""
    phi = np.radians(lat)
    x = np.radians(lon - CENTRAL_MERIDIAN) * EARTH_RADIUS_KM * np.cos(phi)
    y = phi * EARTH_RADIUS_KM
    return np.column_stack([x, y])


def box_area_km2(bounds: FloatArray) -> FloatArray:
    """Area in km² of (lat_min, lon_min, lat_max, lon_max) boxes."""
    height = np.radians(bounds[:, 2] - bounds[:, 0]) * EARTH_RADIUS_KM
    mid = np.radians((bounds[:, 0] + bounds[:, 2]) / 2)
    width = np.radians(bounds[:, 3] - bounds[:, 1]) * EARTH_RADIUS_KM * np.cos(mid)
    return np.abs(height * width)


def _group_mean(
    values: FloatArray, groups: IntArray, n: int, mask: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """Per group: mean of ``values`` over rows where ``mask``, and the count."""
    count = np.bincount(groups[mask], minlength=n).astype(np.float64)
    total = np.bincount(groups[mask], weights=values[mask], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count, count


def clean_locations(
    src: Sources,
    district_lat: FloatArray,
    district_lon: FloatArray,
    district_bounds: FloatArray,
    edge_src: IntArray,
    edge_new: IntArray,
    new_lat: FloatArray,
    new_lon: FloatArray,
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Centroids (lat, lon) with geocoder fallbacks replaced, and the mask of those replaced."""
    d = src.district
    box = district_bounds[d]
    outside = (
        (src.lat < box[:, 0] - MARGIN_DEG)
        | (src.lat > box[:, 2] + MARGIN_DEG)
        | (src.lon < box[:, 1] - MARGIN_DEG)
        | (src.lon > box[:, 3] + MARGIN_DEG)
    )
    same = (src.lat == district_lat[d]) & (src.lon == district_lon[d])
    suspect = outside | same
    n_new = len(new_lat)
    ok = ~suspect[edge_src]
    mean_lat, count = _group_mean(src.lat[edge_src], edge_new, n_new, ok)
    mean_lon, _ = _group_mean(src.lon[edge_src], edge_new, n_new, ok)
    lat, lon = src.lat.copy(), src.lon.copy()
    for s in np.flatnonzero(suspect).tolist():
        targets = edge_new[edge_src == s]
        good = targets[count[targets] > 0]
        if len(good):
            lat[s], lon[s] = float(mean_lat[good].mean()), float(mean_lon[good].mean())
        else:
            lat[s], lon[s] = float(new_lat[targets].mean()), float(new_lon[targets].mean())
    lat, lon = _spread_duplicates(lat, lon)
    return lat, lon, suspect


def _spread_duplicates(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Move all but the first of each group of identical points onto a golden-angle spiral."""
    _, inverse, counts = np.unique(
        np.column_stack([lat, lon]), axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    lat, lon = lat.copy(), lon.copy()
    for group in np.flatnonzero(counts > 1).tolist():
        members = np.flatnonzero(inverse == group)[1:]
        j = np.arange(1, len(members) + 1)
        radius = SPREAD_KM * np.sqrt(j)
        angle = j * np.pi * (3 - np.sqrt(5))
        dlat = np.degrees(radius * np.sin(angle) / EARTH_RADIUS_KM)
        dlon = np.degrees(radius * np.cos(angle) / EARTH_RADIUS_KM) / np.cos(np.radians(lat[members]))
        lat[members] += dlat
        lon[members] += dlon
    return lat, lon


def split_preshares(
    bounds: FloatArray, new_lat: FloatArray, new_lon: FloatArray, new_area: FloatArray
) -> FloatArray:
    """How one split commune (box ``bounds``) divides between its k target new communes, before areas.

    Each target is a square of its own area centred on its centroid; the pre-share is the overlap of
    the old box with that square, floored at ``SPLIT_FLOOR`` of an equal share, normalized to sum to 1
    (equal shares when nothing overlaps)."""
    k = len(new_lat)
    side = np.sqrt(np.where(np.isfinite(new_area), new_area, 1.0))
    half_lat = np.degrees(side / 2 / EARTH_RADIUS_KM)
    half_lon = half_lat / np.cos(np.radians(new_lat))
    dx = np.minimum(bounds[3], new_lon + half_lon) - np.maximum(bounds[1], new_lon - half_lon)
    dy = np.minimum(bounds[2], new_lat + half_lat) - np.maximum(bounds[0], new_lat - half_lat)
    overlap = np.clip(dx, 0, None) * np.clip(dy, 0, None) * np.cos(np.radians(new_lat))
    total = float(overlap.sum())
    if total <= 0:
        return np.full(k, 1.0 / k)
    share = overlap / total
    share = np.maximum(share, SPLIT_FLOOR / k)
    return np.asarray(share / share.sum(), dtype=np.float64)


@dataclasses.dataclass(frozen=True, eq=False)
class AreaEstimate:
    """``area_km2`` per source; ``part_km2`` per mapping edge (sums to each new commune's area);
    ``share`` per edge (the fraction of the source that went to that new commune; 1 for whole ones);
    ``new_area_km2`` the new communes' areas with the 4 missing ones estimated."""

    area_km2: FloatArray
    part_km2: FloatArray
    share: FloatArray
    new_area_km2: FloatArray


def _group_median(values: FloatArray, groups: IntArray, n: int) -> FloatArray:
    """Median of the finite ``values`` per group (NaN for a group with none)."""
    out = np.full(n, np.nan)
    finite = np.isfinite(values)
    order = np.lexsort((values, groups))
    order = order[finite[order]]
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    v = values[order]
    mids_lo = starts + (ends - starts - 1) // 2
    mids_hi = starts + (ends - starts) // 2
    out[g[starts]] = (v[mids_lo] + v[mids_hi]) / 2
    return out


def estimate_areas(
    src: Sources,
    edge_src: IntArray,
    edge_new: IntArray,
    preshare: FloatArray,
    new_area: FloatArray,
    new_province: IntArray,
) -> AreaEstimate:
    """Divide each new commune's area among its sources by bounding-box weights (see module doc)."""
    n_new = len(new_area)
    box = box_area_km2(src.bounds)
    box[src.fallback] = np.nan
    weight = box[edge_src] * preshare
    median = _group_median(weight, edge_new, n_new)
    median = np.where(np.isfinite(median), median, 1.0)
    m = median[edge_new]
    weight = np.where(np.isfinite(weight), weight, m * preshare)
    weight = np.clip(weight, m / CLIP, m * CLIP)
    total = np.bincount(edge_new, weights=weight, minlength=n_new)
    known = np.isfinite(new_area) & (new_area > 0)  # the package gives 0.0 for two wards it lacks
    n_prov = int(new_province.max()) + 1
    ratio = _group_median(np.where(known, new_area / total, np.nan), new_province, n_prov)
    typical = _group_median(np.where(known, new_area, np.nan), new_province, n_prov)[new_province]
    guess = total * ratio[new_province]
    # a box estimate below a tenth of the province's median new commune means degenerate boxes (sources
    # geocoded to one spot): the median is the better guess then
    guess = np.where(guess < typical / CLIP, typical, guess)
    filled = np.where(known, new_area, guess)
    part = filled[edge_new] * weight / total[edge_new]
    area = np.bincount(edge_src, weights=part, minlength=len(src.lat)).astype(np.float64)
    return AreaEstimate(area_km2=area, part_km2=part, share=part / area[edge_src], new_area_km2=filled)
