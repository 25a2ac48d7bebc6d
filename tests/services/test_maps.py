"""The map of a level: stored outlines, estimated cells, and where each unit went under a plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from territory_kit import grid_apparatus

from reorg.errors import InputError
from reorg.io.geo import KM_PER_DEGREE, read_territories
from reorg.plan import Plan
from reorg.report.geometry import voronoi_cells
from reorg.services.datasets import export_dataset, import_bundle
from reorg.services.maps import ESTIMATED, level_map
from reorg.store import Database

GRID = Path(__file__).resolve().parents[1] / "data" / "grid"
ACTOR = "tester"


def _shape(geometry: dict[str, Any] | str) -> Any:
    return shapely.from_geojson(geometry if isinstance(geometry, str) else json.dumps(geometry))


def _map(store: Database, **kw: Any) -> dict[str, Any]:
    with store.unit_of_work(actor=ACTOR, readonly=True) as uow:
        out: dict[str, Any] = level_map(uow, **kw).to_dict()
    return out


def _by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["id"]: f for f in doc["features"]}


def test_outlines_round_trip_through_the_store_and_export(store: Database, tmp_path: Path) -> None:
    """The outlines of territories.geojson are stored at import, read back, and exported again."""
    with store.unit_of_work(actor=ACTOR) as uow:
        import_bundle(uow, path=GRID, name="grid")
    with store.unit_of_work(actor=ACTOR, readonly=True) as uow:
        stored = uow.datasets.outlines(name="grid")
        app = uow.datasets.load(name="grid")
        export_dataset(uow, name="grid", target=tmp_path / "out")
    original = read_territories(GRID / "territories.geojson", app.units.index)
    assert sorted(stored) == sorted(app.units.id[r] for r in original.rows.tolist())
    for row, geometry in zip(original.rows.tolist(), original.geometries.tolist(), strict=True):
        assert shapely.equals(_shape(stored[app.units.id[row]]), geometry)
    exported = read_territories(tmp_path / "out" / "territories.geojson", app.units.index)
    assert exported.rows.tolist() == sorted(original.rows.tolist())
    order = np.argsort(original.rows)
    assert shapely.equals(exported.geometries, original.geometries[order]).all()


def test_export_of_a_plan_keeps_the_outlines_of_untouched_units(store: Database, tmp_path: Path) -> None:
    """Exporting a plan's result writes the outlines of the units it left alone, not of merged ones."""
    merge = {"op": "merge", "units": ["a", "b"], "into": {"id": "ab", "name": "AB"}}
    with store.unit_of_work(actor=ACTOR) as uow:
        import_bundle(uow, path=GRID, name="grid")
        uow.plans.create(Plan.from_dict({"baseline": "grid", "operations": [merge]}), name="joined")
    with store.unit_of_work(actor=ACTOR, readonly=True) as uow:
        export_dataset(uow, name="joined", target=tmp_path / "after")
    text = (tmp_path / "after" / "territories.geojson").read_text("utf-8")
    ids = [f["properties"]["id"] for f in json.loads(text)["features"]]
    assert sorted(ids) == ["c", "d", "e", "f", "g", "p"]


def test_map_uses_outlines_and_estimates_only_what_has_none(store: Database) -> None:
    """Units with outlines are drawn with them; a commune without outline or location has no shape;
    only that one is marked estimated."""
    with store.unit_of_work(actor=ACTOR) as uow:
        import_bundle(uow, path=GRID, name="grid")
        outlines = uow.datasets.outlines(name="grid")
    doc = _map(store, name="grid", level="commune")
    features = _by_id(doc)
    assert sorted(features) == list("abcdefgh")
    for uid in "abcdefg":
        assert not features[uid]["properties"]["estimated"]
        assert shapely.equals_exact(_shape(features[uid]["geometry"]), _shape(outlines[uid]), 1e-5)
    assert features["h"]["properties"]["estimated"]
    assert features["h"]["geometry"] is None
    assert doc["estimated"] == ESTIMATED
    assert features["a"]["properties"]["parent_id"] == "p"


def test_a_unit_without_outline_gets_the_union_of_its_descendants(store: Database) -> None:
    """A province with no outline of its own is drawn as the union of its communes' outlines."""
    app = grid_apparatus("11\n11")
    squares = {
        f"r{r}c{c}": shapely.to_geojson(shapely.box(105 + c, 10 + r, 106 + c, 11 + r))
        for r in range(2)
        for c in range(2)
    }
    with store.unit_of_work(actor=ACTOR) as uow:
        uow.datasets.create(app, name="grid", outlines=squares)
    doc = _map(store, name="grid", level="province")
    (feature,) = doc["features"]
    assert not feature["properties"]["estimated"]
    assert "estimated" not in doc
    assert shapely.equals(_shape(feature["geometry"]), shapely.box(105, 10, 107, 12))


