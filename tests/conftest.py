"""Shared fixtures: small named apparatuses built from rows."""

from __future__ import annotations

import pytest
from hypothesis import settings

from reorg.model import (
    Apparatus,
    DutyRow,
    LevelRow,
    NeighbourRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)

# Wall-clock deadlines per example make property tests flaky on a loaded 2-core CI machine; the
# properties are about behaviour, and speed is measured by benchmarks/. Examples are drawn from a fixed
# seed (derandomize), so that CI on a clean clone runs exactly what passed here; to explore further,
# register a profile without derandomize and load it with `pytest --hypothesis-profile=NAME`.
settings.register_profile("reorg", deadline=None, derandomize=True)
settings.load_profile("reorg")


@pytest.fixture
def tiny() -> Apparatus:
    """A nation with one ministry and two provinces; province p1 has a department and two communes.

    nation vn ── ministry m1
             ├── province p1 ── department d1
             │               ├── commune c1 ┐ neighbours
             │               └── commune c2 ┘
             └── province p2 ── commune c3
    Task 'land' is led by each province's department/province for its own territory; 'defence' by m1.
    """
    return build_apparatus(
        levels=[
            LevelRow("nation", 0, True),
            LevelRow("ministry", 1),
            LevelRow("province", 1, True),
            LevelRow("department", 2),
            LevelRow("commune", 2, True),
        ],
        units=[
            UnitRow("vn", "Nation", "nation"),
            UnitRow("m1", "Ministry", "ministry", parent_id="vn"),
            UnitRow("p1", "Province 1", "province", parent_id="vn", area_km2=30, population=3000),
            UnitRow("d1", "Dept", "department", parent_id="p1"),
            UnitRow("c1", "C1", "commune", parent_id="p1", area_km2=10, population=1000),
            UnitRow("c2", "C2", "commune", parent_id="p1", area_km2=20, population=2000),
            UnitRow("p2", "Province 2", "province", parent_id="vn", area_km2=5, population=500),
            UnitRow("c3", "C3", "commune", parent_id="p2", area_km2=5, population=500),
        ],
        tasks=[TaskRow("land", "Land administration"), TaskRow("defence", "Defence")],
        duties=[
            DutyRow("m1", "defence"),
            DutyRow("d1", "land"),
            DutyRow("p2", "land"),
            DutyRow("c1", "land", role="support"),
        ],
        neighbours=[NeighbourRow("c1", "c2"), NeighbourRow("c2", "c3")],
    )
