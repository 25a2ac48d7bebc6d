"""Re-partition of two adjacent regions along random spanning trees (a greedy ReCom step).

Single-atom moves stall when regions sit just above a minimum: no atom can leave without breaking it.
This neighbourhood changes many atoms at once and keeps both regions connected by construction: join
regions a and b, draw a random spanning tree of their union, and consider every tree edge as a cut
into two parts. Subtree sums (constraint totals, feature sums, unit counts, balance) make each cut
O(d + constraints); the best cut replaces the pair when it lowers the objective.
"""

from __future__ import annotations

import heapq
import time

import numpy as np

from reorg.optimize.territory.state import Regions

__all__ = ["adjacent_pairs", "repartition"]


def adjacent_pairs(regions: Regions) -> list[tuple[int, int]]:
    """Adjacent region pairs (a < b), sorted."""
    label, adj = regions.label, regions.view.adj
    pairs = set()
    for i, a in enumerate(label):
        for j in adj[i]:
            b = label[j]
            if a < b:
                pairs.add((a, b))
    return sorted(pairs)


#: spanning trees are minimum trees for edge weights (squared feature distance / spread + shake) x U(0,1),
#: with shake taken in turn from SHAKES: a small one makes cuts separate dissimilar atoms, a large one
#: gives nearly uniform random trees (which reach splits the similarity bias misses)
SHAKES = (0.5, 50.0)

#: a pair is skipped once this many trees failed to improve it while neither region changed
PATIENCE = 24


def repartition(
    regions: Regions,
    rng: np.random.Generator,
    *,
    trees: int = 2,
    memo: dict[tuple[int, int], tuple[int, int, int]] | None = None,
    deadline: float | None = None,
) -> tuple[int, bool]:
    """One sweep over the adjacent pairs in a seeded order. ``memo`` (kept across sweeps) remembers
    per pair the region versions and trees tried without success, to skip pairs that PATIENCE trees
    could not improve. Returns (pairs improved, whether the deadline stopped it)."""
    memo = {} if memo is None else memo
    version = regions.version
    pairs = adjacent_pairs(regions)
    improved = 0
    for step, k in enumerate(rng.permutation(len(pairs)).tolist()):
        if deadline is not None and step % 256 == 0 and time.perf_counter() > deadline:
            return improved, True
        a, b = pairs[k]
        va, vb, tried = memo.get((a, b), (-1, -1, 0))
        if va != version[a] or vb != version[b]:
            tried = 0
        if tried >= PATIENCE:
            continue
        if _improve_pair(regions, a, b, rng, trees):
            improved += 1
        else:
            memo[(a, b)] = (version[a], version[b], tried + trees)
    return improved, False


class _Tree:
    """A random spanning tree of the union of two regions: atoms in discovery order and, per
    position, the position of the parent (-1 for the root)."""

    def __init__(
        self, regions: Regions, union: set[int], root: int, draws: list[float], shake: float
    ) -> None:
        adj, gaps = regions.view.adj, regions.view.edge_gap
        push, pop = heapq.heappush, heapq.heappop
        pending = set(union)  # atoms of the union not in the tree yet
        pending.discard(root)
        order = [root]
        parent = [-1]
        heap: list[tuple[float, int, int]] = []
        d, nd = 0, len(draws)
        v, pv = root, 0
        while True:  # Prim's algorithm on the union, the edge weights drawn in discovery order
            for w, gap in zip(adj[v], gaps[v]):  # noqa: B905 (one gap per neighbour by construction)
                if w in pending:
                    push(heap, ((gap + shake) * draws[d % nd], w, pv))
                    d += 1
            while heap:
                _, v, pv = pop(heap)
                if v in pending:
                    break
            else:
                break
            pending.discard(v)
            parent.append(pv)
            pv = len(order)
            order.append(v)
        self.order = order
        self.parent = parent

    def subtree(self, pos: int) -> set[int]:
        """Atoms of the subtree under position ``pos`` (descendants come later in the order)."""
        inside = [False] * len(self.order)
        inside[pos] = True
        for q in range(pos + 1, len(self.order)):
            inside[q] = inside[self.parent[q]]
        return {self.order[q] for q in range(len(self.order)) if inside[q]}

    def accumulate(self, column: list[float]) -> list[float]:
        """Subtree sums of a per-position column (in place)."""
        parent = self.parent
        for q in range(len(column) - 1, 0, -1):
            column[parent[q]] += column[q]
        return column


