"""Read the ``vietnamadminunits`` package's data once, as arrays.

The package (MIT, version pinned in pyproject.toml) ships ``data/dataset.db`` (SQLite: the 63-province
legacy table ``admin_units_legacy`` and the 34-province table ``admin_units``) and
``data/converter_2025.json`` (which old units went into which new ones in 2025). Both are read directly,
without importing the package (its import loads parsers we do not need).

Keys follow the package: an old unit is ``"<province>_<district>_<ward>"`` (ward empty for the five island
districts that had no communes); a new commune is ``(<new province>, <ward>)``. Coordinates are decimal
degrees (WGS 84); bounding boxes are ``(lat_min, lon_min, lat_max, lon_max)``; areas km².
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from reorg.errors import ReorgError

__all__ = ["PACKAGE", "Mapping2025", "NewCommunes", "NewProvinces", "OldUnits", "PackageData", "load"]

PACKAGE = "vietnamadminunits"

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
TextArray = npt.NDArray[np.str_]


@dataclasses.dataclass(frozen=True, eq=False)
class OldUnits:
    """One level of the legacy (pre-July-2025) table: provinces, districts or communes.

    ``parent`` indexes the level above (-1 for provinces); ``bounds`` is n x 4."""

    key: TextArray
    code: TextArray
    name: TextArray
    type: TextArray
    lat: FloatArray
    lon: FloatArray
    bounds: FloatArray
    parent: IntArray


@dataclasses.dataclass(frozen=True, eq=False)
class NewProvinces:
    """The 34 provinces from 1 July 2025; ``members`` lists the old province rows each was formed from."""

    key: TextArray
    code: TextArray
    name: TextArray
    lat: FloatArray
    lon: FloatArray
    members: tuple[tuple[int, ...], ...]


@dataclasses.dataclass(frozen=True, eq=False)
class NewCommunes:
    """The 3,321 communes from 1 July 2025; ``area_km2`` is NaN where the package has none (or 0)."""

    key: TextArray
    code: TextArray
    name: TextArray
    type: TextArray
    lat: FloatArray
    lon: FloatArray
    area_km2: FloatArray
    province: IntArray


@dataclasses.dataclass(frozen=True, eq=False)
class Mapping2025:
    """Edges old unit -> new commune. ``commune`` is the old commune row, or -1 when the source is a
    ward-less island district (then ``district`` names it). ``divided`` marks the 471 communes split
    between several new ones; ``default`` is the package's ``isDefaultNewWard`` (True for whole ones)."""

    commune: IntArray
    district: IntArray
    new: IntArray
    divided: BoolArray
    default: BoolArray


@dataclasses.dataclass(frozen=True, eq=False)
class PackageData:
    provinces: OldUnits
    districts: OldUnits
    communes: OldUnits
    new_provinces: NewProvinces
    new_communes: NewCommunes
    mapping: Mapping2025
    version: str


def _package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ReorgError(f"the {PACKAGE} package is not installed (pip install {PACKAGE})")
    return Path(next(iter(spec.submodule_search_locations)))


def _version() -> str:
    from importlib.metadata import version

    return version(PACKAGE)


def _bounds(texts: list[str]) -> FloatArray:
    """``"lat,lon – lat,lon"`` strings to an n x 4 array (lat_min, lon_min, lat_max, lon_max)."""
    out = np.full((len(texts), 4), np.nan)
    for i, text in enumerate(texts):
        corners = [float(v) for part in text.split("–") for v in part.split(",")]
        la1, lo1, la2, lo2 = corners
        out[i] = (min(la1, la2), min(lo1, lo2), max(la1, la2), max(lo1, lo2))
    return out


def _text(values: list[Any]) -> TextArray:
    return np.asarray(["" if v is None else str(v) for v in values], dtype=np.str_)


def _legacy(conn: sqlite3.Connection) -> tuple[OldUnits, OldUnits, OldUnits]:
    rows = conn.execute(
        "SELECT provinceKey, provinceCode, province, provinceLat, provinceLon, provinceBounds,"
        " districtKey, districtCode, district, districtType, districtLat, districtLon, districtBounds,"
        " wardKey, wardCode, ward, wardType, wardLat, wardLon, wardBounds"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ).fetchall()
    prov_rows: dict[str, int] = {}
    dist_rows: dict[str, int] = {}
    pcols: list[list[Any]] = [[] for _ in range(6)]
    dcols: list[list[Any]] = [[] for _ in range(8)]
    ccols: list[list[Any]] = [[] for _ in range(8)]
    for r in rows:
        if r[0] not in prov_rows:
            prov_rows[r[0]] = len(prov_rows)
            for col, v in zip(pcols, r[0:6], strict=True):
                col.append(v)
        dkey = f"{r[0]}_{r[6]}"
        if dkey not in dist_rows:
            dist_rows[dkey] = len(dist_rows)
            values = (dkey, *r[7:13], prov_rows[r[0]])
            for col, v in zip(dcols, values, strict=True):
                col.append(v)
        if r[13]:
            values = (f"{dkey}_{r[13]}", *r[14:20], dist_rows[dkey])
            for col, v in zip(ccols, values, strict=True):
                col.append(v)
    kinds = [_province_type(str(n)) for n in pcols[2]]
    provinces = OldUnits(
        key=_text(pcols[0]),
        code=_text(pcols[1]),
        name=_text(pcols[2]),
        type=_text(kinds),
        lat=np.asarray(pcols[3], dtype=np.float64),
        lon=np.asarray(pcols[4], dtype=np.float64),
        bounds=_bounds(pcols[5]),
        parent=np.full(len(pcols[0]), -1, dtype=np.int32),
    )
    return provinces, _old_units(dcols), _old_units(ccols)


