"""apply: merge, split and dissolve on the three-tier fixture (see tests/plan/conftest.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reorg.errors import PlanError
from reorg.model import Apparatus, LineageEdge
from reorg.plan import Dissolve, Merge, NewUnit, Operation, Plan, Split, SplitPart, apply, check
from reorg.plan.invariants import STRUCTURAL


def run(app: Apparatus, *ops: Operation, require: tuple[str, ...] = ("contiguity",)) -> Apparatus:
    return apply(app, Plan(baseline="three-tier", operations=ops, require=require))


def refused(app: Apparatus, *ops: Operation, require: tuple[str, ...] = ("contiguity",)) -> PlanError:
    with pytest.raises(PlanError) as caught:
        run(app, *ops, require=require)
    return caught.value


def row(app: Apparatus, uid: str) -> int:
    return app.units.index[uid]


def duties_of(app: Apparatus, uid: str) -> set[tuple[str, str]]:
    rows = np.flatnonzero(app.duties.unit == row(app, uid))
    return {(str(app.tasks.id[app.duties.task[r]]), ("lead", "support")[app.duties.role[r]]) for r in rows}


def neighbours_of(app: Apparatus, uid: str) -> dict[str, float]:
    u = row(app, uid)
    ne = app.neighbours
    return {
        str(app.units.id[b if a == u else a]): km
        for a, b, km in zip(ne.a.tolist(), ne.b.tolist(), ne.border_km.tolist(), strict=True)
        if u in (a, b)
    }


def staff(app: Apparatus, uid: str) -> list[str]:
    return sorted(app.people.id[app.people.unit == row(app, uid)].tolist())


def test_apply_does_not_touch_its_input(three_tier: Apparatus) -> None:
    """The baseline is unchanged, column for column, after a plan is applied to it."""
    before = {name: column.copy() for name, column in three_tier.units.columns()}
    duties = three_tier.duties.unit.copy()
    run(three_tier, Merge(("c1", "c2"), NewUnit("c1", "")), Dissolve("o1"))
    for name, column in three_tier.units.columns():
        assert np.array_equal(column, before[name], equal_nan=column.dtype.kind == "f"), name
    assert np.array_equal(three_tier.duties.unit, duties)
    assert three_tier.lineage == ()


def test_merge_into_one_of_the_units(three_tier: Apparatus) -> None:
    """c1 absorbs c2: sums, a population-weighted centre, pooled duties, staff and neighbours."""
    after = run(three_tier, Merge(("c1", "c2"), NewUnit("c1", "C1+2")))
    c1 = row(after, "c1")
    assert "c2" not in after.units.index
    assert after.units.name[c1] == "C1+2"
    assert (after.units.area_km2[c1], after.units.population[c1], after.units.quota[c1]) == (
        30.0,
        3000.0,
        10.0,
    )
    assert after.units.lat[c1] == pytest.approx((10 * 1000 + 11 * 2000) / 3000)
    assert duties_of(after, "c1") == {("registry", "lead"), ("local", "support")}
    assert staff(after, "c1") == ["x1", "x2"]
    assert neighbours_of(after, "c1") == {"c3": 2.0}
    assert after.lineage == (LineageEdge("c1", "c1", "merge", 0), LineageEdge("c2", "c1", "merge", 0))
    assert check(after, STRUCTURAL) == []


def test_merge_into_a_new_unit_under_a_named_parent(three_tier: Apparatus) -> None:
    """c3 (district d1) and c4 (d2) become c34 under d1; without into.parent_id it is refused."""
    after = run(three_tier, Merge(("c3", "c4"), NewUnit("c34", "C34", parent_id="d1")))
    assert after.units.parent[row(after, "c34")] == row(after, "d1")
    assert neighbours_of(after, "c34") == {"c2": 2.0, "c5": 2.0}
    assert check(after, STRUCTURAL) == []
    error = refused(three_tier, Merge(("c3", "c4"), NewUnit("c34", "C34")))
    assert (error.invariant, error.operation) == ("operation", 0)


def test_merging_a_lead_with_a_support_keeps_the_lead(three_tier: Apparatus) -> None:
    """c1 supports local and o1 leads it; when o1 is dissolved into c1's district the lead stays one."""
    after = run(three_tier, Dissolve("o1", successor="d1"))
    assert duties_of(after, "d1") == {("local", "lead")}
    assert check(after, STRUCTURAL) == []


