"""Local search over single-atom moves and two-atom swaps that keep every region connected.

An atom may leave its region only if it is not an articulation point of the region's induced subgraph
(and is not the region's last atom). Articulation points are computed per region with an iterative
Tarjan and cached; a change invalidates only the two regions it touched. The objective change of a move
or a swap is O(d + constraints) from the running sums in ``Regions``.

The descent runs a work queue: every atom once in a seeded order, then the atoms of the regions a
change touched, until no atom has an improving move or swap (each change lowers the objective, so it
ends) or the step cap or deadline is reached.
"""

from __future__ import annotations

import time
from collections import deque

from reorg.optimize.territory.graph import articulation_points
from reorg.optimize.territory.state import Regions

__all__ = ["improve"]

#: a change must lower the objective by more than this to count (guards against float noise cycling)
EPS = 1e-9


class _Cuts:
    """Cached articulation points per region, recomputed lazily after a region changed."""

    def __init__(self, regions: Regions) -> None:
        self.regions = regions
        self.cache: dict[int, set[int]] = {}

    def movable(self, i: int, r: int) -> bool:
        members = self.regions.members[r]
        if len(members) <= 1:
            return False
        cut = self.cache.get(r)
        if cut is None:
            view = self.regions.view
            cut = articulation_points(next(iter(members)), view.adj, self.regions.label, r)
            self.cache[r] = cut
        return i not in cut


def improve(
    regions: Regions, order: list[int], *, max_passes: int = 30, deadline: float | None = None
) -> tuple[int, bool]:
    """Descend until no atom improves (see the module docstring); at most ``max_passes`` x atoms
    steps. Returns (changes made, whether the deadline stopped it)."""
    label = regions.label
    cuts = _Cuts(regions)
    queue = deque(order)
    queued = [True] * regions.view.n
    budget = max_passes * len(order)
    changes = 0
    steps = 0
    while queue and steps < budget:
        steps += 1
        if deadline is not None and steps % 2048 == 0 and time.perf_counter() > deadline:
            return changes, True
        i = queue.popleft()
        queued[i] = False
        a = label[i]
        if not _any_foreign(regions, i, a) or not cuts.movable(i, a):
            continue
        b = _best_move(regions, i, a)
        partner = -1
        if b < 0:
            partner = _best_swap(regions, cuts, i, a)
            if partner < 0:
                continue
            b = label[partner]
            regions.move(partner, b, a)
        regions.move(i, a, b)
        cuts.cache.pop(a, None)
        cuts.cache.pop(b, None)
        changes += 1
        for r in (a, b):
            for j in regions.members[r]:
                if not queued[j]:
                    queued[j] = True
                    queue.append(j)
    return changes, False


def _any_foreign(regions: Regions, i: int, a: int) -> bool:
    label = regions.label
    return any(label[j] != a for j in regions.view.adj[i])


def _best_move(regions: Regions, i: int, a: int) -> int:
    """The neighbouring region whose gain of atom i lowers the objective most (-1: none does)."""
    label = regions.label
    leave = regions.leave_violation(i, a)
    best_b, best = -1, -EPS
    seen = a
    for j in regions.view.adj[i]:
        b = label[j]
        if b in (a, seen):
            continue
        seen = b
        if leave > 0 and regions.violation(regions.totals[b]) <= 0:
            continue  # a would break a bound and b has nothing to gain
        if regions.conflicts(i, b):
            continue
        delta = regions.move_delta(i, a, b, leave)
        if delta < best:
            best, best_b = delta, b
    return best_b


def _best_swap(regions: Regions, cuts: _Cuts, i: int, a: int) -> int:
    """The neighbour j (in region b) whose exchange with i lowers the objective most (-1: none).
    An exchange keeps both regions connected when neither atom is a cut vertex and each still
    touches its new region without the other."""
    label, adj = regions.label, regions.view.adj
    best_j, best = -1, -EPS
    for j in adj[i]:
        b = label[j]
        if b == a or not cuts.movable(j, b):
            continue
        if not any(label[k] == a and k != i for k in adj[j]):
            continue
        if not any(label[k] == b and k != j for k in adj[i]):
            continue
        if regions.conflicts(i, b) or regions.conflicts(j, a):
            continue
        delta = regions.swap_delta(i, j)
        if delta < best:
            best, best_j = delta, j
    return best_j
