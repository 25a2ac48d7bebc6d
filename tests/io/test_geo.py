"""territories.geojson: neighbours from shared borders (rook), and areas and locations from outlines."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely

from reorg.errors import InputError
from reorg.io import load
from reorg.io.geo import KM_PER_DEGREE, area_km2, border_km
from reorg.model import Apparatus

GRID = Path(__file__).parent.parent / "data" / "grid"
SIDE = 0.01  # degrees


@pytest.fixture
def grid_folder(tmp_path: Path) -> Path:
    """A copy of tests/data/grid, a province p of 0.01° squares near 10° N, 106° E::

        10.02  +---+---+---+
               | a | b | c |
        10.01  +---+---+---+
               | d | e | f |
        10.00  +---+---+---+---+
                           | g |     g touches f only at a corner
         9.99              +---+
             106.00      106.03

    plus p's own outline around a..f, and commune h with no outline. b has an area in units.csv and c a
    location; every other commune takes them from its outline.
    """
    folder = tmp_path / "grid"
    shutil.copytree(GRID, folder)
    return folder


def pairs(app: Apparatus) -> set[tuple[str, str]]:
    ids = app.units.id
    return {(str(ids[a]), str(ids[b])) for a, b in zip(app.neighbours.a, app.neighbours.b, strict=True)}


def test_neighbours_share_a_border_line_not_a_corner(grid_folder: Path) -> None:
    """Rook adjacency: squares sharing an edge are neighbours; a-e and f-g (corners only) are not, nor p
    (another level) with its communes."""
    app = load(grid_folder)
    assert pairs(app) == {
        ("a", "b"), ("b", "c"), ("d", "e"), ("e", "f"), ("a", "d"), ("b", "e"), ("c", "f")
    }  # fmt: skip


def test_border_length_uses_local_scale(grid_folder: Path) -> None:
    """A north-south edge is 0.01° of latitude; an east-west edge at 10.01° N is scaled by cos(10.01°)."""
    app = load(grid_folder)
    km = {
        (str(app.units.id[a]), str(app.units.id[b])): float(x)
        for a, b, x in zip(app.neighbours.a, app.neighbours.b, app.neighbours.border_km, strict=True)
    }
    assert km[("a", "b")] == pytest.approx(SIDE * KM_PER_DEGREE, rel=1e-9)
    assert km[("a", "d")] == pytest.approx(SIDE * KM_PER_DEGREE * math.cos(math.radians(10.01)), rel=1e-9)
    assert 1.09 < km[("a", "d")] < km[("a", "b")] < 1.12


def test_missing_area_and_location_come_from_the_outline(grid_folder: Path) -> None:
    """Area (km²) and a point inside the outline fill the gaps; given values are kept; no outline, no fill."""
    app = load(grid_folder)
    row = app.units.index
    square = SIDE * SIDE * math.cos(math.radians(10.015)) * KM_PER_DEGREE**2
    assert app.units.area_km2[row["a"]] == pytest.approx(square, rel=1e-9)
    assert app.units.area_km2[row["b"]] == 5
    assert (app.units.lat[row["c"]], app.units.lon[row["c"]]) == (10.0175, 106.0225)
    lat, lon = app.units.lat[row["e"]], app.units.lon[row["e"]]
    assert 10.0 < lat < 10.01
    assert 106.01 < lon < 106.02
    assert np.isnan(app.units.area_km2[row["h"]])
    assert np.isnan(app.units.lat[row["h"]])


def test_neighbours_file_wins_over_outlines(grid_folder: Path) -> None:
    """When neighbours.csv is present it is the adjacency; outlines still fill areas."""
    (grid_folder / "neighbours.csv").write_text("a,b,border_km\na,h,2\n", encoding="utf-8")
    app = load(grid_folder)
    assert pairs(app) == {("a", "h")}
    assert not np.isnan(app.units.area_km2[app.units.index["a"]])


def edit(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / "territories.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_unknown_unit_names_the_feature(grid_folder: Path) -> None:
    """A feature whose properties.id is no unit is refused, naming the feature's index."""
    edit(grid_folder, lambda d: d["features"][3]["properties"].update(id="zz"))
    with pytest.raises(InputError, match="feature 3") as caught:
        load(grid_folder)
    assert (caught.value.file, caught.value.column, caught.value.value) == (
        "territories.geojson",
        "properties.id",
        "zz",
    )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["features"][1]["properties"].update(id="a"), "feature 1: one feature per unit"),
        (
            lambda d: d["features"][2].update(geometry={"type": "Point", "coordinates": [106, 10]}),
            "feature 2",
        ),
        (lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": "x"}), "feature 0"),
        (lambda d: d.update(type="Feature"), "FeatureCollection"),
        (lambda d: d.update(features=[]), "at least one feature"),
        (
            lambda d: d["features"][0]["geometry"].update(
                coordinates=[[[10, 106], [10, 107], [11, 107], [10, 106]]]
            ),
            "longitude, latitude",
        ),
    ],
    ids=["unit twice", "a point", "malformed polygon", "not a collection", "no features", "lat/lon swapped"],
)
def test_bad_outlines_are_refused(
    grid_folder: Path, change: Callable[[dict[str, Any]], None], says: str
) -> None:
    """Each malformed outline file is refused with the feature and what was expected."""
    edit(grid_folder, change)
    with pytest.raises(InputError, match=says):
        load(grid_folder)


def test_not_json_is_refused(grid_folder: Path) -> None:
    """A territories file that is not JSON is refused with the line of the problem."""
    (grid_folder / "territories.geojson").write_text(
        '{"type": "FeatureCollection",\n "features": [}', "utf-8"
    )
    with pytest.raises(InputError, match="valid JSON") as caught:
        load(grid_folder)
    assert caught.value.row == 2


def test_border_km_of_points_is_zero_and_lines_add_up() -> None:
    """A corner contact measures 0 km; a two-part line measures the sum of its parts."""
    line = shapely.MultiLineString([[(0, 0), (0, 1)], [(1, 0), (1, 0.5)]])
    point = shapely.Point(0, 0)
    mixed = shapely.GeometryCollection([point, shapely.LineString([(0, 0), (0, 2)])])
    km = border_km(np.array([line, point, mixed], dtype=object))
    assert km.tolist() == pytest.approx([1.5 * KM_PER_DEGREE, 0.0, 2 * KM_PER_DEGREE])


def test_area_scales_with_latitude() -> None:
    """The same 1° square is smaller in km² at 60° than at the equator, by cos(latitude)."""
    at = [shapely.box(0, -0.5, 1, 0.5), shapely.box(0, 59.5, 1, 60.5)]
    equator, north = area_km2(np.array(at, dtype=object))
    assert north / equator == pytest.approx(math.cos(math.radians(60)), rel=1e-3)