@pytest.mark.parametrize(
    ("op", "invariant"),
    [
        (Merge(("c1", "p1"), NewUnit("x", "X")), "operation"),  # different levels
        (Merge(("c1", "zz"), NewUnit("x", "X")), "operation"),  # unknown unit
        (Merge(("c1",), NewUnit("x", "X")), "operation"),  # a single unit
        (Merge(("c1", "c2"), NewUnit("c3", "X")), "operation"),  # id already used
        (Merge(("c1", "c3"), NewUnit("c1", "X")), "contiguity"),  # not neighbours
        (Merge(("d1", "d2"), NewUnit("d1", "X")), "one_lead"),  # both offices would lead local in d1
        (Merge(("c1", "c2"), NewUnit("x", "X", parent_id="c3")), "tree"),  # a commune under a commune
    ],
)
def test_merge_refusals(three_tier: Apparatus, op: Merge, invariant: str) -> None:
    """A merge that cannot be applied names the invariant it would break."""
    error = refused(three_tier, op)
    assert (error.operation, error.op, error.invariant) == (0, "merge", invariant)


def test_contiguity_is_only_enforced_when_required(three_tier: Apparatus) -> None:
    """Without "contiguity" in require, non-neighbours may merge."""
    after = run(three_tier, Merge(("c1", "c3"), NewUnit("c1", "X")), require=())
    assert "c3" not in after.units.index


def test_merging_agencies_first_lets_their_territories_merge(three_tier: Apparatus) -> None:
    """o1 takes over o2's work for d2 (scope kept), then d1 absorbs d2: local is led once in d1."""
    after = run(three_tier, Merge(("o1", "o2"), NewUnit("o1", "O")), Merge(("d1", "d2"), NewUnit("d1", "D")))
    assert duties_of(after, "o1") == {("local", "lead")}
    assert after.duties.scope[after.duties.unit == row(after, "o1")].tolist() == [-1]
    assert sorted(after.units.id[after.units.parent == row(after, "d1")].tolist()) == [
        "c1", "c2", "c3", "c4", "c5", "o1",
    ]  # fmt: skip
    assert check(after, STRUCTURAL) == []


def test_split_into_itself_and_a_new_part(three_tier: Apparatus) -> None:
    """c7 keeps 60% and c8 takes 40% with x7: numbers by share, duties for each, neighbours shared."""
    op = Split("c7", (SplitPart("c7", 0.6), SplitPart("c8", 0.4, name="C8", people=("x7",))))
    after = run(three_tier, op)
    c7, c8 = row(after, "c7"), row(after, "c8")
    assert after.units.area_km2[[c7, c8]].tolist() == pytest.approx([42.0, 28.0])
    assert after.units.parent[c8] == row(after, "d3")
    assert duties_of(after, "c8") == {("registry", "lead")}
    assert staff(after, "c8") == ["x7"]
    assert neighbours_of(after, "c8")["c6"] == pytest.approx(0.8)
    assert math.isnan(neighbours_of(after, "c8")["c7"])
    assert after.lineage[-1] == LineageEdge("c7", "c8", "split", 0, 0.4)
    assert check(after, STRUCTURAL) == []


def test_split_into_new_parts_removes_the_unit(three_tier: Apparatus) -> None:
    """c6 split into two new units: it goes, its staff and duties go to the parts (the rest to the first)."""
    after = run(three_tier, Split("c6", (SplitPart("c6a", 0.5), SplitPart("c6b", 0.5))))
    assert "c6" not in after.units.index
    assert staff(after, "c6a") == ["x6"]
    assert duties_of(after, "c6b") == {("registry", "lead")}
    assert check(after, STRUCTURAL) == []


