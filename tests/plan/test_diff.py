"""diff: what changed between a baseline and the apparatus after a plan, matched by id."""

from __future__ import annotations

import json

from reorg.model import Apparatus
from reorg.plan import AbolishLevel, Merge, MovePeople, NewUnit, Plan, ReleasePeople, Transfer, apply, diff
from reorg.plan.diff import LeadChange, PersonMove


def test_nothing_changed(three_tier: Apparatus) -> None:
    """An apparatus compared with itself shows no change and equal counts."""
    d = diff(three_tier, three_tier)
    assert (d.units_added, d.units_removed, d.leads_moved, d.people_moved) == ((), (), (), ())
    assert d.headcount == (9, 9)
    assert d.levels["commune"] == (7, 7)


def test_merge_move_release_and_transfer(three_tier: Apparatus) -> None:
    """Units added and removed, a lead that moved, people who moved or left, in sorted id order."""
    plan = Plan(
        baseline="three-tier",
        operations=(
            Merge(("c1", "c2"), NewUnit("c12", "C12")),
            Transfer("land", from_unit="dep2", to_unit="p2"),
            MovePeople("c3", people=("y1",)),
            ReleasePeople(("y2",)),
        ),
    )
    d = diff(three_tier, apply(three_tier, plan))
    assert d.units_added == ("c12",)
    assert d.units_removed == ("c1", "c2")
    assert d.levels["commune"] == (7, 6)
    assert LeadChange("land", ("dep1", "dep2"), ("dep1", "p2")) in d.leads_moved
    assert (
        LeadChange(
            "registry", ("c1", "c2", "c3", "c4", "c5", "c6", "c7"), ("c12", "c3", "c4", "c5", "c6", "c7")
        )
        in d.leads_moved
    )
    assert d.people_moved == (
        PersonMove("x1", "c1", "c12"),
        PersonMove("x2", "c2", "c12"),
        PersonMove("y1", "o1", "c3"),
    )
    assert d.people_released == ("y2",)
    assert d.headcount == (9, 8)


def test_to_dict_is_json(three_tier: Apparatus) -> None:
    """The dictionary form serializes to JSON and keeps the level order, top first."""
    after = apply(three_tier, Plan(baseline="b", operations=(AbolishLevel("district"),)))
    data = json.loads(json.dumps(diff(three_tier, after).to_dict()))
    assert list(data["levels"])[:3] == ["nation", "ministry", "province"]
    assert data["levels"]["district"] == {"before": 3, "after": 0}
    assert data["headcount"] == {"before": 9, "after": 9}
    assert {"person": "y1", "before": "o1", "after": "p1"} in data["people_moved"]


def test_parents_show_units_placed_under_another_level(three_tier: Apparatus) -> None:
    """Abolishing the districts puts the communes (and offices' successors) under the provinces."""
    after = apply(three_tier, Plan(baseline="b", operations=(AbolishLevel("district"),)))
    d = diff(three_tier, after)
    assert d.parents["commune"] == {"district": (7, 0), "province": (0, 7)}
    assert d.parents["nation"] == {"-": (1, 1)}
    assert d.to_dict()["parents"]["commune"]["province"] == {"before": 0, "after": 7}


def test_grouped_adds_up_levels_by_group(three_tier: Apparatus) -> None:
    """Levels mapped to one group are summed, in the order of their first level; others stand alone."""
    after = apply(three_tier, Plan(baseline="b", operations=(AbolishLevel("district"),)))
    groups = {"province": "local", "district": "local", "commune": "local", "office": "local"}
    assert diff(three_tier, after).grouped(groups) == {
        "nation": (1, 1),
        "ministry": (1, 1),
        "local": (2 + 3 + 3 + 7, 2 + 7),
        "department": (2, 2),
    }