def test_estimated_cells_hold_their_units_and_do_not_overlap(store: Database) -> None:
    """Without outlines, each unit's cell contains its location, one cell per unit, without overlap;
    provinces are their communes' cells dissolved."""
    app = grid_apparatus("123\n456\n789", "AAB\nAAB\nCCB")
    with store.unit_of_work(actor=ACTOR) as uow:
        uow.datasets.create(app, name="grid")
    doc = _map(store, name="grid", level="commune")
    assert doc["estimated"] == ESTIMATED
    shapes = {uid: _shape(f["geometry"]) for uid, f in _by_id(doc).items()}
    assert len(shapes) == 9
    for uid, shape in shapes.items():
        row = app.units.index[uid]
        assert shape.contains(shapely.Point(app.units.lon[row], app.units.lat[row]))
    cells = list(shapes.values())
    assert sum(c.area for c in cells) == pytest.approx(shapely.union_all(cells).area, rel=1e-4)
    provinces = {
        uid: _shape(f["geometry"]) for uid, f in _by_id(_map(store, name="grid", level="province")).items()
    }
    assert provinces["pB"].area == pytest.approx(sum(shapes[f"r{r}c2"].area for r in range(3)), rel=1e-3)


@given(
    xy=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=60),
)
def test_voronoi_cells_partition_their_region(xy: list[tuple[int, int]]) -> None:
    """One cell per point, each containing its point (repeats included), together tiling the clip
    region with no overlap beyond rounding."""
    lon = 105.0 + np.array([p[0] for p in xy], dtype=float) * 0.01
    lat = 10.0 + np.array([p[1] for p in xy], dtype=float) * 0.01
    cells = voronoi_cells(lon, lat)
    assert len(cells) == len(xy)
    assert all(c is not None and not c.is_empty for c in cells)
    held = shapely.distance(cells, shapely.points(lon, lat))
    _, first = np.unique(np.column_stack([lon, lat]), axis=0, return_index=True)
    assert (held[first] == 0).all()
    assert (held < 5e-4).all()  # a repeated place is spread a few metres around it
    union = shapely.union_all(cells)
    assert shapely.area(cells).sum() == pytest.approx(union.area, rel=1e-6)
    assert union.geom_type == "Polygon"  # one region, no gaps between cells
    assert not union.interiors


def test_cells_with_areas_do_not_swell_into_the_sea() -> None:
    """Given areas, a far island's cell and the edge cells stay within 3 equivalent radii of their
    point (an island of 1 km² gets at most 9 km²), still holding their points without overlap."""
    xs, ys = np.meshgrid(np.arange(4.0), np.arange(4.0))
    lon = np.append(105.0 + 0.01 * xs.ravel(), 106.0)
    lat = np.append(10.0 + 0.01 * ys.ravel(), 10.0)
    area = np.ones(len(lon))
    cells = voronoi_cells(lon, lat, area)
    km2 = shapely.area(cells) * np.cos(np.radians(10.0)) * KM_PER_DEGREE**2
    assert km2[-1] <= 9.0 * 1.02
    assert km2.max() <= 9.0 * 1.02
    assert (shapely.distance(cells, shapely.points(lon, lat)) == 0).all()
    assert shapely.area(cells).sum() == pytest.approx(shapely.union_all(cells).area, rel=1e-6)


def test_after_id_follows_a_merge_plan(store: Database) -> None:
    """Units merged by a plan point to the merged unit; the others to themselves; regions count them."""
    app = grid_apparatus("12\n34")
    merge = {"op": "merge", "units": ["r0c0", "r0c1"], "into": {"id": "top", "name": "Top"}}
    with store.unit_of_work(actor=ACTOR) as uow:
        uow.datasets.create(app, name="grid")
        uow.plans.create(Plan.from_dict({"baseline": "grid", "operations": [merge]}), name="joined")
    doc = _map(store, name="grid", level="commune", plan="joined")
    after = {
        uid: (f["properties"]["after_id"], f["properties"]["after_name"]) for uid, f in _by_id(doc).items()
    }
    assert after == {
        "r0c0": ("top", "Top"),
        "r0c1": ("top", "Top"),
        "r1c0": ("r1c0", "Commune 1-0"),
        "r1c1": ("r1c1", "Commune 1-1"),
    }
    regions = {r["id"]: r for r in doc["regions"]}
    assert regions["top"]["members"] == 2
    assert regions["top"]["population"] == 3000.0
    assert (regions["top"]["operation"], regions["top"]["op"]) == (0, "merge")
    assert (regions["r1c0"]["members"], regions["r1c0"]["operation"]) == (1, None)


def test_a_plan_of_another_baseline_is_refused(store: Database) -> None:
    """A plan saved against another dataset is an InputError naming the dataset it must be saved against."""
    with store.unit_of_work(actor=ACTOR) as uow:
        uow.datasets.create(grid_apparatus("12"), name="grid")
        uow.datasets.create(grid_apparatus("12"), name="other")
        uow.plans.create(Plan.from_dict({"baseline": "other", "operations": []}), name="elsewhere")
    with pytest.raises(InputError, match=r"saved against grid@1"):
        _map(store, name="grid", level="commune", plan="elsewhere")


def test_unknown_level_names_the_known_levels(store: Database) -> None:
    """A level the dataset does not have is an InputError listing its levels, top first."""
    with store.unit_of_work(actor=ACTOR) as uow:
        uow.datasets.create(grid_apparatus("12"), name="grid")
    with pytest.raises(InputError, match=r"nation, province, commune") as caught:
        _map(store, name="grid", level="district")
    assert caught.value.value == "district"
