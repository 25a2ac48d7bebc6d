"""Small named apparatuses for the plan tests."""

from __future__ import annotations

import itertools

import pytest

from reorg.model import (
    Apparatus,
    DutyRow,
    LevelRow,
    NeighbourRow,
    PersonRow,
    StandardRow,
    TaskRow,
    UnitRow,
    build_apparatus,
)

LEVELS = [
    LevelRow("nation", 0, True),
    LevelRow("ministry", 1),
    LevelRow("province", 1, True),
    LevelRow("department", 2),
    LevelRow("district", 2, True),
    LevelRow("office", 3),
    LevelRow("commune", 3, True),
]


@pytest.fixture
def three_tier() -> Apparatus:
    """A nation, two provinces, three districts, seven communes, in a row of neighbours.

    vn ── ministry m (defence)
     ├── p1 ── department dep1 (land, for p1)
     │    ├── d1 ── office o1 (local, for d1)
     │    │    ├── c1 ─ c2 ─ c3 ┐
     │    └── d2 ── office o2 (local, for d2)   (each commune leads registry for itself;
     │         ├── c4 ─ c5 ─────┘ ...            c1 also supports local)
     └── p2 ── department dep2 (land, for p2)
          └── d3 ── office o3 (local, for d3)
               ├── c6 ─ c7

    Neighbours: c1-c2, c2-c3, c3-c4, c4-c5, c5-c6, c6-c7 (border 2 km each). One person per commune
    (ids x1..x7) and two in o1 (y1, y2). Communes have area and population; quota 5 everywhere.
    """
    communes = {"c1": "d1", "c2": "d1", "c3": "d1", "c4": "d2", "c5": "d2", "c6": "d3", "c7": "d3"}
    units = [
        UnitRow("vn", "Nation", "nation"),
        UnitRow("m", "Ministry", "ministry", parent_id="vn"),
        UnitRow("p1", "Province 1", "province", parent_id="vn"),
        UnitRow("p2", "Province 2", "province", parent_id="vn"),
        UnitRow("dep1", "Dept 1", "department", parent_id="p1"),
        UnitRow("dep2", "Dept 2", "department", parent_id="p2"),
        UnitRow("d1", "District 1", "district", parent_id="p1"),
        UnitRow("d2", "District 2", "district", parent_id="p1"),
        UnitRow("d3", "District 3", "district", parent_id="p2"),
        UnitRow("o1", "Office 1", "office", parent_id="d1", quota=5),
        UnitRow("o2", "Office 2", "office", parent_id="d2", quota=5),
        UnitRow("o3", "Office 3", "office", parent_id="d3", quota=5),
    ]
    for i, (c, d) in enumerate(communes.items()):
        units.append(
            UnitRow(
                c,
                c.upper(),
                "commune",
                parent_id=d,
                quota=5,
                area_km2=10.0 * (i + 1),
                population=1000.0 * (i + 1),
                lat=10.0 + i,
                lon=100.0,
            )
        )
    duties = [DutyRow("m", "defence"), DutyRow("dep1", "land"), DutyRow("dep2", "land")]
    duties += [DutyRow(o, "local") for o in ("o1", "o2", "o3")]
    duties += [DutyRow(c, "registry") for c in communes]
    duties.append(DutyRow("c1", "local", role="support"))
    people = [PersonRow(f"x{i + 1}", c) for i, c in enumerate(communes)]
    people += [PersonRow("y1", "o1"), PersonRow("y2", "o1")]
    order = list(communes)
    neighbours = [NeighbourRow(a, b, 2.0) for a, b in itertools.pairwise(order)]
    return build_apparatus(
        levels=LEVELS,
        units=units,
        tasks=[TaskRow(t, t.title()) for t in ("defence", "land", "local", "registry")],
        duties=duties,
        people=people,
        neighbours=neighbours,
        standards=[StandardRow("commune", min_population=2500)],
    )
