"""move: a unit and its subtree re-attached under another parent, and what the tree allows."""

from __future__ import annotations

import numpy as np
import pytest

from reorg.errors import PlanError
from reorg.model import Apparatus
from reorg.plan import Move, Plan, apply, check
from reorg.plan.invariants import STRUCTURAL


def _move(app: Apparatus, unit: str, parent: str) -> Apparatus:
    return apply(app, Plan(baseline="three-tier", operations=(Move(unit=unit, parent=parent),)))


def test_a_commune_moved_to_another_district_takes_its_territory_along(three_tier: Apparatus) -> None:
    """c3 moved from d1 to d2: its parent changes, d2's office now covers it, nothing else changes."""
    after = _move(three_tier, "c3", "d2")
    units = after.units
    assert units.id[units.parent[units.index["c3"]]] == "d2"
    assert check(after, [*STRUCTURAL, "contiguity"]) == []
    assert after.counts() == three_tier.counts()
    np.testing.assert_allclose(after.units.area_km2, three_tier.units.area_km2)
    assert [(e.source, e.target, e.kind) for e in after.lineage] == [("c3", "c3", "move")]
    assert after.people.unit[after.people.index["x3"]] == units.index["c3"]


def test_a_move_that_would_lead_a_task_twice_is_refused(three_tier: Apparatus) -> None:
    """District office o1 under d3, whose office o3 already leads the same task there: refused."""
    with pytest.raises(PlanError, match="led more than once"):
        _move(three_tier, "o1", "d3")


def test_the_new_parent_must_rank_above(three_tier: Apparatus) -> None:
    """A ministry cannot sit under a province: both rank 1."""
    with pytest.raises(PlanError, match="not ranked above"):
        _move(three_tier, "m", "p1")


def test_a_unit_cannot_move_under_its_own_subtree_nor_the_root_move(three_tier: Apparatus) -> None:
    """d1 under its own office, and the root anywhere, are refused with their own message."""
    with pytest.raises(PlanError, match="lies inside it"):
        _move(three_tier, "d1", "o1")
    with pytest.raises(PlanError, match="root cannot be moved"):
        _move(three_tier, "vn", "p1")


def test_move_round_trips_through_json() -> None:
    """The JSON form of a move names the unit and its new parent."""
    plan = Plan(baseline="b", operations=(Move(unit="vgcl", parent="vff"),))
    data = plan.to_dict()["operations"][0]
    assert data == {"op": "move", "unit": "vgcl", "parent": "vff"}
    assert Plan.from_json(plan.to_json()) == plan
