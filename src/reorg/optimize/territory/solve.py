"""The heuristic for one connected territory: construct, reach the target, improve.

``solve(instance, target=None)`` is max-p: as many regions as the minimums allow, then the lowest
objective for that many. ``solve(instance, target=k)`` gives exactly k regions (when the territory has
at least k atoms), meeting the minimums whenever the construction and the local search find a way.

The work is bounded by ``Effort`` (counts, so the same seed gives the same division) and, as a safety
net, a time limit (a run stopped by the clock says so and is no longer reproducible).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import numpy.typing as npt

from reorg.optimize.territory.construct import assign_enclaves, grow, split_large
from reorg.optimize.territory.instance import Instance, Lists, Score, score
from reorg.optimize.territory.local_search import improve
from reorg.optimize.territory.pairs import repartition
from reorg.optimize.territory.state import Regions
from reorg.optimize.territory.target import merge_down, split_up
from reorg.progress import Progress, report

__all__ = ["Effort", "Solution", "solve"]


@dataclasses.dataclass(frozen=True)
class Effort:
    """How much work the heuristic does. ``constructions``: independent max-p constructions (the best
    is kept); ``sweeps``: rounds of pair re-partition + local search; ``trees``: random spanning trees
    tried per pair and sweep; ``passes``: cap on move/swap passes per descent; ``time_limit_s``: wall
    clock cap for the whole solve (None = none). ``work`` caps constructions and sweeps so that
    constructions x atoms and sweeps x atoms stay below it: large instances get fewer rounds, at least one
    construction, and no sweep at all above ``work`` atoms."""

    constructions: int = 8
    sweeps: int = 8
    trees: int = 2
    passes: int = 30
    work: int = 32_000
    time_limit_s: float | None = None

    def __post_init__(self) -> None:
        for name in ("constructions", "trees", "passes", "work"):
            if getattr(self, name) < 1:
                raise ValueError(f"Effort.{name} must be at least 1")
        if self.sweeps < 0:
            raise ValueError("Effort.sweeps must not be negative")
        if self.time_limit_s is not None and self.time_limit_s <= 0:
            raise ValueError("Effort.time_limit_s must be positive")

    def rounds(self, wanted: int, n: int, *, at_least: int = 0) -> int:
        """``wanted`` capped by the work budget for an instance of n atoms."""
        return max(at_least, min(wanted, self.work // max(n, 1)))


@dataclasses.dataclass(frozen=True)
class Solution:
    """A division of one instance: region 0..p-1 per atom, its score and how the run ended."""

    labels: npt.NDArray[np.int64]
    score: Score
    upper_bound: int
    timed_out: bool

    @property
    def p(self) -> int:
        return self.score.regions


def solve(
    inst: Instance,
    *,
    target: int | None = None,
    seed: int = 0,
    effort: Effort | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Divide a connected instance into contiguous regions (see the module docstring)."""
    effort = effort or Effort()
    start = time.perf_counter()
    deadline = None if effort.time_limit_s is None else start + effort.time_limit_s
    rng = np.random.default_rng(seed)
    lists = inst.lists()
    n = inst.n
    if n == 0:
        raise ValueError("an instance needs at least one atom")
    has_minimum = any(lo > 0 for lo in lists.lo)
    if target is None or has_minimum:
        regions, late = _construct(lists, rng, effort, deadline, progress)
    else:
        regions, late = Regions(lists, list(range(n)), n), False
    if target is not None:
        alive = sum(1 for m in regions.members if m)
        if alive > target:
            merge_down(regions, target)
        elif alive < target:
            split_up(regions, target)
        regions = regions.compacted()
    late = _improve(regions, rng, effort, deadline, progress) or late
    regions = regions.compacted()
    labels = np.asarray(regions.label, dtype=np.int64)
    return Solution(labels, score(inst, labels), inst.upper_bound(), late)


def _construct(
    lists: Lists,
    rng: np.random.Generator,
    effort: Effort,
    deadline: float | None,
    progress: Progress | None,
) -> tuple[Regions, bool]:
    """The best of several max-p constructions: most regions, then lowest objective."""
    rounds = effort.rounds(effort.constructions, lists.n, at_least=1)
    best: Regions | None = None
    best_key = (0, 0.0)
    for t in range(rounds):
        if t and deadline is not None and time.perf_counter() > deadline:
            assert best is not None
            return best, True
        report(progress, t, rounds, "construct")
        rank = rng.permutation(lists.n).tolist()
        label, p = grow(lists, rank)
        if p == 0:
            label, p = [0] * lists.n, 1
        regions = Regions(lists, label, p)
        assign_enclaves(regions)
        split_large(regions, rank)
        key = (-regions.p, _objective(regions))
        if best is None or key < best_key:
            best, best_key = regions, key
    report(progress, rounds, rounds, "construct")
    assert best is not None
    return best, False


def _objective(regions: Regions) -> float:
    """The SSD + balance part of the objective from the running sums (violations are absent here)."""
    ssd = -sum(s2 / n for s2, n in zip(regions.S2, regions.size, strict=True) if n > 0)
    return ssd + regions.bal_scale * sum(b * b for b in regions.B)


def _improve(
    regions: Regions,
    rng: np.random.Generator,
    effort: Effort,
    deadline: float | None,
    progress: Progress | None,
) -> bool:
    """Local search, then rounds of pair re-partition and local search until a round gains nothing."""
    order = rng.permutation(regions.lists.n).tolist()
    _, late = improve(regions, order, max_passes=effort.passes, deadline=deadline)
    rounds = effort.rounds(effort.sweeps, regions.lists.n)
    memo: dict[tuple[int, int], tuple[int, int, int]] = {}
    for s in range(rounds):
        if late:
            return True
        report(progress, s, rounds, "improve")
        changed, late = repartition(regions, rng, trees=effort.trees, memo=memo, deadline=deadline)
        if late:
            return True
        moved, late = improve(regions, order, max_passes=effort.passes, deadline=deadline)
        if changed == 0 and moved == 0:
            break
    report(progress, rounds, rounds, "improve")
    return late
