"""assign: per-cell argmin without capacities, exact min-cost flow with them (checked by brute force)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.optimize.duties import InfeasibleError, assign, assign_flow


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray, np.ndarray]:
    n_cells = draw(st.integers(1, 5))
    n_units = draw(st.integers(1, 4))
    cells, units = [], []
    for c in range(n_cells):
        chosen = draw(st.lists(st.integers(0, n_units - 1), min_size=1, max_size=n_units, unique=True))
        cells += [c] * len(chosen)
        units += sorted(chosen)
    cost = draw(st.lists(st.integers(0, 20), min_size=len(cells), max_size=len(cells)))
    cap = draw(st.lists(st.integers(0, 3), min_size=n_units, max_size=n_units))
    free = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    return (
        np.array(cells, dtype=np.int64),
        np.array(units, dtype=np.int64),
        np.array(cost, dtype=np.float64) / 4,
        n_cells,
        np.array(cap, dtype=np.int64),
        np.array(free, dtype=bool),
    )


def brute(
    cells: np.ndarray, units: np.ndarray, cost: np.ndarray, n: int, cap: np.ndarray | None, free: np.ndarray
) -> float | None:
    """The least total cost over every choice of one edge per cell, free edges using no capacity
    (None: no choice fits the capacities)."""
    options = [np.flatnonzero(cells == c) for c in range(n)]
    best = None
    for pick in itertools.product(*options):
        charged = [e for e in pick if not free[e]]
        load = np.bincount(units[charged], minlength=len(cap) if cap is not None else 0)
        if cap is not None and np.any(load > cap):
            continue
        total = float(cost[list(pick)].sum())
        best = total if best is None or total < best else best
    return best


@settings(max_examples=150, derandomize=True)
@given(instances())
def test_argmin_is_optimal_without_capacities(inst: tuple) -> None:
    """Without capacities the per-cell cheapest choice has the brute-force optimum's cost."""
    cells, units, cost, n, _, free = inst
    result = assign(cells, units, cost, n)
    assert np.all(cells[result.edge] == np.arange(n))
    assert result.cost == pytest.approx(brute(cells, units, cost, n, None, free))


@settings(max_examples=150, derandomize=True)
@given(instances())
def test_flow_is_optimal_within_capacities(inst: tuple) -> None:
    """With capacities (free edges exempt) the choice fits them and costs the brute-force optimum
    (refused if none fits)."""
    cells, units, cost, n, cap, free = inst
    optimum = brute(cells, units, cost, n, cap, free)
    if optimum is None:
        with pytest.raises(InfeasibleError, match="max_per_unit"):
            assign(cells, units, cost, n, cap, free)
        return
    result = assign(cells, units, cost, n, cap, free)
    assert np.all(cells[result.edge] == np.arange(n))
    charged = result.edge[~free[result.edge]]
    assert np.all(np.bincount(units[charged], minlength=len(cap)) <= cap)
    assert result.cost == pytest.approx(optimum)


def test_flow_without_binding_capacity_matches_argmin() -> None:
    """The flow model with room for everything finds the argmin's cost (the benchmark's anchor)."""
    rng = np.random.default_rng(0)
    cells = np.repeat(np.arange(200), 3)
    units = np.tile(np.arange(3), 200) + 3 * (np.arange(600) % 5)
    cost = rng.random(600)
    edge = assign_flow(cells, units, cost, 200, np.full(units.max() + 1, 200))
    assert cost[edge].sum() == pytest.approx(assign(cells, units, cost, 200).cost, abs=1e-3)
