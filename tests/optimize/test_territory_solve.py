"""The territory heuristic on plain arrays: max-p, targets, bounds, kept-apart pairs, determinism."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from territory_kit import grid_instance, is_connected, lattice_instance, regions_of

from reorg.optimize.territory import Effort, Instance, solve
from reorg.optimize.territory.local_search import improve
from reorg.optimize.territory.state import Regions

ROW = """
111111
"""

BLOCK = """
1212
2121
1212
"""

L_SHAPE = """
9..
1..
111
"""


def check_division(inst: Instance, labels: np.ndarray) -> None:
    """Every region is connected and meets every minimum and maximum."""
    for members in regions_of(labels):
        assert is_connected(inst.graph, members)
        totals = inst.values[members].sum(axis=0)
        assert np.all(totals >= inst.lower - 1e-9)
        assert np.all(totals <= inst.upper + 1e-9)


def test_row_of_six_ones_with_minimum_two_gives_three_regions() -> None:
    """Max-p on a path: six units of 1 with a minimum of 2 make exactly three pairs."""
    inst = grid_instance(ROW, 2)
    sol = solve(inst)
    assert sol.p == 3 == sol.upper_bound
    assert sorted(map(tuple, regions_of(sol.labels))) == [(0, 1), (2, 3), (4, 5)]


def test_block_reaches_the_upper_bound() -> None:
    """A 3x4 block of 1s and 2s (total 18) with a minimum of 3 is cut into six regions of 3."""
    inst = grid_instance(BLOCK, 3)
    sol = solve(inst)
    check_division(inst, sol.labels)
    assert sol.p == 6


def test_maximum_is_respected() -> None:
    """A maximum of 4 keeps every region at most 4 while meeting the minimum of 3."""
    inst = grid_instance(BLOCK, 3, maximum=4)
    sol = solve(inst)
    check_division(inst, sol.labels)


def test_large_unit_stands_alone() -> None:
    """A unit that meets the minimum alone keeps its own region; the rest is one region of 4."""
    inst = grid_instance(L_SHAPE, 4)
    sol = solve(inst)
    check_division(inst, sol.labels)
    assert sol.p == 2


def test_target_gives_exactly_k_regions() -> None:
    """With a target, the division has exactly that many regions, each connected."""
    inst = lattice_instance(8, 8, seed=3)
    for k in (1, 5, 17, 64):
        sol = solve(inst, target=k)
        assert sol.p == k
        assert all(is_connected(inst.graph, m) for m in regions_of(sol.labels))


def test_target_above_max_p_breaks_minimums_but_not_contiguity() -> None:
    """A target beyond what the minimum allows still gives k connected regions; violations are scored."""
    inst = grid_instance(ROW, 2)
    sol = solve(inst, target=5)
    assert sol.p == 5
    assert sol.score.violation > 0
    assert all(is_connected(inst.graph, m) for m in regions_of(sol.labels))


def test_kept_apart_pair_ends_in_different_regions() -> None:
    """Units kept apart are never in one region, even when it costs a region."""
    inst = dataclasses.replace(grid_instance(ROW, 2), apart=((1, 2), (3, 4)))
    sol = solve(inst)
    lab = sol.labels
    assert lab[1] != lab[2]
    assert lab[3] != lab[4]


def test_same_seed_same_labels_other_seed_valid() -> None:
    """The same seed gives identical labels; another seed gives a valid division too."""
    inst = lattice_instance(12, 12, seed=1)
    a, b = solve(inst, seed=7), solve(inst, seed=7)
    assert np.array_equal(a.labels, b.labels)
    check_division(inst, solve(inst, seed=8).labels)


def test_local_search_never_worsens_and_keeps_feasibility() -> None:
    """A descent from a valid division ends valid with an objective no higher."""
    inst = lattice_instance(10, 10, seed=2)
    start = solve(inst, effort=Effort(restarts=1, sweeps=0, passes=1))
    regions = Regions(inst.view(), start.labels.tolist(), start.p)
    improve(regions, list(range(inst.n)))
    after = np.asarray(regions.label)
    check_division(inst, after)
    from reorg.optimize.territory import score

    assert score(inst, after).total <= start.score.total + 1e-9


def test_max_p_beats_a_naive_bound_on_a_lattice() -> None:
    """On a 20x20 lattice with threshold 3000 the heuristic reaches 85% of total / threshold."""
    inst = lattice_instance(20, 20, seed=0)
    sol = solve(inst)
    check_division(inst, sol.labels)
    assert sol.p >= 0.85 * sol.upper_bound


def test_effort_validation() -> None:
    """Effort refuses counts below one and a non-positive time limit."""
    with pytest.raises(ValueError, match="restarts"):
        Effort(restarts=0)
    with pytest.raises(ValueError, match="time_limit_s"):
        Effort(time_limit_s=0)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 6),
    cols=st.integers(1, 6),
    pops=st.lists(st.integers(1, 9), min_size=36, max_size=36),
    minimum=st.integers(1, 20),
    seed=st.integers(0, 3),
)
def test_every_region_is_connected_and_feasible(
    rows: int, cols: int, pops: list[int], minimum: int, seed: int
) -> None:
    """On any grid whose total meets the minimum, max-p regions are connected and meet it, and the
    same seed reproduces the division."""
    picture = "\n".join("".join(str(pops[r * 6 + c]) for c in range(cols)) for r in range(rows))
    inst = grid_instance(picture, minimum)
    if inst.values.sum() < minimum:
        return
    effort = Effort(restarts=4, sweeps=2)
    sol = solve(inst, seed=seed, effort=effort)
    check_division(inst, sol.labels)
    assert 1 <= sol.p <= sol.upper_bound
    assert np.array_equal(sol.labels, solve(inst, seed=seed, effort=effort).labels)


@settings(max_examples=30, deadline=None)
@given(
    pops=st.lists(st.integers(1, 9), min_size=16, max_size=16),
    pairs=st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), min_size=1, max_size=6),
    target=st.one_of(st.none(), st.integers(1, 16)),
)
def test_kept_apart_is_never_broken(
    pops: list[int], pairs: list[tuple[int, int]], target: int | None
) -> None:
    """Whatever the target, no kept-apart pair ends in one region and every region is connected."""
    import dataclasses

    picture = "\n".join("".join(str(p) for p in pops[r * 4 : r * 4 + 4]) for r in range(4))
    apart = tuple((a, b) for a, b in pairs if a != b)
    inst = dataclasses.replace(grid_instance(picture, 6), apart=apart)
    sol = solve(inst, target=target, effort=Effort(restarts=3, sweeps=2))
    for a, b in apart:
        assert sol.labels[a] != sol.labels[b]
    assert all(is_connected(inst.graph, m) for m in regions_of(sol.labels))


def test_patience_stops_restarts_that_find_nothing_better() -> None:
    """With patience 2, restarts stop soon after the best stops improving; without, all of them run."""
    inst = lattice_instance(4, 4, seed=0)
    started: dict[int, list[int]] = {0: [], 2: []}
    for patience, seen in started.items():

        def progress(done: int, total: int | None, stage: str, seen: list[int] = seen) -> None:
            if stage == "restarts":
                seen.append(done)

        solve(inst, effort=Effort(restarts=60, patience=patience), progress=progress)
    assert len(started[0]) == 61  # restarts 0..59, then "60 of 60"
    assert len(started[2]) < 61