def _improve_pair(regions: Regions, a: int, b: int, rng: np.random.Generator, trees: int) -> bool:
    view = regions.view
    union = regions.members[a] | regions.members[b]
    if len(union) < 3 or not regions.members[a] or not regions.members[b]:
        return False
    current = _pair_value(regions, a, b)
    atoms = sorted(union)
    best_value, best_cut, best_tree = current - 1e-9, -1, None
    for t in range(trees):
        draws = rng.random(len(atoms) + 1).tolist()
        shake = SHAKES[t % len(SHAKES)]
        tree = _Tree(regions, union, atoms[int(draws[-1] * len(atoms))], draws, shake)
        if len(tree.order) != len(union):
            return False
        value, cut = _best_cut(regions, tree)
        if value < best_value:
            best_value, best_cut, best_tree = value, cut, tree
    if best_tree is None:
        return False
    part = best_tree.subtree(best_cut)
    if view.partners and not _apart_ok(regions, part, union):
        return False
    for w in atoms:
        target = a if w in part else b
        if regions.label[w] != target:
            regions.move(w, regions.label[w], target)
    return True


def _pair_value(regions: Regions, a: int, b: int) -> float:
    """The part of the objective that depends on how the atoms of a and b are split."""
    value = -regions.sq_norms[a] / regions.size[a] - regions.sq_norms[b] / regions.size[b]
    value += regions.bal_scale * (regions.balance_totals[a] ** 2 + regions.balance_totals[b] ** 2)
    broken = regions.violation(regions.totals[a]) + regions.violation(regions.totals[b])
    return value + regions.view.penalty * broken


def _best_cut(regions: Regions, tree: _Tree) -> tuple[float, int]:
    """(value, position) of the best edge cut: the part is the subtree under that position."""
    view = regions.view
    order = tree.order
    size = tree.accumulate([view.size[v] for v in order])
    total_n = size[0]
    value = [0.0] * len(order)
    for k in range(len(view.feat[order[0]])):
        col = tree.accumulate([view.feat[v][k] for v in order])
        total = col[0]
        value = [
            val - c * c / n - (total - c) ** 2 / (total_n - n) if n < total_n else val
            for val, c, n in zip(value, col, size, strict=True)
        ]
    if regions.bal_scale:
        col = tree.accumulate([view.bal[v] for v in order])
        total, w = col[0], regions.bal_scale
        value = [val + w * (c * c + (total - c) ** 2) for val, c in zip(value, col, strict=True)]
    if view.lo:
        inside = [0.0] * len(order)  # violation of the subtree part, per cut
        outside = [0.0] * len(order)  # and of the rest
        for k in range(len(view.lo)):
            col = tree.accumulate([view.vals[v][k] for v in order])
            total, lo, inv_lo, hi, inv_hi = col[0], view.lo[k], view.inv_lo[k], view.hi[k], view.inv_hi[k]
            if inv_lo:  # relative shortfall of each side
                inside = [g + (lo - c) * inv_lo if c < lo else g for g, c in zip(inside, col, strict=True)]
                outside = [
                    g + (lo - (total - c)) * inv_lo if total - c < lo else g
                    for g, c in zip(outside, col, strict=True)
                ]
            if inv_hi:  # and relative excess
                inside = [g + (c - hi) * inv_hi if c > hi else g for g, c in zip(inside, col, strict=True)]
                outside = [
                    g + (total - c - hi) * inv_hi if total - c > hi else g
                    for g, c in zip(outside, col, strict=True)
                ]
        value = [
            val + view.penalty * (a + b + (a > 0) + (b > 0))
            for val, a, b in zip(value, inside, outside, strict=True)
        ]
    best = min(range(1, len(order)), key=value.__getitem__)
    return value[best], best


def _apart_ok(regions: Regions, part: set[int], union: set[int]) -> bool:
    partners = regions.view.partners
    for i in union & partners.keys():
        for q in partners[i]:
            if q in union and (q in part) == (i in part):
                return False
    return True
