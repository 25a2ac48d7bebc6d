"""ReCom ensembles: every sampled division is a valid plan (judged by apply and the invariants), the
same seed gives the same chain (in one run or in batches), and the rules of the spec hold."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from territory_kit import grid_apparatus

from reorg.errors import InputError
from reorg.model import Apparatus
from reorg.optimize.ensemble import (
    Chain,
    ChainState,
    Measurer,
    Problem,
    build_problem,
    chain_seeds,
    effective_size,
    labels_of_plan,
    percentile,
    plan_of_labels,
    run_batch,
    split_rhat,
    start_labels,
)
from reorg.optimize.territory import TerritorySpec, propose
from reorg.optimize.territory.extract import LevelData
from reorg.plan import apply
from reorg.plan.invariants import check

#: 10 x 10 communes, populations 1-9 thousand, in two provinces (left A, right B)
PICTURE = "\n".join("".join(str((r * 7 + c * 3) % 9 + 1) for c in range(10)) for r in range(10))
PARENTS = "\n".join(["AAAAABBBBB"] * 10)
SPEC = TerritorySpec(minimums={"population": 20000}, maximums={"population": 60000})


@pytest.fixture(scope="module")
def app() -> Apparatus:
    return grid_apparatus(PICTURE, PARENTS)


def _setup(
    app: Apparatus, spec: TerritorySpec = SPEC, tolerance: float | None = None
) -> tuple[Problem, LevelData, np.ndarray]:
    plan, _ = propose(app, "commune", spec)
    problem, data = build_problem(app, "commune", spec, tolerance=tolerance)
    return problem, data, start_labels(problem, data, labels_of_plan(app, data, plan), "start")


def _states(problem: Problem, labels: np.ndarray, seed: int, steps: int) -> list[np.ndarray]:
    chain = Chain(problem, labels, np.random.default_rng(seed))
    out = []
    for _ in range(steps):
        chain.step()
        out.append(chain.labels.copy())
    return out


def test_every_sampled_plan_is_valid(app: Apparatus) -> None:
    """A sample of the chain's divisions, written as plans, applies with contiguity required and
    breaks no invariant the baseline keeps (tree, partition, contiguity), nor a bound of the spec."""
    problem, data, labels = _setup(app)
    states = _states(problem, labels, 7, 200)
    assert len({s.tobytes() for s in states}) > 20  # the chain moves
    baseline = {v.message for v in check(app)}
    for s in states[::20]:
        plan = plan_of_labels(app, data, s)
        after = apply(app, plan)  # refuses a merge that is not connected (contiguity required)
        assert [v.message for v in check(after) if v.message not in baseline] == []
        pops = np.bincount(s[data.atom], weights=app.units.population[data.rows])
        assert pops.min() >= 20000
        assert pops.max() <= 60000
        parents = app.units.parent[data.rows]
        assert all(len(set(parents[s[data.atom] == r].tolist())) == 1 for r in range(int(s.max()) + 1))


def test_region_count_per_province_is_kept(app: Apparatus) -> None:
    """ReCom never changes the number of regions in a nesting group."""
    problem, _data, labels = _setup(app)
    before = np.bincount(np.unique(np.stack([labels, problem.group]), axis=1)[1])
    for s in _states(problem, labels, 3, 100)[::25]:
        assert np.array_equal(np.bincount(np.unique(np.stack([s, problem.group]), axis=1)[1]), before)


def test_same_seed_same_chain_across_batches(app: Apparatus) -> None:
    """Run in one batch of 60 or in batches of 25, 25 and 10 (state saved between), a chain gives the
    same measures and ends in the same division; another seed gives another chain."""
    problem, data, labels = _setup(app)
    measurer = Measurer.of(app, data)
    seed = chain_seeds(11, 2)[1]
    whole = run_batch(problem, measurer, ChainState.start(1, labels, seed), 60)
    state = ChainState.start(1, labels, seed)
    rows: dict[str, list[float]] = {}
    for n in (25, 25, 10):
        part = run_batch(problem, measurer, state, n)
        for k, v in part.rows.items():
            rows.setdefault(k, []).extend(v)
        state = part.state
    assert rows == whole.rows
    assert np.array_equal(state.labels, whole.state.labels)
    assert (state.accepted, state.rejected, state.steps) == (whole.state.accepted, whole.state.rejected, 60)
    thinned = run_batch(problem, measurer, ChainState.start(1, labels, seed), 60, thin=6)
    assert thinned.rows["step"] == [float(k) for k in range(6, 61, 6)]
    assert thinned.rows["cut_edges"] == whole.rows["cut_edges"][5::6]
    other = run_batch(problem, measurer, ChainState.start(0, labels, chain_seeds(11, 2)[0]), 60)
    assert other.rows != whole.rows


def test_kept_apart_and_locked_hold(app: Apparatus) -> None:
    """Locked communes stay in one region and kept-apart ones in different regions at every step."""
    spec = TerritorySpec(
        minimums={"population": 20000},
        maximums={"population": 60000},
        locked_together=(("r0c0", "r0c1"),),
        kept_apart=(("r2c2", "r2c3"),),
    )
    problem, data, labels = _setup(app, spec)
    ids = {uid: k for k, uid in enumerate(data.ids)}
    for s in _states(problem, labels, 5, 150):
        unit = s[data.atom]
        assert unit[ids["r0c0"]] == unit[ids["r0c1"]]
        assert unit[ids["r2c2"]] != unit[ids["r2c3"]]


def test_tolerance_holds(app: Apparatus) -> None:
    """With a population tolerance, every region stays within it of its province's ideal."""
    problem, _, labels = _setup(app)
    loose = float(np.abs(np.bincount(labels, weights=problem.population) / problem.ideal(labels) - 1).max())
    tight = Problem(**{**problem.__dict__, "tolerance": min(0.99, loose + 0.01)})
    for s in _states(tight, labels, 9, 150):
        assert tight.problems(s) == []