def _old_units(cols: list[list[Any]]) -> OldUnits:
    return OldUnits(
        key=_text(cols[0]),
        code=_text(cols[1]),
        name=_text(cols[2]),
        type=_text(cols[3]),
        lat=np.asarray(cols[4], dtype=np.float64),
        lon=np.asarray(cols[5], dtype=np.float64),
        bounds=_bounds(cols[6]),
        parent=np.asarray(cols[7], dtype=np.int32),
    )


def _province_type(name: str) -> str:
    """ "Thành phố" (centrally-run city) or "Tỉnh" (province), from the official name."""
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _new(
    conn: sqlite3.Connection, converter: dict[str, Any], old_prov: OldUnits
) -> tuple[NewProvinces, NewCommunes]:
    rows = conn.execute(
        "SELECT provinceKey, provinceCode, province, provinceLat, provinceLon,"
        " wardKey, wardCode, ward, wardType, wardLat, wardLon, wardAreaKm2"
        " FROM admin_units ORDER BY provinceCode, wardCode"
    ).fetchall()
    prov_rows: dict[str, int] = {}
    pcols: list[list[Any]] = [[] for _ in range(5)]
    for r in rows:
        if r[0] not in prov_rows:
            prov_rows[r[0]] = len(prov_rows)
            for col, v in zip(pcols, r[0:5], strict=True):
                col.append(v)
    old_index = {str(k): i for i, k in enumerate(old_prov.key.tolist())}
    members = tuple(tuple(sorted(old_index[o] for o in converter[str(k)])) for k in pcols[0])
    provinces = NewProvinces(
        key=_text(pcols[0]),
        code=_text(pcols[1]),
        name=_text(pcols[2]),
        lat=np.asarray(pcols[3], dtype=np.float64),
        lon=np.asarray(pcols[4], dtype=np.float64),
        members=members,
    )
    area = np.asarray([np.nan if r[11] is None else float(r[11]) for r in rows])
    area[area <= 0] = np.nan
    communes = NewCommunes(
        key=_text([r[5] for r in rows]),
        code=_text([r[6] for r in rows]),
        name=_text([r[7] for r in rows]),
        type=_text([r[8] for r in rows]),
        lat=np.asarray([r[9] for r in rows], dtype=np.float64),
        lon=np.asarray([r[10] for r in rows], dtype=np.float64),
        area_km2=area,
        province=np.asarray([prov_rows[r[0]] for r in rows], dtype=np.int32),
    )
    return provinces, communes


def _mapping(
    converter: dict[str, Any],
    districts: OldUnits,
    communes: OldUnits,
    new: NewCommunes,
    new_prov: NewProvinces,
) -> Mapping2025:
    commune_index = {str(k): i for i, k in enumerate(communes.key.tolist())}
    district_index = {str(k) + "_": i for i, k in enumerate(districts.key.tolist())}
    new_index = {
        (str(new_prov.key[p]), str(k)): i
        for i, (k, p) in enumerate(zip(new.key.tolist(), new.province, strict=True))
    }
    edges: list[tuple[int, int, int, bool, bool]] = []

    def source(old_key: str) -> tuple[int, int]:
        if old_key in commune_index:
            c = commune_index[old_key]
            return c, int(communes.parent[c])
        if old_key in district_index:
            return -1, district_index[old_key]
        raise ReorgError(f"{PACKAGE}: converter names an unknown old unit {old_key!r}")

    for prov, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, olds in wards.items():
            for old_key in olds:
                edges.append((*source(old_key), new_index[(prov, new_key)], False, True))
    for prov, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in olds.items():
            for t in targets:
                new_row = new_index[(prov, t["newWardKey"])]
                edges.append((*source(old_key), new_row, True, bool(t["isDefaultNewWard"])))
    edges.sort(key=lambda e: (e[2], e[0], e[1]))
    cols = list(zip(*edges, strict=True))
    return Mapping2025(
        commune=np.asarray(cols[0], dtype=np.int32),
        district=np.asarray(cols[1], dtype=np.int32),
        new=np.asarray(cols[2], dtype=np.int32),
        divided=np.asarray(cols[3], dtype=bool),
        default=np.asarray(cols[4], dtype=bool),
    )


@lru_cache(maxsize=1)
def load() -> PackageData:
    """The package's legacy and 2025 tables and the 2025 mapping (read once per process)."""
    root = _package_dir() / "data"
    converter = json.loads((root / "converter_2025.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(f"file:{root / 'dataset.db'}?mode=ro", uri=True)
    try:
        provinces, districts, communes = _legacy(conn)
        new_prov, new_communes = _new(conn, converter["DICT_PROVINCE"], provinces)
    finally:
        conn.close()
    mapping = _mapping(converter, districts, communes, new_communes, new_prov)
    return PackageData(provinces, districts, communes, new_prov, new_communes, mapping, _version())
