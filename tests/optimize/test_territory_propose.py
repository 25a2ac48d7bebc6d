"""propose(apparatus, level, spec): nesting, islands, locks, naming, the plan and the explanation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from territory_kit import grid_apparatus

from reorg.errors import InputError, NotFoundError
from reorg.model import Apparatus
from reorg.optimize.territory import TerritorySpec, Weights, nesting_from_plan, propose
from reorg.plan import apply
from reorg.plan.operations import Merge, NewUnit, Plan

TWO_PROVINCES = """
1111
1111
1111
"""
OWNERS = """
AABB
AABB
AABB
"""

ISLANDS = """
111.1
111..
"""

POP_3000 = TerritorySpec(minimums={"population": 3000})


def region_sets(app: Apparatus, spec: TerritorySpec) -> list[set[str]]:
    _, ex = propose(app, "commune", spec)
    return [set(r.members) for r in ex.regions]


def test_regions_stay_inside_their_parent() -> None:
    """With nest_by parent, no region mixes communes of two provinces."""
    app = grid_apparatus(TWO_PROVINCES, OWNERS)
    for region in region_sets(app, POP_3000):
        assert len({uid[-1] in "01" for uid in region}) == 1  # columns 0-1 are A, 2-3 are B


def test_without_nesting_regions_may_cross() -> None:
    """nest_by "" solves the level as one group."""
    app = grid_apparatus(TWO_PROVINCES, OWNERS)
    _, ex = propose(app, "commune", TerritorySpec(minimums={"population": 3000}, nest_by=""))
    assert [g.group for g in ex.groups] == [""]
    assert sum(len(r.members) for r in ex.regions) == 12


def test_island_below_minimum_is_reported_not_glued() -> None:
    """An island whose population is below the minimum stays alone and is reported infeasible."""
    app = grid_apparatus(ISLANDS)
    _, ex = propose(app, "commune", POP_3000)
    island = ex.region("r0c4")
    assert island.members == ("r0c4",)
    assert not island.feasible
    assert island.binding == "min population"
    assert island.slack < 0
    (group,) = ex.groups
    assert group.infeasible == (("r0c4",),)
    assert group.status == "partly infeasible"
    assert ex.objective["regions_below_minimum"] == 1


def test_plan_merges_into_largest_member_and_applies() -> None:
    """Each region of two or more units is one merge into its most populous member; the plan
    applies with contiguity required."""
    app = grid_apparatus("1231\n2111")
    plan, ex = propose(app, "commune", POP_3000)
    merges = [op for op in plan.operations if isinstance(op, Merge)]
    assert len(merges) == sum(1 for r in ex.regions if len(r.members) > 1)
    population = dict(zip(app.units.id.tolist(), app.units.population.tolist(), strict=True))
    for op in merges:
        assert op.into.id in op.units
        assert population[op.into.id] == max(population[u] for u in op.units)
    assert plan.require == ("contiguity",)
    after = apply(app, plan)
    assert len(after.units) == len(app.units) - sum(len(op.units) - 1 for op in merges)


def test_locked_together_and_kept_apart() -> None:
    """Locked units share a region; kept-apart units never do."""
    app = grid_apparatus("111111")
    spec = TerritorySpec(
        minimums={"population": 2000},
        locked_together=(("r0c1", "r0c2"),),
        kept_apart=(("r0c3", "r0c4"),),
    )
    _, ex = propose(app, "commune", spec)
    assert ex.region("r0c1") == ex.region("r0c2")
    assert ex.region("r0c3") != ex.region("r0c4")


def test_locked_units_must_be_connected() -> None:
    """Locking two units that do not touch is refused with the spec named."""
    app = grid_apparatus("111111")
    with pytest.raises(InputError, match="locked units that are connected"):
        propose(app, "commune", TerritorySpec(locked_together=(("r0c0", "r0c2"),)))


def test_unknown_level_and_attribute() -> None:
    """An unknown level or attribute is a NotFoundError naming what exists."""
    app = grid_apparatus("11")
    with pytest.raises(NotFoundError, match="levels: nation, province, commune"):
        propose(app, "ward")
    with pytest.raises(NotFoundError, match="unknown unit attribute 'income2'"):
        propose(app, "commune", TerritorySpec(minimums={"income2": 1}))


def test_target_per_group_and_in_total() -> None:
    """A table target fixes each group's count; an integer is shared in proportion to units."""
    app = grid_apparatus(TWO_PROVINCES, OWNERS)
    _, ex = propose(app, "commune", TerritorySpec(target={"pA": 2, "pB": 3}))
    assert {g.group: g.regions for g in ex.groups} == {"pA": 2, "pB": 3}
    _, ex = propose(app, "commune", TerritorySpec(target=4))
    assert {g.group: g.regions for g in ex.groups} == {"pA": 2, "pB": 2}