def test_invalid_start_is_refused(app: Apparatus) -> None:
    """A start division that breaks the spec (here: every commune alone, below the minimum) is refused
    with what is wrong."""
    problem, data, _ = _setup(app)
    with pytest.raises(InputError, match="below the minimum population"):
        start_labels(problem, data, np.arange(data.n), "start plan x")


def test_measures_of_a_known_division(app: Apparatus) -> None:
    """Each commune alone: no one moves, every neighbour pair is cut, distances are 0."""
    _, data, _ = _setup(app)
    m = Measurer.of(app, data).measure_units(np.arange(data.n))
    assert m["cut_edges"] == 180  # 2 x 10 x 9 rook edges
    assert m["people_moved_share"] == 0.0
    assert m["mean_centroid_km"] == 0.0
    assert m["mean_centre_km"] == 0.0
    assert m["split_province"] == 0.0


def test_diagnostics() -> None:
    """R-hat is about 1 for chains drawn from one distribution and large for chains that disagree; ESS
    of independent draws is about their number; percentiles count ties half."""
    rng = np.random.default_rng(0)
    same = rng.standard_normal((4, 500))
    assert abs(split_rhat(same) - 1) < 0.02
    assert split_rhat(same + np.arange(4)[:, None] * 3) > 2
    assert 1500 < effective_size(same) < 2600
    assert effective_size(np.cumsum(same, axis=1)) < 100
    assert percentile([1, 2, 3, 4], 3) == 62.5


@functools.cache
def _bounded(low: float) -> tuple[Problem, np.ndarray]:
    spec = TerritorySpec(minimums={"population": low}, maximums={"population": 4 * low})
    problem, _, labels = _setup(grid_apparatus(PICTURE, PARENTS), spec)
    return problem, labels


@given(seed=st.integers(0, 2**32 - 1), low=st.sampled_from([10000.0, 15000.0, 20000.0]))
@settings(max_examples=15, deadline=None)
def test_property_every_state_is_valid(seed: int, low: float) -> None:
    """Whatever the seed and the minimum, every state of the chain keeps every rule of the problem."""
    problem, labels = _bounded(low)
    for s in _states(problem, labels, seed, 40):
        assert problem.problems(s) == []