@pytest.mark.parametrize(
    "parts",
    [
        (SplitPart("c7", 0.5), SplitPart("c8", 0.4)),  # shares sum to 0.9
        (SplitPart("c8", 0.5), SplitPart("c8", 0.5)),  # a part named twice
        (SplitPart("c7", 0.5), SplitPart("d3", 0.5)),  # a part of another level
        (SplitPart("c7", 0.5), SplitPart("c8", 0.5, people=("x1",))),  # someone not on c7's staff
    ],
)
def test_split_refusals(three_tier: Apparatus, parts: tuple[SplitPart, ...]) -> None:
    """A malformed split is refused as an "operation" problem."""
    assert refused(three_tier, Split("c7", parts)).invariant == "operation"


@pytest.mark.parametrize("share", [1.5, -0.5, 0.0, math.nan])
def test_a_share_outside_zero_to_one_is_refused_when_the_part_is_made(share: float) -> None:
    """A part's share lies in (0, 1]: the value rule shared with lineage.csv refuses it at once."""
    with pytest.raises(PlanError, match="share"):
        SplitPart("c7", share)


def test_dissolve_into_a_sibling(three_tier: Apparatus) -> None:
    """c2 goes into c1: its territory, population, staff and neighbours join c1."""
    after = run(three_tier, Dissolve("c2", successor="c1"))
    c1 = row(after, "c1")
    assert (after.units.area_km2[c1], after.units.population[c1]) == (30.0, 3000.0)
    assert staff(after, "c1") == ["x1", "x2"]
    assert neighbours_of(after, "c1") == {"c3": 2.0}
    assert after.lineage == (LineageEdge("c2", "c1", "dissolve", 0),)


def test_dissolve_into_the_parent_releasing_someone(three_tier: Apparatus) -> None:
    """o1 goes into d1 by default; y2 is released, y1 moves to d1; d1's area is not counted twice."""
    after = run(three_tier, Dissolve("o1", release=("y2",)))
    assert staff(after, "d1") == ["y1"]
    assert "y2" not in after.people.index
    assert len(after.people) == len(three_tier.people) - 1


@pytest.mark.parametrize(
    ("op", "invariant"),
    [
        (Dissolve("vn"), "tree"),  # the root
        (Dissolve("d1", successor="c1"), "tree"),  # a successor inside the unit
        (Dissolve("d1", successor="c4"), "tree"),  # children would sit under a unit of their rank
        (Dissolve("p1"), "one_lead"),  # dep1's land lead would cover the whole nation, twice with dep2's
        (Dissolve("o1", release=("x1",)), "operation"),  # not on o1's staff
    ],
)
def test_dissolve_refusals(three_tier: Apparatus, op: Dissolve, invariant: str) -> None:
    """A dissolve that cannot be applied names the invariant it would break."""
    assert refused(three_tier, op).invariant == invariant


def test_split_parts_border_each_other_in_a_chain(three_tier: Apparatus) -> None:
    """Parts of a split are linked in the order given (linear, not every pair: 10,000 parts once made
    50 million links and took 7 GB); each part also borders what the unit bordered."""
    n = 40
    parts = tuple(SplitPart(f"c7-{k}", 1 / n) for k in range(n))
    after = run(three_tier, Split("c7", parts))
    ids, nb = after.units.id, after.neighbours
    pairs = {tuple(sorted((str(ids[a]), str(ids[b])))) for a, b in zip(nb.a, nb.b, strict=True)}
    among = {p for p in pairs if p[0].startswith("c7-") and p[1].startswith("c7-")}
    assert among == {tuple(sorted((f"c7-{k}", f"c7-{k + 1}"))) for k in range(n - 1)}
    assert all(tuple(sorted(("c6", f"c7-{k}"))) in pairs for k in range(n))
