"""The heuristic: per connected piece of the territory, restarts of construct + reach the target +
short improvement, then a long improvement of the best.

``solve(instance, target=None)`` is max-p, lexicographic: first no region below a minimum (or above a
maximum) whenever the search finds such a division, then as many regions as possible, then the lowest
objective. The upper bound on p is a bound, never a target to force. ``solve(instance, target=k)``
gives exactly k regions (when the territory has at least k atoms and pieces), meeting the bounds
whenever the construction and the local search find a way; ``Solution.short`` counts the regions
that break one. Every region is connected: a territory in several pieces is divided piece by piece
(the target shared in proportion to their atoms), and a piece whose total is below a minimum is one
region of its own.

Restarts differ by a seeded random rank that breaks ties and, after the first, perturbs the growth
order (``NOISE``): small instances get hundreds of restarts, which is what closes most of the gap to
the exact optimum; large ones get one. The work is bounded by ``Effort`` (counts, so the same seed
gives the same division) and, as a safety net, a time limit (a run stopped by the clock says so and
is no longer reproducible).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import numpy.typing as npt

from reorg.optimize.territory.construct import assign_enclaves, grow, split_large
from reorg.optimize.territory.instance import AtomView, Instance, Score, score
from reorg.optimize.territory.local_search import improve
from reorg.optimize.territory.pairs import repartition
from reorg.optimize.territory.state import Regions
from reorg.optimize.territory.target import merge_down, split_up
from reorg.progress import Progress, report

__all__ = ["Effort", "Solution", "allocate", "share_target", "solve"]

#: perturbation of the growth order in restarts after the first (in units of "unassigned neighbours")
NOISE = 4.0

#: max-p: most tries at each p + 1 after the restarts (see ``_one_more``); measured on a tight map of
#: 46 atoms, a fresh start of p + 1 regions ended valid 7 times in 40 (docs/territory.md)
REACH_TRIES = 12


@dataclasses.dataclass(frozen=True)
class Effort:
    """How much work the heuristic does.

    ``restarts``: most restarts (construction, target, short improvement; the best is kept);
    ``sweeps``: rounds of pair re-partition + local search in the final improvement; ``trees``:
    random spanning trees per pair and round (more on small instances, see ``trees_for``);
    ``passes``: cap on descent steps, in multiples of the atoms; ``budget``: restarts are capped at
    budget / (5 atoms) and sweeps at 3 budget / atoms, so large instances get one restart and, above
    3 budget atoms, no sweep; ``patience``: restarts stop once this many in a row found no better
    division (0, the default = never stop early: measured, stopping early costs quality on small
    instances, see docs/territory.md); ``time_limit_s``: wall-clock cap of one solve,
    that is one connected piece (None = none).
    """

    restarts: int = 200
    sweeps: int = 8
    trees: int = 2
    passes: int = 30
    budget: int = 10_000
    patience: int = 0
    time_limit_s: float | None = None

    def __post_init__(self) -> None:
        if self.patience < 0:
            raise ValueError("Effort.patience must not be negative")
        for name in ("restarts", "trees", "passes", "budget"):
            if getattr(self, name) < 1:
                raise ValueError(f"Effort.{name} must be at least 1")
        if self.sweeps < 0:
            raise ValueError("Effort.sweeps must not be negative")
        if self.time_limit_s is not None and self.time_limit_s <= 0:
            raise ValueError("Effort.time_limit_s must be positive")

    def restarts_for(self, n: int) -> int:
        """A restart costs about five sweeps: budget / (5 atoms), at least one."""
        return max(1, min(self.restarts, self.budget // (5 * max(n, 1))))

    def sweeps_for(self, n: int) -> int:
        return min(self.sweeps, 3 * self.budget // max(n, 1))

    def trees_for(self, n: int, *, share: int = 1) -> int:
        """Small instances try up to 16 trees per pair (budget / (20 share atoms))."""
        return max(self.trees, min(16, self.budget // (20 * share * max(n, 1))))


@dataclasses.dataclass(frozen=True)
class Solution:
    """A division of one instance: region 0..p-1 per atom, its score and how the run ended.
    ``upper_bound`` is the sum over connected pieces of their bound (1 for a piece below a
    minimum)."""

    labels: npt.NDArray[np.int64]
    score: Score
    upper_bound: int
    timed_out: bool

    @property
    def p(self) -> int:
        return self.score.regions

    @property
    def short(self) -> int:
        """Regions that break a bound: 0 whenever the heuristic found a division meeting them all."""
        return self.score.short


def solve(
    inst: Instance,
    *,
    target: int | None = None,
    seed: int = 0,
    effort: Effort | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Divide an instance into contiguous regions (see the module docstring). Each connected piece
    of the graph is divided on its own, with a share of the effort and of the target; a piece whose
    total is below a minimum is one (short) region, never joined to another piece."""
    if inst.n == 0:
        raise ValueError("an instance needs at least one atom")
    effort = effort or Effort()
    count, comp = inst.graph.components()
    if count == 1:
        return _solve_connected(inst, target, seed, effort, progress)
    pieces = [np.flatnonzero(comp == c) for c in range(count)]
    feasible = [bool(np.all(inst.values[p].sum(axis=0) >= inst.lower - 1e-9)) for p in pieces]
    shares: list[int | None] = [None] * count
    if target is not None:
        shares = list(share_target(target, [inst.subset(p) for p in pieces], feasible))
    labels = np.zeros(inst.n, dtype=np.int64)
    regions = bound = 0
    late = False
    for k, (piece, ok, share) in enumerate(zip(pieces, feasible, shares, strict=True)):
        report(progress, k, count, "pieces")
        if not ok:
            labels[piece] = regions
            regions += 1
            bound += 1
            continue
        budget = max(1, round(effort.budget * len(piece) / inst.n))
        part = _solve_connected(inst.subset(piece), share, seed, dataclasses.replace(effort, budget=budget))
        labels[piece] = part.labels + regions
        regions += part.p
        bound += part.upper_bound
        late = late or part.timed_out
    report(progress, count, count, "pieces")
    return Solution(labels, score(inst, labels), bound, late)


