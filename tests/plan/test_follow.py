"""The agencies of merged territories follow them (reorg.plan.follow): those leading a common task are
merged before the territories are, so the merge applies and no task is led twice."""

from __future__ import annotations

import pytest

from kits.diagnose_kit import make, two_provinces
from reorg.errors import ReorgError
from reorg.model import Apparatus
from reorg.plan import Plan, apply, check
from reorg.plan.follow import agency_merges
from reorg.plan.operations import Merge, NewUnit


def _app() -> Apparatus:
    # p1: d1a leads finance, d1b leads health and roads; p2: d2a leads finance and roads
    return make(
        two_provinces(),
        [("d1a", "finance"), ("d1b", "health"), ("d1b", "roads"), ("d2a", "finance"), ("d2a", "roads")],
    )


def test_agencies_sharing_a_lead_task_merge_transitively_under_the_kept_territory() -> None:
    app = _app()
    merges = agency_merges(app, ("p2", "p1"), NewUnit("p1", "P1"))
    # d1a and d2a share finance, d2a and d1b share roads: one group of three, kept as p1's first one
    # (members in the merge's order of their territories; the kept one is the first agency of p1)
    assert merges == (Merge(units=("d2a", "d1a", "d1b"), into=NewUnit("d1a", "D1A", parent_id="p1")),)


def test_the_territorial_merge_applies_only_with_its_agencies_following() -> None:
    app = _app()
    into = NewUnit("p1", "P1")
    territorial = Merge(units=("p1", "p2"), into=into)
    with pytest.raises(ReorgError):
        apply(app, Plan(baseline="t", operations=(territorial,)))
    plan = Plan(baseline="t", operations=(*agency_merges(app, ("p1", "p2"), into), territorial))
    after = apply(app, plan)
    assert check(after, ["one_lead", "coverage", "tree"]) == []
    assert sorted(after.units_per_level().items()) == sorted(
        {"nation": 1, "ministry": 2, "province": 1, "department": 1, "district": 2, "commune": 4}.items()
    )


def test_agencies_sharing_nothing_stay_and_a_lone_territory_has_nothing_to_merge() -> None:
    app = make(two_provinces(), [("d1a", "finance"), ("d2a", "health")])
    assert agency_merges(app, ("p1", "p2"), NewUnit("p1", "P1")) == ()
    assert agency_merges(app, ("p1",), NewUnit("p1", "P1")) == ()
