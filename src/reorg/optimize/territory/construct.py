"""Max-p construction: threshold-aware region growing, enclave assignment, and splitting of regions
that hold enough for two.

Growing: seeds are taken in order of fewest unassigned neighbours (a corner of what is left), so the
grown regions sweep the territory like a front and leave few pockets. A region adds, while it is below a
minimum, the frontier atom with the fewest unassigned neighbours (ties: the most similar, then a seeded
random rank); once some frontier atom completes every minimum, it takes the one that does so with the
least overshoot. An atom that meets the minimums on its own is taken last, since it can be a region
by itself. A growth that runs out of frontier leaves its atoms as enclaves, which are then given
to the adjacent region where they raise the objective least.
"""

from __future__ import annotations

import heapq
from collections import deque

from reorg.optimize.territory.graph import is_connected
from reorg.optimize.territory.instance import AtomView
from reorg.optimize.territory.state import Regions

__all__ = ["ENCLAVE", "UNASSIGNED", "assign_enclaves", "bisect", "grow", "split_large"]

UNASSIGNED = -1
ENCLAVE = -2

#: weight of the similarity (Ward cost, in units of the mean per-atom spread) against the count of
#: unassigned neighbours when choosing the next atom of a growing region
SIMILARITY = 4.0


class _Grower:
    """One region growing inside the atoms labelled ``allowed``; shared by construction and splitting."""

    def __init__(
        self, view: AtomView, label: list[int], free: list[int] | dict[int, int], noise: float = 0.0
    ) -> None:
        self.view = view
        self.label = label
        self.free = free
        self.noise = noise / max(view.n, 1)
        self.inv_spread = 1.0 / view.spread if view.spread > 0 else 0.0

    def grow(self, seed: int, region: int, allowed: int, rank: list[int], touched: list[int]) -> bool:
        """Grow ``region`` from ``seed`` over atoms labelled ``allowed`` until every minimum is met.
        Every atom taken is appended to ``touched``. Returns whether the region completed."""
        view, label, free = self.view, self.label, self.free
        m = len(view.lo)
        d = len(view.feat[seed])
        tot = [0.0] * m
        ssum = [0.0] * d
        count = 0.0
        frontier: dict[int, None] = {}
        c = seed
        while True:
            label[c] = region
            touched.append(c)
            v = view.vals[c]
            for k in range(m):
                tot[k] += v[k]
            f = view.feat[c]
            for k in range(d):
                ssum[k] += f[k]
            count += view.size[c]
            frontier.pop(c, None)
            for j in view.adj[c]:
                free[j] -= 1
                if label[j] == allowed:
                    frontier[j] = None
            if all(tot[k] >= view.lo[k] for k in range(m)):
                return True
            c = self._pick(frontier, tot, ssum, count, region, rank)
            if c < 0:
                return False

    def _pick(
        self,
        frontier: dict[int, None],
        tot: list[float],
        ssum: list[float],
        count: float,
        region: int,
        rank: list[int],
    ) -> int:
        view, free = self.view, self.free
        m = len(tot)
        best = -1
        best_key = (3, 0.0, 0)
        for c in frontier:
            v = view.vals[c]
            if any(tot[k] + v[k] > view.hi[k] for k in range(m)):
                continue
            if c in view.partners and any(self.label[q] == region for q in view.partners[c]):
                continue
            over = 0.0
            done = True
            for k in range(m):
                gap = tot[k] + v[k] - view.lo[k]
                if gap < 0:
                    done = False
                    break
                over += gap * view.inv_lo[k]
            if done:
                alone = all(v[k] >= view.lo[k] for k in range(m))
                key = (2 if alone and count > 0 else 0, over, rank[c])
            else:
                f = view.feat[c]
                dist = 0.0
                for k, x in enumerate(f):
                    y = ssum[k] / count - x / view.size[c]
                    dist += y * y
                key = (1, free[c] + SIMILARITY * dist * self.inv_spread + self.noise * rank[c], rank[c])
            if key < best_key:
                best_key = key
                best = c
        return best