def share_target(target: int, pieces: list[Instance], feasible: list[bool]) -> list[int]:
    """A target shared between connected pieces, at least one region each: in proportion to the
    regions each can hold (its upper bound) when the target fits under their sum, so that no piece is
    asked for more regions than its minimums allow; otherwise in proportion to their atoms. A piece
    below a minimum takes one region."""
    bounds = [p.upper_bound() if ok else 1 for p, ok in zip(pieces, feasible, strict=True)]
    if target <= sum(bounds):
        return allocate(target, bounds, [1] * len(pieces))
    sizes = [p.n if ok else 1 for p, ok in zip(pieces, feasible, strict=True)]
    return allocate(target, sizes, [1] * len(pieces))


def allocate(total: int, weights: list[int], floor: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each share at least its
    ``floor`` and at most its weight, keeping the sum where the floors and weights allow."""
    shares = list(floor)
    free = [w - f for w, f in zip(weights, floor, strict=True)]
    rest = min(total - sum(shares), sum(free))
    if rest <= 0:
        return shares
    exact = [rest * f / sum(free) for f in free]
    add = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - add[i]), i))
    for i in order[: rest - sum(add)]:
        add[i] += 1
    return [s + a for s, a in zip(shares, add, strict=True)]


def _solve_connected(
    inst: Instance, target: int | None, seed: int, effort: Effort, progress: Progress | None = None
) -> Solution:
    """Restarts, then the long improvement of the best, on a connected instance."""
    deadline = None if effort.time_limit_s is None else time.perf_counter() + effort.time_limit_s
    rng = np.random.default_rng(seed)
    view = inst.view()
    rounds = effort.restarts_for(inst.n)
    best: Regions | None = None
    best_key = (0, 0, 0.0)
    late = False
    stale = 0  # restarts in a row without a better division
    for t in range(rounds):
        if t and deadline is not None and time.perf_counter() > deadline:
            late = True
            break
        if effort.patience and stale >= effort.patience:
            break
        report(progress, t, rounds, "restarts")
        regions = _start(view, rng, target, NOISE if t else 0.0)
        if rounds > 1:
            order = rng.permutation(inst.n).tolist()
            _, late = improve(regions, order, max_passes=effort.passes, deadline=deadline)
            repartition(regions, rng, trees=effort.trees_for(inst.n, share=5), deadline=deadline)
        key = _key(regions)
        stale += 1
        if best is None or key < best_key:
            best, best_key, stale = regions, key, 0
    report(progress, rounds, rounds, "restarts")
    assert best is not None
    if target is None:
        best = _one_more(best, rng, effort, inst.upper_bound(), deadline)
    late = _improve(best, rng, effort, deadline, progress) or late
    labels = np.asarray(best.compacted().label, dtype=np.int64)
    return Solution(labels, score(inst, labels), inst.upper_bound(), late)


def _one_more(
    best: Regions, rng: np.random.Generator, effort: Effort, bound: int, deadline: float | None
) -> Regions:
    """Max-p: try p + 1 regions, while that succeeds and the bound allows it. Each level gets up to
    ``REACH_TRIES`` tries (fewer when the work budget allows fewer restarts): the first peels or
    bisects one region of the best division, the others start afresh from a division of p + 1
    regions (grown with noise, then split up); the local search and pair re-partition then remove
    the shortfall. Growth rarely completes every region of a tight instance (total just above p x
    the minimum), so the restarts may all stop one region short of a valid division that exists."""
    view = best.view
    # a quarter of the restarts, at least one while the budget allows a restart of this size
    tries = min(REACH_TRIES, max(1, effort.restarts_for(view.n) // 4)) if effort.budget >= 5 * view.n else 0
    while best.p < bound and tries > 0:
        for k in range(tries):
            if deadline is not None and time.perf_counter() > deadline:
                return best
            if k == 0:
                trial = Regions(view, list(best.label), best.p)
                split_up(trial, best.p + 1, rng.permutation(view.n).tolist())
                trial = trial.compacted()
            else:
                trial = _start(view, rng, best.p + 1, NOISE)
            order = rng.permutation(view.n).tolist()
            improve(trial, order, max_passes=effort.passes, deadline=deadline)
            for _ in range(2):
                repartition(trial, rng, trees=effort.trees_for(view.n, share=5), deadline=deadline)
                improve(trial, order, max_passes=effort.passes, deadline=deadline)
            if not any(trial.violation(t) > 0 for t in trial.totals):
                best = trial
                break
        else:
            return best
    return best


def _start(view: AtomView, rng: np.random.Generator, target: int | None, noise: float) -> Regions:
    """One starting division: max-p construction (or single atoms, for a target without minimums),
    merged or split to the target."""
    rank = rng.permutation(view.n).tolist()
    if target is None or any(lo > 0 for lo in view.lo):
        label, p = grow(view, rank, noise)
        if p == 0:  # no region completes: one region, or as few as the kept-apart pairs allow
            regions = Regions(view, list(range(view.n)), view.n)
            merge_down(regions, 1)
        else:
            regions = Regions(view, label, p)
            assign_enclaves(regions)
            split_large(regions, rank)
    else:
        regions = Regions(view, list(range(view.n)), view.n)
    if target is not None:
        alive = sum(1 for m in regions.members if m)
        if alive > target:
            merge_down(regions, target)
        elif alive < target:
            split_up(regions, target, rank)
    return regions.compacted()


def _key(regions: Regions) -> tuple[int, int, float]:
    """Lexicographic rank of a division, lower is better: regions that break a bound, then more
    regions, then SSD (less its constant part) + balance + penalty, from the running sums."""
    value = 0.0
    short = 0
    for r in range(regions.p):
        if regions.size[r] > 0:
            broken = regions.violation(regions.totals[r])
            short += broken > 0
            value += regions.view.penalty * broken - regions.sq_norms[r] / regions.size[r]
    value += regions.bal_scale * sum(b * b for b in regions.balance_totals)
    return short, -regions.p, value


def _improve(
    regions: Regions,
    rng: np.random.Generator,
    effort: Effort,
    deadline: float | None,
    progress: Progress | None,
) -> bool:
    """Local search, then rounds of pair re-partition and local search until a round gains nothing."""
    order = rng.permutation(regions.view.n).tolist()
    _, late = improve(regions, order, max_passes=effort.passes, deadline=deadline)
    rounds = effort.sweeps_for(regions.view.n)
    memo: dict[tuple[int, int], tuple[int, int, int]] = {}
    for s in range(rounds):
        if late:
            return True
        report(progress, s, rounds, "improve")
        changed, late = repartition(
            regions, rng, trees=effort.trees_for(regions.view.n), memo=memo, deadline=deadline
        )
        if late:
            return True
        moved, late = improve(regions, order, max_passes=effort.passes, deadline=deadline)
        if changed == 0 and moved == 0:
            break
    report(progress, rounds, rounds, "improve")
    return late
