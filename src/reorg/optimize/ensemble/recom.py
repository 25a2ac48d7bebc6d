"""The ReCom chain: recombine two adjacent regions along a random spanning tree.

One step from a valid division:

1. pick an edge uniformly among the *cut edges* (edges between two regions of the same nesting
   group); its two regions a and b are merged;
2. draw a random spanning tree of the merged regions: the minimum spanning tree under independent
   uniform edge weights (GerryChain's default ``random_spanning_tree``; not exactly the uniform
   spanning tree, see docs/ensembles.md);
3. list the tree edges whose removal leaves two sides that are both valid (every minimum and maximum,
   the population tolerance, kept-apart pairs on different sides); nesting holds because a and b lie
   in one group, contiguity because each side of a tree edge is connected;
4. if there is one, cut one of them chosen uniformly: the step is *accepted* and the two sides become
   a and b. If there is none the step is *rejected* and the division stays as it was (the repeated
   division is the chain's next state, and the rejection is counted).

So every state of the chain is valid when the first one is, the number of regions per group never
changes, and the chain is reproducible: all randomness comes from the numpy ``Generator`` passed in.
The subtree totals of the tree are summed level by level from the deepest (vectorized per level).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import (
    breadth_first_order,
    connected_components,
    minimum_spanning_tree,
    shortest_path,
)

from reorg.optimize.ensemble.problem import EPS, Problem

__all__ = ["Chain", "Step"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class Step:
    """What one step did: accepted or not, and the two regions it recombined (-1 when there was no
    cut edge at all)."""

    accepted: bool
    a: int
    b: int


class Chain:
    """A ReCom chain on ``problem`` from ``labels`` (region per atom, valid), drawing from ``rng``.

    ``labels`` is copied and changed in place by ``step``; ``accepted`` and ``rejected`` count."""

    def __init__(self, problem: Problem, labels: npt.ArrayLike, rng: np.random.Generator) -> None:
        self.problem = problem
        self.labels = np.array(labels, dtype=np.int64)
        self.rng = rng
        self.accepted = 0
        self.rejected = 0
        self._ea, self._eb = problem.edges()
        # columns summed over a subtree: the constrained values, the population, the atom count
        self._cols = np.column_stack([problem.values, problem.population, np.ones(problem.n)])
        self._ideal = problem.ideal(self.labels) if problem.tolerance is not None else None
        self._partners = {a for pair in problem.apart for a in pair}

    def step(self) -> Step:
        """One ReCom step (see the module docstring)."""
        lab = self.labels
        cut = np.flatnonzero(lab[self._ea] != lab[self._eb])
        if len(cut) == 0:
            self.rejected += 1
            return Step(False, -1, -1)
        k = cut[self.rng.integers(len(cut))]
        a, b = int(lab[self._ea[k]]), int(lab[self._eb[k]])
        nodes = np.flatnonzero((lab == a) | (lab == b))
        side = self._split(nodes, a)
        if side is None:
            self.rejected += 1
            return Step(False, a, b)
        lab[nodes] = b
        lab[nodes[side]] = a
        self.accepted += 1
        return Step(True, a, b)

    def _split(self, nodes: IntArray, a: int) -> IntArray | None:
        """Local indices of one side of a valid cut of a random spanning tree of ``nodes``, or None."""
        nm = len(nodes)
        local = np.full(self.problem.n, -1, dtype=np.int64)
        local[nodes] = np.arange(nm)
        la, lb = local[self._ea], local[self._eb]
        inside = (la >= 0) & (lb >= 0)
        ea, eb = la[inside], lb[inside]
        weights = self.rng.random(len(ea)) + 1e-12  # strictly positive: a zero weight is no edge
        tree = minimum_spanning_tree(sp.csr_array((weights, (ea, eb)), shape=(nm, nm)))
        if tree.nnz < nm - 1:  # the merged regions are not connected (an island region)
            return None
        root = int(self.rng.integers(nm))
        _, pred = breadth_first_order(tree, root, directed=False, return_predecessors=True)
        sub = self._subtree_sums(tree, root, pred, self._cols[nodes])
        total = sub[root]
        ideal = float(self._ideal[a]) if self._ideal is not None else 0.0
        ok = self._valid(sub, ideal) & self._valid(total - sub, ideal)
        ok[root] = False
        if self._partners:
            ok &= self._apart_ok(nodes, local, pred, nm)
        candidates = np.flatnonzero(ok)
        if len(candidates) == 0:
            return None
        v = int(candidates[self.rng.integers(len(candidates))])
        return _subtree(tree, pred, v)

    @staticmethod
    def _subtree_sums(tree: sp.csr_array, root: int, pred: IntArray, cols: FloatArray) -> FloatArray:
        """Per node of the tree, the column sums over its subtree: nodes are added into their parent
        level by level, deepest level first (one vectorized ``np.add.at`` per level)."""
        depth = shortest_path(tree, directed=False, unweighted=True, indices=root).astype(np.int64)
        by_depth = np.argsort(depth, kind="stable")
        bounds = np.searchsorted(depth[by_depth], np.arange(int(depth.max()) + 2))
        sub = cols.copy()
        for d in range(int(depth.max()), 0, -1):
            members = by_depth[bounds[d] : bounds[d + 1]]
            np.add.at(sub, pred[members], sub[members])
        return sub

    def _valid(self, totals: FloatArray, ideal: float) -> npt.NDArray[np.bool_]:
        """Per row of subtree totals (values..., population, count): whether a region with these
        totals meets the bounds and, with a tolerance, is within it of ``ideal`` (people)."""
        p = self.problem
        m = len(p.lower)
        vals = totals[:, :m]
        ok = np.all(vals >= p.lower * (1 - EPS), axis=1) & np.all(vals <= p.upper * (1 + EPS), axis=1)
        if p.tolerance is not None:
            ok &= np.abs(totals[:, m] - ideal) <= p.tolerance * ideal * (1 + EPS)
        return np.asarray(ok, dtype=np.bool_)

    def _apart_ok(self, nodes: IntArray, local: IntArray, pred: IntArray, nm: int) -> npt.NDArray[np.bool_]:
        """Per tree node v (the edge to its parent): whether cutting it separates every kept-apart
        pair inside the merged regions (exactly one of the pair is in v's subtree)."""
        ok = np.ones(nm, dtype=bool)
        for a, b in self.problem.apart:
            pa, pb = int(local[a]), int(local[b])
            if pa < 0 or pb < 0:
                continue
            ok &= _ancestors(pred, pa, nm) ^ _ancestors(pred, pb, nm)
        return ok


def _ancestors(pred: IntArray, v: int, nm: int) -> npt.NDArray[np.bool_]:
    """Mask of v and its ancestors in the tree (the nodes whose subtree holds v)."""
    mask = np.zeros(nm, dtype=bool)
    while v >= 0:
        mask[v] = True
        v = int(pred[v])
    return mask


def _subtree(tree: sp.csr_array, pred: IntArray, v: int) -> IntArray:
    """Local indices of v's subtree: the component of v once the edge to its parent is removed."""
    coo = tree.tocoo()
    p = int(pred[v])
    keep = ~(((coo.row == v) & (coo.col == p)) | ((coo.row == p) & (coo.col == v)))
    nm = tree.shape[0]
    rest = sp.csr_array((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(nm, nm))
    _, comp = connected_components(rest, directed=False)
    return np.flatnonzero(comp == comp[v])