def test_explanation_names_the_binding_constraint() -> None:
    """Each region names the minimum it meets with the least room and its totals."""
    app = grid_apparatus("2222")
    spec = TerritorySpec(minimums={"population": 4000, "area_km2": 15})
    _, ex = propose(app, "commune", spec)
    assert len(ex.regions) == 2
    for r in ex.regions:
        assert r.totals == {"population": 4000.0, "area_km2": 20.0}
        assert r.binding == "min population"
        assert r.slack == pytest.approx(0.0)


@pytest.mark.parametrize(("incomes", "together"), [("09\n09", "r1c0"), ("00\n99", "r0c1")])
def test_homogeneity_groups_alike_units(incomes: str, together: str) -> None:
    """Weighting homogeneity only, a 2x2 block splits along its income: by columns or by rows."""
    app = grid_apparatus("11\n11", incomes=incomes)
    spec = TerritorySpec(target=2, weights=Weights(compactness=0.0, homogeneity={"income": 1.0}))
    _, ex = propose(app, "commune", spec)
    assert set(ex.region("r0c0").members) == {"r0c0", together}
    assert ex.objective["homogeneity"] == pytest.approx(0.0)


def test_nesting_from_plan_follows_province_merges() -> None:
    """Communes nest in the province their old province was merged into."""
    app = grid_apparatus(TWO_PROVINCES, OWNERS)
    plan = Plan("grid", (Merge(("pA", "pB"), NewUnit("pAB", "AB")),))
    groups = nesting_from_plan(app, plan, "commune", "province")
    assert set(groups.values()) == {"pAB"}
    _, ex = propose(app, "commune", TerritorySpec(minimums={"population": 3000}, nest_by=groups))
    assert [g.group for g in ex.groups] == ["pAB"]


def test_apparatus_is_not_changed() -> None:
    """propose reads the apparatus only: its units are the same before and after."""
    app = grid_apparatus(TWO_PROVINCES, OWNERS)
    before = app.units.id.copy(), app.units.population.copy()
    propose(app, "commune", POP_3000)
    assert np.array_equal(app.units.id, before[0])
    assert np.array_equal(app.units.population, before[1], equal_nan=True)


@settings(max_examples=15, deadline=None)
@given(
    pops=st.lists(st.integers(1, 9), min_size=16, max_size=16),
    minimum=st.integers(1, 12),
    seed=st.integers(0, 2),
)
def test_same_seed_same_plan_byte_for_byte(pops: list[int], minimum: int, seed: int) -> None:
    """Two runs with the same seed give identical plan JSON; every region meets the minimum when its
    group's connected piece allows it."""
    picture = "\n".join("".join(str(p) for p in pops[r * 4 : r * 4 + 4]) for r in range(4))
    app = grid_apparatus(picture, OWNERS + "\nAABB")
    spec = TerritorySpec(minimums={"population": minimum * 1000}, seed=seed)
    plan_a, ex = propose(app, "commune", spec)
    plan_b, _ = propose(app, "commune", spec)
    assert plan_a.to_json() == plan_b.to_json()
    infeasible = {uid for g in ex.groups for piece in g.infeasible for uid in piece}
    for r in ex.regions:
        assert r.feasible or set(r.members) <= infeasible


