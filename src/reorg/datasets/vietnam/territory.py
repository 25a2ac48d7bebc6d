"""The territory of the 2024 apparatus: locations, areas, populations and neighbours of the old units.

Everything here is derived from the package (``source``) and the official 2025 province populations
(``catalogue``), deterministically and independently of the staff scale, so it is computed once per
process. "Sources" are the old units the 2025 mapping starts from: the 10,035 communes, then the five
island districts that had no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from reorg.datasets.vietnam import catalogue, geometry, neighbours, source
from reorg.errors import ReorgError

__all__ = ["SPECIAL_ZONE", "Territory", "load"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

#: the package's type of the 2025 island units
SPECIAL_ZONE = "Đặc khu"


@dataclasses.dataclass(frozen=True, eq=False)
class Territory:
    """Per source (communes, then island districts): ``district``, ``province`` (old rows),
    ``new_province``, cleaned ``lat``/``lon``, ``relocated`` (geocoder fallback replaced), estimated
    ``area_km2`` and ``population`` (NaN for the island districts) and ``zone`` (the special zone it went
    into, -1 for none). Per mapping edge: ``edge_source`` and ``share`` (of the source's area that went
    to the edge's new commune). ``edges`` are the neighbour pairs of sources (a < b)."""

    data: source.PackageData
    islands: IntArray
    district: IntArray
    province: IntArray
    new_province: IntArray
    lat: FloatArray
    lon: FloatArray
    relocated: BoolArray
    area_km2: FloatArray
    population: FloatArray
    zone: IntArray
    edge_source: IntArray
    share: FloatArray
    new_area_km2: FloatArray
    edges: IntArray

    @property
    def n_communes(self) -> int:
        return len(self.data.communes.key)


def _sources(data: source.PackageData) -> tuple[IntArray, geometry.Sources, IntArray]:
    """Island district rows, the geometry of all sources, and the source of each mapping edge."""
    c, d, p = data.communes, data.districts, data.provinces
    islands = np.setdiff1d(np.arange(len(d.key)), c.parent).astype(np.int32)
    district = np.concatenate([c.parent, islands]).astype(np.int32)
    bounds = np.concatenate([c.bounds, d.bounds[islands]])
    province_box = p.bounds[d.parent[district]]
    fallback = np.all(bounds == d.bounds[district], axis=1) | np.all(bounds == province_box, axis=1)
    fallback[len(c.key) :] = False
    src = geometry.Sources(
        lat=np.concatenate([c.lat, d.lat[islands]]),
        lon=np.concatenate([c.lon, d.lon[islands]]),
        bounds=bounds,
        district=district,
        fallback=fallback,
    )
    m = data.mapping
    island_pos = np.searchsorted(islands, m.district)
    edge_source = np.where(m.commune >= 0, m.commune, len(c.key) + island_pos).astype(np.int32)
    return islands, src, edge_source


def _preshares(src: geometry.Sources, edge_source: IntArray, data: source.PackageData) -> FloatArray:
    """Per mapping edge: 1 for whole communes, the geometric pre-share for split ones."""
    m, new = data.mapping, data.new_communes
    pre = np.ones(len(edge_source))
    divided = np.flatnonzero(m.divided)
    order = divided[np.argsort(edge_source[divided], kind="stable")]
    groups = np.split(order, np.flatnonzero(np.diff(edge_source[order])) + 1)
    for e in groups:
        s = int(edge_source[e[0]])
        t = m.new[e]
        pre[e] = geometry.split_preshares(src.bounds[s], new.lat[t], new.lon[t], new.area_km2[t])
    return pre


def _populations(
    data: source.PackageData, new_province: IntArray, n_communes: int, cat: catalogue.Catalogue
) -> FloatArray:
    """Each new province's official population split equally among its old communes (integers by
    largest remainder, summing exactly to the official figure); NaN for the island districts."""
    official = {p.key: p.population for p in cat.provinces_2025}
    keys = data.new_provinces.key.tolist()
    missing = set(keys) - set(official)
    if missing:
        raise ReorgError(f"provinces_2025.csv lacks {sorted(missing)}")
    totals = np.asarray([official[k] for k in keys], dtype=np.float64)
    prov = new_province[:n_communes]
    count = np.bincount(prov, minlength=len(keys)).astype(np.float64)
    exact = totals[prov] / count[prov]
    pop = np.floor(exact)
    remainder = totals - np.bincount(prov, weights=pop, minlength=len(keys))
    order = np.lexsort((np.arange(n_communes), -(exact - pop), prov))
    rank = np.empty(n_communes, dtype=np.int64)
    starts = np.r_[0, np.cumsum(count)[:-1]].astype(np.int64)
    rank[order] = np.arange(n_communes) - starts[prov[order]]
    pop += rank < remainder[prov]
    out = np.full(len(new_province), np.nan)
    out[:n_communes] = pop
    return out


def _zones(data: source.PackageData, edge_source: IntArray, n_sources: int) -> IntArray:
    new = data.new_communes
    zone_of_new = np.full(len(new.key), -1, dtype=np.int32)
    special = np.flatnonzero(new.type == SPECIAL_ZONE)
    zone_of_new[special] = np.arange(len(special), dtype=np.int32)
    zone = np.full(n_sources, -1, dtype=np.int32)
    z = zone_of_new[data.mapping.new]
    zone[edge_source[z >= 0]] = z[z >= 0]
    return zone


@lru_cache(maxsize=1)
def load() -> Territory:
    """The territory (computed once per process, ~1 s)."""
    data = source.load()
    cat = catalogue.load()
    m, new, d = data.mapping, data.new_communes, data.districts
    islands, src, edge_source = _sources(data)
    n_sources = len(src.lat)
    lat, lon, relocated = geometry.clean_locations(
        src, d.lat, d.lon, d.bounds, edge_source, m.new, new.lat, new.lon
    )
    src = dataclasses.replace(src, lat=lat, lon=lon, fallback=src.fallback | relocated)
    areas = geometry.estimate_areas(
        src, edge_source, m.new, _preshares(src, edge_source, data), new.area_km2, new.province
    )
    new_province = np.zeros(n_sources, dtype=np.int32)
    new_province[edge_source] = new.province[m.new]
    province = d.parent[src.district].astype(np.int32)
    zone = _zones(data, edge_source, n_sources)
    xy = geometry.project_km(lat, lon)
    candidates = neighbours.delaunay_edges(xy)
    kept = neighbours.keep_edges(candidates, xy, areas.area_km2, zone)
    edges = neighbours.rejoin(candidates, kept, xy, areas.area_km2, province, zone, relocated)
    return Territory(
        data=data,
        islands=islands,
        district=src.district,
        province=province,
        new_province=new_province,
        lat=lat,
        lon=lon,
        relocated=relocated,
        area_km2=areas.area_km2,
        population=_populations(data, new_province, len(data.communes.key), cat),
        zone=zone,
        edge_source=edge_source,
        share=areas.share,
        new_area_km2=areas.new_area_km2,
        edges=edges,
    )
