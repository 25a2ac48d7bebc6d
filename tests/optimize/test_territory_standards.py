"""Territory proposals whose minimums come from the standards, each unit's of its own kind."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from territory_kit import grid_apparatus

from reorg.errors import InputError
from reorg.model import Apparatus, Standards
from reorg.model.tables import float_column, int_column, text_column
from reorg.optimize.territory import TerritorySpec, propose
from reorg.optimize.territory.spec import waived_fill
from reorg.plan import apply, check

#: wards on the left (columns 0-1), communes on the right; every cell is 10 km²
MAP = """
1111
1111
"""


def _with_kinds(app: Apparatus, standards: list[tuple[str, float]]) -> Apparatus:
    """``app`` with its communes of columns 0-1 made wards, and commune standards (kind, min km²)."""
    units = app.units
    kinds = [
        ("ward" if uid.endswith(("c0", "c1")) else "commune") if uid.startswith("r") else ""
        for uid in units.id
    ]
    level = app.levels.index["commune"]
    rows = Standards(
        level=int_column([level] * len(standards)),
        kind=text_column([k for k, _ in standards]),
        unit_class=text_column([""] * len(standards)),
        min_area_km2=float_column([a for _, a in standards]),
        min_population=float_column([np.nan] * len(standards)),
        max_units=float_column([np.nan] * len(standards)),
    )
    return dataclasses.replace(app, units=dataclasses.replace(units, kind=text_column(kinds)), standards=rows)


def test_each_unit_fills_the_standard_of_its_kind() -> None:
    """Wards of 10 km² meet the ward standard of 5.5 km² alone, communes of 10 km² need three for 30 km²:
    five regions (one 30 km² minimum for all allows two), and after the merges (a region with a ward
    becomes a ward) every unit meets the standard of its kind."""
    app = _with_kinds(grid_apparatus(MAP), [("", 30.0), ("ward", 5.5)])
    plan, ex = propose(app, "commune", TerritorySpec(standard_minimums=("area_km2",)))
    regions = sorted(sorted(r.members) for r in ex.regions)
    assert len(regions) == 5
    assert all(r.feasible for r in ex.regions)
    after = apply(app, plan)
    assert check(after, ["standards"]) == []
    _, flat = propose(app, "commune", TerritorySpec(minimums={"area_km2": 30.0}))
    assert len(flat.regions) == 2


def test_a_unit_without_a_standard_minimum_is_refused() -> None:
    """Standard minimums need a positive minimum for every unit of the level: a ward standard alone
    leaves the communes without one, and the error names the first of them."""
    app = _with_kinds(grid_apparatus(MAP), [("ward", 5.5)])
    with pytest.raises(InputError, match=r"standard_minimums.*r0c2|r0c2.*standard"):
        propose(app, "commune", TerritorySpec(standard_minimums=("area_km2",)))


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"standard_minimums": ("income",)}, "area_km2 and population only"),
        ({"standard_minimums": ("area_km2",), "minimums": {"area_km2": 30.0}}, "not both"),
    ],
)
def test_standard_minimums_are_checked(kwargs: dict[str, object], says: str) -> None:
    """Only area and population have standards, and an attribute has one kind of minimum."""
    with pytest.raises(ValueError, match=says):
        TerritorySpec(**kwargs)  # type: ignore[arg-type]


def test_standard_minimums_from_toml_data() -> None:
    """The TOML form lists the figures; the spec holds them as a tuple and constrains their fills."""
    spec = TerritorySpec.from_dict({"standard_minimums": ["population"]})
    assert spec.standard_minimums == ("population",)
    assert spec.lower_bounds == {"population / standard": 1.0}


#: twelve communes of 10 km² in three rows of four
WIDE = """
1111
1111
1111
"""


def test_a_waiver_accepts_regions_of_enough_units() -> None:
    """With a 40 km² standard, communes of 10 km² need four a region (three regions of twelve); with
    the standards waived for three units or more (NASC Res. 76/2025), three suffice: four regions,
    each judged feasible; a pair still needs the standard itself (20 km² lets pairs stand: six)."""
    app = _with_kinds(grid_apparatus(WIDE), [("", 40.0)])
    _, strict = propose(app, "commune", TerritorySpec(standard_minimums=("area_km2",)))
    assert len(strict.regions) == 3
    waived = TerritorySpec(standard_minimums=("area_km2",), standard_waiver=3)
    _, ex = propose(app, "commune", waived)
    assert sorted(len(r.members) for r in ex.regions) == [3, 3, 3, 3]
    assert all(r.feasible for r in ex.regions)
    pairs = _with_kinds(grid_apparatus(WIDE), [("", 20.0)])
    _, ex = propose(pairs, "commune", waived)
    assert sorted(len(r.members) for r in ex.regions) == [2] * 6
    assert all(r.feasible for r in ex.regions)


def test_waived_fill_counts_each_unit_at_least_its_share() -> None:
    """Each unit fills at least 1 / waiver; 0 leaves the fills as they are."""
    fill = np.array([0.1, 0.5, 1.2])
    assert waived_fill(fill, 3).tolist() == pytest.approx([1 / 3, 0.5, 1.2])
    assert waived_fill(fill, 0) is fill


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"standard_minimums": ("area_km2",), "standard_waiver": 1}, "at least 2 units"),
        ({"standard_minimums": ("area_km2",), "standard_waiver": -3}, "at least 2 units"),
        ({"standard_waiver": 3}, "needs standard_minimums"),
    ],
)
def test_standard_waiver_is_checked(kwargs: dict[str, object], says: str) -> None:
    """A waiver is 0 or at least two units, and waives standard minimums only."""
    with pytest.raises(ValueError, match=says):
        TerritorySpec(**kwargs)  # type: ignore[arg-type]
