"""Placement by merit: exact per unit (against scipy's linear_sum_assignment), within quotas, leaders
first, deterministic, and a plan that applies."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from reorg.errors import InputError
from reorg.model import Apparatus, LevelRow, PersonRow, UnitRow, build_apparatus
from reorg.people import load_ruleset
from reorg.people.assign import assign
from reorg.people.candidates import PlacementConfig, Problem
from reorg.people.placement import Placement, place, solve
from reorg.plan import Merge, MovePeople, NewUnit, Plan, ReleasePeople, apply


def _random_problem(seed: int, units: int, people: int, types: int = 4) -> Problem:
    """A seeded instance: people spread over units, random merits, positions and quotas."""
    rng = np.random.default_rng(seed)
    unit = np.sort(rng.integers(0, units, people))
    su, sp = np.meshgrid(np.arange(units), np.arange(types), indexing="ij")
    per_unit = np.bincount(unit, minlength=units)
    quota = rng.integers(0, np.maximum(per_unit, 1)[:, None] // types + 2, (units, types))
    return Problem(
        units=tuple(f"u{i}" for i in range(units)),
        positions=tuple(f"t{i}" for i in range(types)),
        leader=np.arange(types) < 1,
        person=np.arange(people),
        person_id=np.array([f"p{i:05d}" for i in range(people)], dtype=object),
        unit=unit,
        current=rng.integers(0, types, people),
        merit=rng.integers(0, 12_000, people),
        now_in=np.array([f"u{u}" for u in unit], dtype=object),
        came_from=np.array([f"old{u}" for u in unit], dtype=object),
        slot_unit=su.ravel(),
        slot_position=sp.ravel(),
        quota=quota.ravel(),
        bonus=2_000,
    )


def _scipy_best(
    merit: np.ndarray, current: np.ndarray, types: np.ndarray, quota: np.ndarray, bonus: int
) -> tuple[int, int]:
    """(people placed, total fit) of the best assignment, by linear_sum_assignment on expanded slots."""
    slots = np.repeat(types, quota)
    if len(slots) == 0 or len(merit) == 0:
        return 0, 0
    fit = merit[:, None] + bonus * (current[:, None] == slots[None, :])
    rows, cols = linear_sum_assignment(fit, maximize=True)
    return len(rows), int(fit[rows, cols].sum())


def _fit(merit: np.ndarray, current: np.ndarray, types: np.ndarray, got: np.ndarray, bonus: int) -> int:
    on = got >= 0
    return int((merit[on] + bonus * (current[on] == types[got[on]])).sum())


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 40), st.integers(1, 6))
def test_assign_is_optimal_against_scipy(seed: int, n: int, k: int) -> None:
    """The flow places as many as scipy's assignment does, with the same total fit, within quotas."""
    rng = np.random.default_rng(seed)
    merit = rng.integers(0, 10_000, n)
    current = rng.integers(0, k, n)
    types = np.arange(k)
    quota = rng.integers(0, 8, k)
    got = assign(merit, current, types, quota, 1_500)
    assert (int((got >= 0).sum()), _fit(merit, current, types, got, 1_500)) == _scipy_best(
        merit, current, types, quota, 1_500
    )
    assert np.all(np.bincount(got[got >= 0], minlength=k) <= quota)