def grow(view: AtomView, rank: list[int], noise: float = 0.0) -> tuple[list[int], int]:
    """Grow regions over the whole instance. Returns labels (region number, or ENCLAVE for atoms whose
    growth failed) and the number of completed regions. ``rank`` breaks ties (a seeded permutation)."""
    n = view.n
    label = [UNASSIGNED] * n
    free = [len(a) for a in view.adj]
    jitter = [noise * r / max(n, 1) for r in rank]
    heap = [(free[i] + jitter[i], rank[i], i) for i in range(n)]
    heapq.heapify(heap)
    grower = _Grower(view, label, free, noise)
    p = 0
    while heap:
        f, _, s = heapq.heappop(heap)
        if label[s] != UNASSIGNED or f != free[s] + jitter[s]:
            continue
        touched: list[int] = []
        if grower.grow(s, p, UNASSIGNED, rank, touched):
            p += 1
        else:
            for i in touched:
                label[i] = ENCLAVE
        for i in touched:
            for j in view.adj[i]:
                if label[j] == UNASSIGNED:
                    heapq.heappush(heap, (free[j] + jitter[j], rank[j], j))
    return label, p


def assign_enclaves(regions: Regions) -> int:
    """Give every ENCLAVE atom to an adjacent region, breadth-first from the regions, choosing the
    region it raises the objective least; an atom kept apart from a member of every adjacent region
    starts a region of its own (the local search then weighs its shortfall). Returns how many atoms
    were assigned; atoms with no path to any region stay ENCLAVE."""
    view, label = regions.view, regions.label
    queue = deque(i for i in range(view.n) if label[i] == ENCLAVE and any(label[j] >= 0 for j in view.adj[i]))
    done = 0
    while queue:
        i = queue.popleft()
        if label[i] != ENCLAVE:
            continue
        best, best_key = -1, (True, 0.0)
        for r in {label[j] for j in view.adj[i] if label[j] >= 0}:
            key = (regions.conflicts(i, r), regions.add_delta(i, r))
            if best < 0 or key < best_key:
                best, best_key = r, key
        if best_key[0]:  # every neighbour holds a unit it must be kept apart from: stand alone
            best = regions.new_region()
        regions.move(i, -1, best)
        done += 1
        queue.extend(j for j in view.adj[i] if label[j] == ENCLAVE)
    return done


def split_large(regions: Regions, rank: list[int], tries: int = 3) -> int:
    """Split every region that holds at least twice each minimum into two regions that both meet the
    minimums and are connected, as long as that is possible. Returns how many regions were added."""
    view = regions.view
    if not any(lo > 0 for lo in view.lo):
        return 0
    added = 0
    queue = deque(r for r in range(regions.p) if _splittable(regions, r))
    while queue:
        r = queue.popleft()
        new = bisect(regions, r, rank, tries)
        if new is None:
            continue
        added += 1
        queue.extend(x for x in (r, new) if _splittable(regions, x))
    return added


def _splittable(regions: Regions, r: int) -> bool:
    view = regions.view
    return len(regions.members[r]) > 1 and all(
        t >= 2 * lo for t, lo in zip(regions.totals[r], view.lo, strict=True)
    )


def bisect(regions: Regions, r: int, rank: list[int], tries: int) -> int | None:
    """Try to carve a part that meets every minimum out of region r, leaving a rest that is connected
    and meets them too; returns the new region, or None."""
    view, label = regions.view, regions.label
    members = sorted(regions.members[r], key=lambda i: (sum(label[j] == r for j in view.adj[i]), rank[i]))
    probe = regions.p
    for seed in members[:tries]:
        free = {i: sum(label[j] == r for j in view.adj[i]) for i in regions.members[r]}
        free_list = _FreeView(free)
        grower = _Grower(view, label, free_list)
        touched: list[int] = []
        ok = grower.grow(seed, probe, r, rank, touched)
        rest = regions.members[r] - set(touched)
        if ok and rest and is_connected(rest, view.adj, label, r) and _complete(view, rest):
            for i in touched:
                label[i] = r
            regions.new_region()
            for i in touched:
                regions.move(i, r, probe)
            regions.refresh_balance()
            return probe
        for i in touched:
            label[i] = r
    return None


def _complete(view: AtomView, atoms: set[int]) -> bool:
    return all(sum(view.vals[i][k] for i in atoms) >= lo for k, lo in enumerate(view.lo))


class _FreeView(dict[int, int]):
    """Unassigned-neighbour counts inside one region; atoms outside it count as having none."""

    def __missing__(self, key: int) -> int:
        return 0
