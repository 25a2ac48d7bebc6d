"""A small apparatus and plans for the roadmap tests, and a synthetic roadmap for monitoring.

The apparatus (``apparatus()``): a nation with a ministry and two provinces; province p1 has a
department and two districts, d1 (communes c1, c2, c3) and d2 (c4, c5); p2 has d3 (c6, c7). Each district
has an office o1..o3 leading task ``local`` for its district; each commune leads ``registry`` for
itself; the ministry leads ``defence``; each department leads ``land`` for its province.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from reorg.model import Apparatus, DutyRow, LevelRow, PersonRow, TaskRow, UnitRow, build_apparatus
from reorg.plan import Dissolve, Merge, NewUnit, Plan, Transfer
from reorg.roadmap import Roadmap, Step

START = dt.date(2025, 3, 1)
COMMUNES = {"c1": "d1", "c2": "d1", "c3": "d1", "c4": "d2", "c5": "d2", "c6": "d3", "c7": "d3"}


def apparatus() -> Apparatus:
    levels = [
        LevelRow("nation", 0, True),
        LevelRow("ministry", 1),
        LevelRow("province", 1, True),
        LevelRow("department", 2),
        LevelRow("district", 2, True),
        LevelRow("office", 3),
        LevelRow("commune", 3, True),
    ]
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
    units += [UnitRow(c, c.upper(), "commune", parent_id=d, quota=5) for c, d in COMMUNES.items()]
    duties = [DutyRow("m", "defence"), DutyRow("dep1", "land"), DutyRow("dep2", "land")]
    duties += [DutyRow(o, "local") for o in ("o1", "o2", "o3")]
    duties += [DutyRow(c, "registry") for c in COMMUNES]
    return build_apparatus(
        levels=levels,
        units=units,
        tasks=[TaskRow(t, t.title()) for t in ("defence", "land", "local", "registry")],
        duties=duties,
        people=[PersonRow(f"x{i}", c) for i, c in enumerate(COMMUNES)],
    )


def handover_plan() -> Plan:
    """District 1's office hands task ``local`` to its three communes, then goes; c4 and c5 merge."""
    return Plan(
        "handover",
        (
            Transfer(task="local", from_unit="o1"),
            Transfer(task="local", to_unit="c1"),
            Transfer(task="local", to_unit="c2"),
            Transfer(task="local", to_unit="c3"),
            Dissolve(unit="o1"),
            Merge(units=("c4", "c5"), into=NewUnit("c45", "C45")),
            Transfer(task="registry", from_unit="c6", to_unit="c45", scope="c6"),
        ),
        require=(),
    )


def handover_roadmap(*, good: bool) -> Roadmap:
    """The handover plan in steps: in a good order (the hand-over in one step, then the office goes),
    or a bad one (the office stops leading ``local`` and goes before the communes take it over)."""
    if good:
        steps = (
            Step("hand", "hand local over to the communes", (0, 1, 2, 3), "d1", "district", 14),
            Step("close", "close office 1", (4,), "d1", "office", 30),
            Step("merge", "merge c4 and c5", (5,), "d2", "commune", 30),
            Step("move", "c45 leads registry for c6", (6,), "p2", "commune", 10),
        )
    else:
        steps = (
            Step("close", "office 1 stops and goes", (0, 4), "d1", "office", 10),
            Step("hand", "the communes take local", (1, 2, 3), "d1", "commune", 14),
            Step("merge", "merge c4 and c5", (5,), "d2", "commune", 30),
            Step("move", "c45 leads registry for c6", (6,), "p2", "commune", 10),
        )
    return Roadmap("handover", START, steps, True)


def chain_roadmap(n: int, *, chains: int = 40, levels: int = 3, seed: int = 0) -> Roadmap:
    """A roadmap of ``n`` steps without a plan (no operations): ``chains`` chains of steps, chain c
    owned by unit ``u<c>`` at level ``level<c % levels>``; each step comes after the previous one of
    its chain and, every fourth, after the last step so far of the chain before; durations 30 to 150
    days; every third step has a headcount target of 100."""
    rng = np.random.default_rng(seed)
    steps = []
    last: dict[int, str] = {}
    for i in range(n):
        c = i % chains
        deps = [last[c]] if c in last else []
        if i % 4 == 3 and c > 0 and (c - 1) in last:
            deps.append(last[c - 1])
        sid = f"s{i}"
        steps.append(
            Step(
                sid,
                f"step {i}",
                (),
                f"u{c}",
                f"level{c % levels}",
                int(rng.integers(30, 151)),
                START,
                depends=tuple(deps),
                targets=(("headcount", 100.0),) if i % 3 == 0 else (),
            )
        )
        last[c] = sid
    return Roadmap("chain", START, tuple(steps), False)