def test_progress_reports_groups_and_solver_stages() -> None:
    """The progress callback sees the groups, and for a single group the solver's stages too."""
    seen: list[tuple[int, int | None, str]] = []
    app = grid_apparatus("1111\n1111")
    propose(app, "commune", POP_3000, progress=lambda done, total, stage: seen.append((done, total, stage)))
    stages = {stage for _, _, stage in seen}
    assert {"groups", "restarts", "improve"} <= stages
    assert seen[-1] == (1, 1, "groups")


def test_exact_method_matches_or_beats_the_heuristic() -> None:
    """method exact returns a proven optimum on a small grid, never worse than the heuristic."""
    app = grid_apparatus("1231\n2112", incomes="0918\n2736")
    weights = Weights(compactness=0.0, homogeneity={"income": 1.0})
    heuristic = TerritorySpec(minimums={"population": 3000}, weights=weights)
    exact = dataclasses.replace(heuristic, method="exact")
    _, ex_h = propose(app, "commune", heuristic)
    _, ex_e = propose(app, "commune", exact)
    assert ex_e.objective["regions"] == ex_h.objective["regions"]
    assert ex_e.objective["homogeneity"] <= ex_h.objective["homogeneity"] + 1e-9
    assert ex_e.groups[0].notes == ()


def test_exact_method_refuses_large_pieces() -> None:
    """method exact on a connected piece of more than 60 units is refused, naming the method."""
    app = grid_apparatus("\n".join(["11111111"] * 8))
    with pytest.raises(InputError, match="at most 60 units"):
        propose(app, "commune", TerritorySpec(method="exact"))


def test_target_above_the_bound_is_reported_short() -> None:
    """A target beyond what the minimum allows gives that many regions, counts those short of the
    minimum, and says the target exceeds the bound."""
    app = grid_apparatus("111111")
    _, ex = propose(app, "commune", TerritorySpec(minimums={"population": 2000}, target=5))
    (group,) = ex.groups
    assert group.regions == 5
    assert group.status == "short"
    assert group.short == sum(1 for r in ex.regions if not r.feasible) >= 2
    assert "target 5 exceeds the 3 regions that can meet the minimums" in group.notes


STRIP = "11111111"
STRIP_OWNERS = "AAAAABBB"


@pytest.mark.parametrize("key", ["parent", "province", "income"])
def test_cohesion_keeps_former_units_together(key: str) -> None:
    """On a strip of eight (five in A, three in B) cut in two, compactness alone cuts 4 + 4 across
    the border; a cohesion weight of 1 on the former unit (parent, ancestor level or attribute)
    cuts 5 + 3 along it, and each region spans one former unit."""
    app = grid_apparatus(STRIP, STRIP_OWNERS, incomes="11111222")
    plain = TerritorySpec(target=2, nest_by="")
    _, ex = propose(app, "commune", plain)
    assert sorted(len(r.members) for r in ex.regions) == [4, 4]
    assert ex.objective["cohesion"] == 0.0
    spec = dataclasses.replace(plain, weights=Weights(cohesion={key: 1.0}))
    _, ex = propose(app, "commune", spec)
    assert sorted(len(r.members) for r in ex.regions) == [3, 5]
    assert all(len(r.spans[key]) == 1 for r in ex.regions)
    assert ex.objective["cohesion"] == pytest.approx(0.0, abs=1e-12)


def test_cohesion_reports_the_former_units_a_region_spans() -> None:
    """A region forced across a border names both former units, and its cohesion term is positive."""
    app = grid_apparatus(STRIP, STRIP_OWNERS)
    spec = TerritorySpec(target=1, nest_by="", weights=Weights(cohesion={"parent": 1.0}))
    _, ex = propose(app, "commune", spec)
    (region,) = ex.regions
    assert region.spans == {"parent": ("pA", "pB")}
    assert region.cohesion == pytest.approx(1.0)
    assert region.to_dict()["spans"] == {"parent": ["pA", "pB"]}


def test_cohesion_on_an_unknown_key_is_refused() -> None:
    """A cohesion key that is neither parent, a level nor an attribute is a clear error."""
    app = grid_apparatus(STRIP, STRIP_OWNERS)
    spec = TerritorySpec(weights=Weights(cohesion={"district": 1.0}))
    with pytest.raises(NotFoundError, match="cohesion"):
        propose(app, "commune", spec)