@pytest.mark.parametrize(("n", "k"), [(3_000, 6), (1_000, 3)])
def test_assign_is_optimal_on_large_units(n: int, k: int) -> None:
    """Up to 3,000 people in one unit: the same optimum as linear_sum_assignment."""
    rng = np.random.default_rng(n)
    merit = rng.integers(0, 10_000, n)
    current = rng.integers(0, k, n)
    types = np.arange(k)
    quota = rng.integers(n // (2 * k), n // k + 1, k)
    got = assign(merit, current, types, quota, 2_000)
    expected = _scipy_best(merit, current, types, quota, 2_000)
    assert (int((got >= 0).sum()), _fit(merit, current, types, got, 2_000)) == expected


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_solve_passes_are_optimal_and_within_quotas(seed: int) -> None:
    """Per unit, the leader pass is optimal over everyone for the leader slots, the second pass over those
    left for the others; no slot is filled beyond its quota."""
    pr = _random_problem(seed, units=5, people=120)
    result = solve(pr)
    assert np.all(result.filled() <= pr.quota)
    for u in range(len(pr.units)):
        mine = np.flatnonzero(pr.unit == u)
        slots = np.flatnonzero(pr.slot_unit == u)
        lead = slots[pr.leader[pr.slot_position[slots]]]
        rest = slots[~pr.leader[pr.slot_position[slots]]]
        placed, fit = _scipy_best(
            pr.merit[mine], pr.current[mine], pr.slot_position[lead], pr.quota[lead], pr.bonus
        )
        first = mine[result.leader_pass[mine]]
        assert (len(first), int(result.fit[first].sum())) == (placed, fit)
        left = mine[~result.leader_pass[mine]]
        placed, fit = _scipy_best(
            pr.merit[left], pr.current[left], pr.slot_position[rest], pr.quota[rest], pr.bonus
        )
        second = left[result.placed[left]]
        assert (len(second), int(result.fit[second].sum())) == (placed, fit)


def test_leaders_are_placed_first() -> None:
    """The best fit for the one leader post takes it, even where giving it to another would raise the
    total: leader posts are filled before the others."""
    pr = Problem(
        units=("n",),
        positions=("head", "staff"),
        leader=np.array([True, False]),
        person=np.arange(2),
        person_id=np.array(["a", "b"], dtype=object),
        unit=np.zeros(2, dtype=np.int64),
        current=np.array([1, 0]),  # a is staff now, b is head now
        merit=np.array([9_000, 1_000]),
        now_in=np.array(["n", "n"], dtype=object),
        came_from=np.array(["x", "y"], dtype=object),
        slot_unit=np.array([0, 0]),
        slot_position=np.array([0, 1]),
        quota=np.array([1, 1]),
        bonus=2_000,
    )
    result = solve(pr)
    assert [result.position_of(i) for i in range(2)] == ["head", "staff"]  # a: 9,000 > b: 1,000 + 2,000
    assert result.leader_pass.tolist() == [True, False]


def test_same_input_same_placement() -> None:
    """Deterministic: the same seed gives the same instance and the same placement, byte for byte."""
    a, b = solve(_random_problem(7, 20, 800)), solve(_random_problem(7, 20, 800))
    assert np.array_equal(a.slot, b.slot)
    assert a.objective == b.objective


@pytest.fixture
def merging() -> tuple[Apparatus, Apparatus]:
    """Two communes a (head h1, staff s1, s2; quota 3) and b (head h2, staff s3; quota 1) merged into ab
    (quota 4)."""
    born = dt.date(1970, 1, 1)
    start = dt.date(1995, 1, 1)
    staff = [("h1", "a", "head"), ("s1", "a", "staff"), ("s2", "a", "staff"), ("h2", "b", "head")]
    staff.append(("s3", "b", "staff"))
    before = build_apparatus(
        levels=[LevelRow("org", 0), LevelRow("commune", 1)],
        units=[
            UnitRow("o", "Org", "org"),
            UnitRow("a", "A", "commune", parent_id="o", quota=3),
            UnitRow("b", "B", "commune", parent_id="o", quota=1),
        ],
        people=[
            PersonRow(
                pid,
                u,
                position=pos,
                birth_date=born,
                gender="nam",
                service_start=start,
                salary_coefficient=3.0,
            )
            for pid, u, pos in staff
        ],
    )
    plan = Plan("org", (Merge(("a", "b"), NewUnit("ab", "AB")),))
    after = apply(before, plan)
    return before, after


def _scores(before: Apparatus, **points: float) -> np.ndarray:
    return np.array([points.get(p, np.nan) for p in before.people.id.tolist()])


def test_derived_quotas_and_the_plan_that_applies(merging: tuple[Apparatus, Apparatus]) -> None:
    """One head post (one leadership team), the rest of the quota for staff; the surplus is released by
    the plan the placement gives, which applies."""
    before, after = merging
    result = place(before, after, _scores(before, h1=80, h2=60, s1=50, s2=90, s3=70))
    pr = result.problem
    quotas = {pr.positions[p]: int(q) for p, q in zip(pr.slot_position, pr.quota, strict=True)}
    assert quotas == {"head": 1, "staff": 3}
    assert {pr.person_id[i]: result.position_of(i) for i in range(5)} == {
        "h1": "head",
        "s1": "staff",
        "s2": "staff",
        "h2": "",
        "s3": "staff",
    }  # fmt: skip  (fits: h1 head 80+10+20; staff s2 90+10+20, s3 70+20, s1 50+10+20, h2 60)
    ops = result.to_plan()
    assert [(type(o).__name__, getattr(o, "people", ())) for o in ops] == [("ReleasePeople", ("h2",))]
    done = apply(after, Plan("org", ops))
    assert sorted(done.people.id.tolist()) == ["h1", "s1", "s2", "s3"]


def test_quota_file_and_regimes(merging: tuple[Apparatus, Apparatus]) -> None:
    """Quotas from a file replace the derived ones; the surplus gets the regime of the ruleset."""
    before, after = merging
    result = place(
        before,
        after,
        _scores(before, h1=80, h2=60, s1=50, s2=90, s3=70),
        quotas={"ab": {"head": 1, "staff": 1}},
    )
    assert sorted(result.problem.person_id[result.surplus()].tolist()) == ["h2", "s1", "s3"]
    with_regimes = result.with_regimes(before, load_ruleset(), as_of=dt.date(2025, 6, 1))
    regimes = with_regimes.regime_of_surplus()
    assert all(regimes)
    assert sum(with_regimes.counts()["surplus_by_regime"].values()) == 3
    assert {o.reason for o in with_regimes.to_plan()} == set(regimes)  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="unit_id"):
        place(before, after, _scores(before), quotas={"zz": {"head": 1}})
    with pytest.raises(InputError, match="quota"):
        place(before, after, _scores(before), quotas={"ab": {"head": -1}})


def test_config_refuses_unknown_keys() -> None:
    """A config key that is not a weight or the leader list is refused naming the key."""
    with pytest.raises(InputError, match="speed"):
        PlacementConfig.from_mapping({"speed": 1})
    assert PlacementConfig.from_mapping({"leader_positions": ["boss"]}).leader_positions == ("boss",)


def test_result_type(merging: tuple[Apparatus, Apparatus]) -> None:
    """place returns a Placement whose counts add up."""
    before, after = merging
    result = place(before, after, _scores(before))
    assert isinstance(result, Placement)
    c = result.counts()
    assert c["placed"] + c["surplus"] == c["candidates"] == 5


def test_people_the_plan_sent_elsewhere_are_not_candidates(merging: tuple[Apparatus, Apparatus]) -> None:
    """Someone the plan moved out of a merged unit (or released) is not placed back: the plan decided."""
    before, _ = merging
    plan = Plan(
        "org",
        (
            MovePeople("o", people=("s1",)),
            ReleasePeople(("s3",)),
            Merge(("a", "b"), NewUnit("ab", "AB")),
        ),
    )
    result = place(before, apply(before, plan), _scores(before))
    assert sorted(result.problem.person_id.tolist()) == ["h1", "h2", "s2"]
    assert not any(type(op).__name__ == "MovePeople" for op in result.to_plan())
