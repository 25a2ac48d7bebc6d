"""The CP-SAT exact model: it matches brute-force enumeration, and the heuristic comes close to it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from territory_kit import grid_instance, is_connected, lattice_instance, regions_of

from reorg.optimize.territory import Instance, score, solve, solve_exact

SIX = """
123
321
"""

FEATURES = [0.5, -1.0, 2.0, 0.0, 1.5, -0.5]


def partitions(items: list[int]) -> list[list[list[int]]]:
    """Every set partition of ``items``."""
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for part in partitions(rest):
        out.append([[first], *part])
        for k in range(len(part)):
            out.append([*part[:k], [first, *part[k]], *part[k + 1 :]])
    return out


def brute_force(inst: Instance, target: int | None) -> tuple[int, float]:
    """(p, SSD) of the best division by enumeration: most regions (or exactly target), then least SSD."""
    best: tuple[int, float] | None = None
    for parts in partitions(list(range(inst.n))):
        if target is not None and len(parts) != target:
            continue
        if not all(is_connected(inst.graph, p) for p in parts):
            continue
        if any(inst.values[p].sum() < inst.lower[0] for p in parts):
            continue
        labels = np.zeros(inst.n, dtype=np.int64)
        for r, p in enumerate(parts):
            labels[p] = r
        key = (len(parts), -score(inst, labels).ssd)
        if best is None or key > (best[0], -best[1]):
            best = (len(parts), score(inst, labels).ssd)
    assert best is not None
    return best


@pytest.mark.parametrize(("minimum", "target"), [(4, None), (3, None), (2, 3), (1, 2)])
def test_exact_matches_brute_force(minimum: float, target: int | None) -> None:
    """On a 2x3 grid the CP-SAT optimum equals the enumerated optimum (p first, then SSD)."""
    inst = grid_instance(SIX, minimum, features=FEATURES)
    exact = solve_exact(inst, target=target, time_limit_s=20)
    p, ssd = brute_force(inst, target)
    assert exact.status == "optimal"
    assert exact.score is not None
    assert exact.score.regions == p
    assert exact.score.ssd == pytest.approx(ssd, abs=1e-3)
    assert all(is_connected(inst.graph, m) for m in regions_of(exact.labels))


def test_exact_reports_infeasible_target() -> None:
    """Six regions of at least 4 cannot be made from a total of 12: infeasible, no labels."""
    inst = grid_instance(SIX, 4)
    exact = solve_exact(inst, target=6, time_limit_s=5)
    assert exact.status == "infeasible"
    assert exact.score is None
    assert len(exact.labels) == 0


def test_exact_keeps_pairs_apart() -> None:
    """A kept-apart pair is never in one region of the exact optimum."""
    inst = dataclasses.replace(grid_instance(SIX, 3, features=FEATURES), apart=((0, 1),))
    exact = solve_exact(inst, time_limit_s=10)
    assert exact.labels[0] != exact.labels[1]


@pytest.mark.parametrize(
    ("rows", "cols", "threshold", "seed"), [(3, 4, 1500, 0), (4, 4, 2000, 1), (3, 5, 2000, 1)]
)
def test_heuristic_within_three_percent_of_exact(rows: int, cols: int, threshold: float, seed: int) -> None:
    """On small lattices the heuristic finds the optimal p and an SSD within 3% of the CP-SAT optimum."""
    inst = lattice_instance(rows, cols, seed=seed, threshold=threshold)
    heuristic = solve(inst)
    exact = solve_exact(inst, time_limit_s=20)
    assert exact.status == "optimal"
    assert exact.score is not None
    assert heuristic.p == exact.score.regions
    assert heuristic.score.ssd <= 1.03 * exact.score.ssd + 1e-9
